import KuraStorage
import Testing

/// What every `Backend` must do for the repository (kura-repository(5), BACKENDS), as one function any
/// backend's tests run on a new, empty store: `LocalBackendTests` on a directory, the S3 tests on a bucket.
/// `reopen` gives a second backend on the same store, as another process would see it.
enum BackendContract {
    static func check(_ backend: any Backend, reopen: () throws -> any Backend) throws {
        try backend.create()
        try emptyStore(backend)
        try saveLoadAndReplace(backend)
        try rangedLoads(backend)
        try statAndList(backend)
        try removal(backend)
        try uploads(backend)
        try visibleToAnotherReader(backend, other: try reopen())
    }

    static func emptyStore(_ backend: any Backend) throws {
        for kind in ObjectKind.allCases { #expect(try backend.list(kind).isEmpty, "\(kind) is not empty in a new store") }
        #expect(try backend.stat(.config) == nil)
        #expect(!backend.isReadOnly)
        let missing = ObjectHandle(.snapshots, String(repeating: "0", count: 64))
        #expect(throws: StorageError.self) { try backend.load(missing) }
        do {
            _ = try backend.load(missing)
        } catch {
            #expect(error.code == .notFound, "a missing object loads as \(error.code), not .notFound")
        }
    }

    static func saveLoadAndReplace(_ backend: any Backend) throws {
        let config: [UInt8] = Array("{\"version\": 1}\n".utf8)
        try backend.save(.config, config)
        #expect(try backend.load(.config) == config)
        let key = ObjectHandle(.keys, "a1" + String(repeating: "b", count: 62))
        try backend.save(key, [1, 2, 3])
        try backend.save(key, [4, 5, 6, 7])
        #expect(try backend.load(key) == [4, 5, 6, 7], "a save replaces the object of the same name whole")
        let japanese = ObjectHandle(.holds, String(repeating: "c", count: 64))
        let text = Array("保全命令 第三号".utf8)
        try backend.save(japanese, text)
        #expect(try backend.load(japanese) == text)
        try backend.save(ObjectHandle(.locks, "empty"), [])
        #expect(try backend.load(ObjectHandle(.locks, "empty")) == [])
    }

    static func rangedLoads(_ backend: any Backend) throws {
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let pack = ObjectHandle(.data, "0f" + String(repeating: "1", count: 62))
        try backend.save(pack, bytes)
        #expect(try backend.load(pack, range: 0..<8) == Array(bytes[0..<8]))
        #expect(try backend.load(pack, range: 99_990..<100_000) == Array(bytes[99_990...]))
        #expect(try backend.load(pack, range: 4096..<70_000) == Array(bytes[4096..<70_000]))
        #expect(try backend.load(pack, range: 500..<500) == [])
        do {
            _ = try backend.load(pack, range: 99_999..<100_010)
            Issue.record("a range past the end of an object loaded")
        } catch {
            #expect(error.code == .truncated || error.code == .badResponse)
        }
    }

    static func statAndList(_ backend: any Backend) throws {
        let names = (0..<5).map { i in String(format: "%02x", i * 40) + String(repeating: "d", count: 62) }
        for (i, name) in names.enumerated() { try backend.save(ObjectHandle(.index, name), [UInt8](repeating: 9, count: i * 10)) }
        let listed = try backend.list(.index)
        #expect(Set(listed.map(\.name)) == Set(names))
        for info in listed { #expect(info.size == Int64(names.firstIndex(of: info.name)! * 10)) }
        #expect(try backend.stat(ObjectHandle(.index, names[3])) == ObjectInfo(name: names[3], size: 30))
        #expect(try backend.stat(ObjectHandle(.index, "nothing")) == nil)
        #expect(try backend.list(.data).map(\.name) == ["0f" + String(repeating: "1", count: 62)], "packs list by name, not by XX/name")
        #expect(try backend.list(.config).map(\.name) == ["config"])
        #expect(try backend.list(.snapshots).isEmpty, "one kind's objects are not another's")
    }

    static func removal(_ backend: any Backend) throws {
        let handle = ObjectHandle(.snapshots, String(repeating: "e", count: 64))
        try backend.save(handle, [1])
        try backend.remove(handle)
        #expect(try backend.stat(handle) == nil)
        #expect(try backend.list(.snapshots).isEmpty)
        try backend.remove(handle)  // removing what is not there is not an error
    }

    static func uploads(_ backend: any Backend) throws {
        let before = try backend.list(.data)
        let upload = try backend.beginUpload(ObjectHandle(.data, "pending"))
        let first = [UInt8](repeating: 1, count: 3000), second = [UInt8](repeating: 2, count: 5000)
        try first.withUnsafeBytes { try upload.write($0) }
        try second.withUnsafeBytes { try upload.write($0) }
        #expect(upload.size == 8000)
        #expect(try backend.list(.data) == before, "an upload is invisible before commit")
        let name = "ab" + String(repeating: "f", count: 62)
        try upload.commit(as: name)
        #expect(try backend.load(ObjectHandle(.data, name)) == first + second)
        #expect(try backend.stat(ObjectHandle(.data, "pending")) == nil, "commit(as:) names the object anew")
        #expect(Set(try backend.list(.data).map(\.name)) == Set(before.map(\.name) + [name]))

        let dropped = try backend.beginUpload(ObjectHandle(.data, "cd" + String(repeating: "0", count: 62)))
        try first.withUnsafeBytes { try dropped.write($0) }
        dropped.abort()
        dropped.abort()  // twice is fine
        #expect(Set(try backend.list(.data).map(\.name)) == Set(before.map(\.name) + [name]), "an aborted upload leaves nothing")
        #expect(throws: StorageError.self) { try dropped.commit(as: nil) }
    }

    static func visibleToAnotherReader(_ backend: any Backend, other: any Backend) throws {
        let handle = ObjectHandle(.locks, "lock-" + String(repeating: "7", count: 16))
        try backend.save(handle, Array("{}".utf8))
        #expect(try other.load(handle) == Array("{}".utf8), "read-after-write from another client")
        #expect(try other.list(.locks).contains { $0.name == handle.name })
        try other.remove(handle)
        #expect(try backend.stat(handle) == nil)
    }
}

import Foundation
import KuraStorage
import KuraSystem
import Testing

@Suite struct LocalBackendTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kura-backend-\(UUID().uuidString.prefix(8))/repo").path

    @Test func contract() throws {
        defer { try? FileManager.default.removeItem(atPath: String(root.dropLast(5))) }
        try BackendContract.check(LocalBackend(root: root), reopen: { LocalBackend(root: root) })
    }

    /// The layout existing repositories have: these paths are the format, not an implementation detail.
    @Test func layoutIsTheRepositoryFormat() throws {
        defer { try? FileManager.default.removeItem(atPath: String(root.dropLast(5))) }
        let backend = LocalBackend(root: root + "/")
        try backend.create()
        for directory in ["keys", "data", "index", "snapshots", "locks"] {
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: root + "/" + directory, isDirectory: &isDirectory) && isDirectory.boolValue)
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/holds"), "holds/ is made by the first hold")
        let pack = String(repeating: "3c", count: 32)
        try backend.save(ObjectHandle(.data, pack), [1])
        try backend.save(.config, [2])
        try backend.save(ObjectHandle(.holds, pack), [3])
        #expect(FileManager.default.contents(atPath: root + "/data/3c/" + pack) == Data([1]))
        #expect(FileManager.default.contents(atPath: root + "/config") == Data([2]))
        #expect(FileManager.default.contents(atPath: root + "/holds/" + pack) == Data([3]))
        #expect(backend.describe(ObjectHandle(.data, pack)) == root + "/data/3c/" + pack)
        let configMode = try FileManager.default.attributesOfItem(atPath: root + "/config")[.posixPermissions] as? Int
        let packMode = try FileManager.default.attributesOfItem(atPath: root + "/data/3c/" + pack)[.posixPermissions] as? Int
        #expect(configMode == 0o644 && packMode == 0o600)
    }

    /// A crash leaves `.tmp-` files behind; they are not objects.
    @Test func temporaryFilesAreNotListed() throws {
        defer { try? FileManager.default.removeItem(atPath: String(root.dropLast(5))) }
        let backend = LocalBackend(root: root)
        try backend.create()
        let name = String(repeating: "5a", count: 32)
        try backend.save(ObjectHandle(.snapshots, name), [1])
        #expect(FileManager.default.createFile(atPath: root + "/snapshots/\(name).tmp-0011", contents: Data([9])))
        #expect(FileManager.default.createFile(atPath: root + "/data/.tmp-0011", contents: Data([9])))
        try FileManager.default.createDirectory(atPath: root + "/data/5a", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: root + "/data/5a/.tmp-22", contents: Data([9])))
        #expect(try backend.list(.snapshots).map(\.name) == [name])
        #expect(try backend.list(.data).isEmpty)
        let upload = try backend.beginUpload(ObjectHandle(.data, "x"))
        #expect(try backend.list(.data).isEmpty, "an upload in progress is a .tmp- file")
        upload.abort()
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/data").sorted() == [".tmp-0011", "5a"])
    }

    /// A file cut short (a damaged disk, a copy that stopped) is `.truncated`, not an I/O error.
    @Test func shortObjectIsTruncated() throws {
        defer { try? FileManager.default.removeItem(atPath: String(root.dropLast(5))) }
        let backend = LocalBackend(root: root)
        try backend.create()
        let pack = ObjectHandle(.data, String(repeating: "77", count: 32))
        try backend.save(pack, [UInt8](repeating: 1, count: 100))
        #expect(throws: StorageError.self) { try backend.load(pack, range: 90..<110) }
        do { _ = try backend.load(pack, range: 90..<110) } catch { #expect(error.code == .truncated) }
    }

    @Test func readOnlyDirectoryIsDetected() throws {
        defer {
            _ = try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: root + "/locks")
            try? FileManager.default.removeItem(atPath: String(root.dropLast(5)))
        }
        let backend = LocalBackend(root: root)
        try backend.create()
        #expect(!backend.isReadOnly)
        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: root + "/locks")
        guard Posix.effectiveUserID != 0 else { return }  // root writes anyway
        #expect(backend.isReadOnly)
        do {
            try backend.save(ObjectHandle(.locks, "l"), [1])
            Issue.record("a lock was saved in a read-only directory")
        } catch {
            #expect(error.code == .io || error.code == .readOnly)
            #expect(error.message.contains(root + "/locks/l"))
        }
    }
}

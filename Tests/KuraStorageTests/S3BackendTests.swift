import Dispatch
import Foundation
import KuraCrypto
import Testing
import KuraTestSupport
@testable import KuraStorage

/// The S3 backend against a real store: SeaweedFS on loopback with SigV4 authentication on.
/// Each test starts its own server (a few seconds), so one test's kill cannot disturb another's.
@Suite("S3 backend on SeaweedFS", .serialized, .enabled(if: SeaweedFSServer.shouldRun, Comment(rawValue: SeaweedFSServer.skipReason)))
struct S3BackendTests {
    /// Quick retries, so a test that waits for them stays short.
    static let quickRetry = S3RetryPolicy(attempts: 3, initialDelay: 0.1, maximumDelay: 0.2, requestTimeout: 10)

    static func backend(_ server: SeaweedFSServer, bucket: String = "kura-test", prefix: String = "site/大阪",
                        identity: SeaweedFSServer.Identity = SeaweedFSServer.readWrite,
                        retry: S3RetryPolicy = .standard, mayCreateBucket: Bool = true) throws -> S3Backend {
        let location = try S3Location(parsing: "s3:\(server.endpoint)/\(bucket)/\(prefix)")
        return S3Backend(location, credentials: S3Credentials(accessKeyID: identity.accessKeyID, secretAccessKey: identity.secretAccessKey),
                         retry: retry, mayCreateBucket: mayCreateBucket)
    }

    static func packName(_ bytes: [UInt8]) -> String { Hex.encode(SHA256.hash(bytes)) }

    static func write(_ upload: any ObjectUpload, _ bytes: ArraySlice<UInt8>) throws(StorageError) {
        var failure: StorageError?
        bytes.withUnsafeBytes { piece in
            do throws(StorageError) { try upload.write(piece) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    static func expectError(_ code: StorageError.Code, naming: String, _ body: () throws(StorageError) -> Void,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("expected StorageError(.\(code)), nothing was thrown", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(naming), "\(error)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("every operation round-trips: save, load whole and by range, stat, list per kind, remove")
    func roundTrip() throws {
        let server = try SeaweedFSServer.start()
        defer { server.stop() }
        let backend = try Self.backend(server)
        try backend.create()    // the bucket does not exist yet: created
        try backend.create()    // and a second create finds it

        let config = Array("設定 config bytes".utf8)
        try backend.save(.config, config)
        #expect(try backend.load(.config) == config)
        #expect(try backend.stat(.config) == ObjectInfo(name: "config", size: Int64(config.count)))
        #expect(try backend.list(.config) == [ObjectInfo(name: "config", size: Int64(config.count))])

        let pack = RandomBytes.generate(3 << 20)
        let packHandle = ObjectHandle(.data, Self.packName(pack))
        try backend.save(packHandle, pack)
        #expect(try backend.load(packHandle) == pack)
        #expect(try backend.load(packHandle, range: 0..<1) == [pack[0]])
        #expect(try backend.load(packHandle, range: 1000..<70_000) == Array(pack[1000..<70_000]))
        #expect(try backend.load(packHandle, range: Int64(pack.count - 17)..<Int64(pack.count)) == Array(pack.suffix(17)))
        #expect(try backend.load(packHandle, range: 5..<5) == [])
        #expect(try backend.stat(packHandle) == ObjectInfo(name: packHandle.name, size: Int64(pack.count)))
        #expect(backend.describe(packHandle) == "s3:\(server.endpoint)/kura-test/site/大阪/data/\(packHandle.name.prefix(2))/\(packHandle.name)")

        var saved: [ObjectKind: [String: [UInt8]]] = [:]
        for kind in [ObjectKind.keys, .index, .snapshots, .locks, .holds] {
            for n in 0..<3 {
                let bytes = Array("\(kind.rawValue) \(n) スナップショット".utf8)
                let name = Self.packName(bytes)
                try backend.save(ObjectHandle(kind, name), bytes)
                saved[kind, default: [:]][name] = bytes
            }
        }
        // Replacing an object keeps one object of the new contents.
        let replaced = ObjectHandle(.locks, saved[.locks]!.keys.first!)
        try backend.save(replaced, [1, 2, 3])
        saved[.locks]![replaced.name] = [1, 2, 3]

        for (kind, objects) in saved {
            let listed = try backend.list(kind)
            #expect(Set(listed) == Set(objects.map { ObjectInfo(name: $0.key, size: Int64($0.value.count)) }), "\(kind)")
            for (name, bytes) in objects { #expect(try backend.load(ObjectHandle(kind, name)) == bytes) }
        }
        #expect(try backend.list(.data) == [ObjectInfo(name: packHandle.name, size: Int64(pack.count))])

        // Another prefix in the same bucket is another repository: it sees none of these.
        let neighbour = try Self.backend(server, prefix: "site/kobe")
        #expect(try neighbour.list(.index).isEmpty)
        #expect(try neighbour.stat(.config) == nil)

        let missing = ObjectHandle(.index, String(repeating: "0", count: 64))
        #expect(try backend.stat(missing) == nil)
        Self.expectError(.notFound, naming: "index/\(missing.name)") { () throws(StorageError) in _ = try backend.load(missing) }
        try backend.remove(missing)     // not an error

        try backend.remove(packHandle)
        #expect(try backend.stat(packHandle) == nil)
        #expect(try backend.list(.data).isEmpty)
        Self.expectError(.notFound, naming: packHandle.name) { () throws(StorageError) in _ = try backend.load(packHandle, range: 0..<10) }
    }

    @Test("an object's bytes are never read as an S3 error, even when they look like one")
    func objectBytesAreNotErrors() throws {
        let server = try SeaweedFSServer.start()
        defer { server.stop() }
        let backend = try Self.backend(server, retry: Self.quickRetry)
        try backend.create()
        // A 2xx body that reads as a SlowDown error must come back as it is, not be retried away; and
        // bytes that are not XML at all (a pack) must not reach the XML parser, which crashed on some.
        let lookalike = Array("<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>x</Message></Error>".utf8)
        let handle = ObjectHandle(.snapshots, Self.packName(lookalike))
        try backend.save(handle, lookalike)
        #expect(try backend.load(handle) == lookalike)
        #expect(try backend.load(handle, range: 5..<20) == Array(lookalike[5..<20]))
        var binary = RandomBytes.generate(1 << 20)
        binary[0] = UInt8(ascii: "<")
        let packHandle = ObjectHandle(.data, Self.packName(binary))
        try backend.save(packHandle, binary)
        for start in stride(from: 0, to: binary.count, by: 65_536) {
            #expect(try backend.load(packHandle, range: Int64(start)..<Int64(start + 65_536)) == Array(binary[start..<(start + 65_536)]))
        }
    }

    @Test("a listing of 1,100 objects crosses S3's 1,000-key pages; saves run from 8 threads at once")
    func largeListing() throws {
        let server = try SeaweedFSServer.start()
        defer { server.stop() }
        let backend = try Self.backend(server)
        try backend.create()
        let names = (0..<1100).map { Self.packName(Array("index \($0)".utf8)) }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in stride(from: worker, to: names.count, by: 8) {
                do throws(StorageError) {
                    try backend.save(ObjectHandle(.index, names[i]), Array("index \(i)".utf8))
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        let listed = try backend.list(.index)
        #expect(listed.count == 1100)
        #expect(Set(listed.map(\.name)) == Set(names))
        #expect(try backend.list(.snapshots).isEmpty)
    }

    @Test("an upload is invisible until commit, takes its final name there, and an abort leaves nothing")
    func uploadCommitAndAbort() throws {
        let server = try SeaweedFSServer.start()
        defer { server.stop() }
        let backend = try Self.backend(server)
        try backend.create()

        let bytes = RandomBytes.generate(5 << 20)
        let upload = try backend.beginUpload(ObjectHandle(.data, "pending"))
        for start in stride(from: 0, to: bytes.count, by: 1 << 20) {
            try Self.write(upload, bytes[start..<min(start + (1 << 20), bytes.count)])
        }
        #expect(upload.size == Int64(bytes.count))
        #expect(try backend.list(.data).isEmpty)
        let name = Self.packName(bytes)
        try upload.commit(as: name)
        #expect(try backend.list(.data) == [ObjectInfo(name: name, size: Int64(bytes.count))])
        #expect(try backend.load(ObjectHandle(.data, name)) == bytes)
        #expect(try backend.stat(ObjectHandle(.data, "pending")) == nil)
        Self.expectError(.io, naming: "committed") { () throws(StorageError) in try upload.commit(as: name) }

        let dropped = try backend.beginUpload(ObjectHandle(.data, Self.packName([9])))
        try Self.write(dropped, [UInt8](repeating: 9, count: 1000)[...])
        dropped.abort()
        dropped.abort()
        #expect(try backend.list(.data).map(\.name) == [name])
    }

    @Test("a wrong secret key is refused at once as access denied, in one line naming the key and the object")
    func wrongSecret() throws {
        let server = try SeaweedFSServer.start()
        defer { server.stop() }
        let good = try Self.backend(server)
        try good.create()
        try good.save(.config, [1, 2, 3])

        let wrong = SeaweedFSServer.Identity(accessKeyID: SeaweedFSServer.readWrite.accessKeyID, secretAccessKey: "not-the-secret")
        let bad = try Self.backend(server, identity: wrong)   // standard retries: a retried refusal would take seconds
        let started = Date()
        Self.expectError(.accessDenied, naming: "access key \(wrong.accessKeyID)") { () throws(StorageError) in _ = try bad.load(.config) }
        Self.expectError(.accessDenied, naming: "/config") { () throws(StorageError) in _ = try bad.stat(.config) }
        Self.expectError(.accessDenied, naming: "index/") { () throws(StorageError) in _ = try bad.list(.index) }
        let index = ObjectHandle(.index, Self.packName([7]))
        Self.expectError(.accessDenied, naming: "SignatureDoesNotMatch") { () throws(StorageError) in try bad.save(index, [7]) }
        Self.expectError(.accessDenied, naming: "config") { () throws(StorageError) in try bad.remove(.config) }
        #expect(Date().timeIntervalSince(started) < 3, "access denied must not be retried")

        let unknown = SeaweedFSServer.Identity(accessKeyID: "NOSUCHKEY", secretAccessKey: "whatever")
        let stranger = try Self.backend(server, identity: unknown)
        Self.expectError(.accessDenied, naming: "NOSUCHKEY") { () throws(StorageError) in _ = try stranger.load(.config) }

        // Nothing the refused requests asked for happened.
        #expect(try good.stat(index) == nil)
        #expect(try good.load(.config) == [1, 2, 3])
    }

    @Test("a read-only identity reads and lists, and its saves and removes are refused with nothing changed")
    func readOnlyIdentity() throws {
        let server = try SeaweedFSServer.start()
        defer { server.stop() }
        let writer = try Self.backend(server)
        try writer.create()
        let index = ObjectHandle(.index, Self.packName([1]))
        try writer.save(index, [1, 1])

        let reader = try Self.backend(server, identity: SeaweedFSServer.readOnly)
        #expect(try reader.load(index) == [1, 1])
        #expect(try reader.list(.index) == [ObjectInfo(name: index.name, size: 2)])
        let snapshot = ObjectHandle(.snapshots, Self.packName([2]))
        Self.expectError(.readOnly, naming: "snapshots/\(snapshot.name)") { () throws(StorageError) in try reader.save(snapshot, [2]) }
        let upload = try reader.beginUpload(ObjectHandle(.data, Self.packName([3])))
        try Self.write(upload, [UInt8](repeating: 3, count: 100)[...])
        Self.expectError(.readOnly, naming: "data/") { () throws(StorageError) in try upload.commit(as: nil) }
        Self.expectError(.readOnly, naming: "index/\(index.name)") { () throws(StorageError) in try reader.remove(index) }

        #expect(try writer.stat(snapshot) == nil)
        #expect(try writer.list(.data).isEmpty)
        #expect(try writer.load(index) == [1, 1])

        // Opened read-only, the backend refuses writes itself, before asking the store.
        let openedReadOnly = S3Backend(writer.s3Location, credentials: S3Credentials(accessKeyID: SeaweedFSServer.readWrite.accessKeyID,
                                       secretAccessKey: SeaweedFSServer.readWrite.secretAccessKey), readOnly: true)
        #expect(openedReadOnly.isReadOnly)
        Self.expectError(.readOnly, naming: "read-only") { () throws(StorageError) in try openedReadOnly.save(snapshot, [2]) }
    }

    @Test("a missing bucket is created by create(), or reported when creating is not allowed")
    func missingBucket() throws {
        let server = try SeaweedFSServer.start()
        defer { server.stop() }
        let strict = try Self.backend(server, bucket: "absent-bucket", mayCreateBucket: false)
        Self.expectError(.notFound, naming: "absent-bucket") { () throws(StorageError) in try strict.create() }
        Self.expectError(.notFound, naming: "absent-bucket") { () throws(StorageError) in try strict.save(.config, [1]) }
    }

    @Test("with no store listening, requests are retried, then fail with one line naming the object and the cause")
    func storeGone() throws {
        let server = try SeaweedFSServer.start()
        let backend = try Self.backend(server, retry: Self.quickRetry)
        try backend.create()
        server.stop()
        let handle = ObjectHandle(.snapshots, Self.packName([5]))
        let started = Date()
        Self.expectError(.unavailable, naming: "snapshots/\(handle.name)") { () throws(StorageError) in try backend.save(handle, [5]) }
        Self.expectError(.unavailable, naming: "after 3 attempts") { () throws(StorageError) in _ = try backend.load(handle) }
        #expect(Date().timeIntervalSince(started) >= 0.2, "the failures must have been retried with a delay")
    }

    @Test("the server killed in the middle of uploads and restarted: each upload succeeds or fails naming its object, and the store works after")
    func serverKilledAndRestarted() throws {
        let server = try SeaweedFSServer.start()
        defer { server.stop() }
        // At least 20 s of retries: enough to outlast weed's restart (about 17 s on a loaded machine) in
        // most runs, so the upload cut off by the kill is usually retried to success; failing as
        // unavailable is allowed too.
        let retry = S3RetryPolicy(attempts: 12, initialDelay: 0.5, maximumDelay: 4, requestTimeout: 10)
        let backend = try Self.backend(server, retry: retry)
        try backend.create()

        let packs = (0..<24).map { n in [UInt8](repeating: UInt8(n), count: 2 << 20) + Array("pack \(n)".utf8) }
        let outcomes = Outcomes()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            for pack in packs {
                let name = Self.packName(pack)
                do throws(StorageError) {
                    let upload = try backend.beginUpload(ObjectHandle(.data, "pending"))
                    try Self.write(upload, pack[...])
                    try upload.commit(as: name)
                    outcomes.record(name, nil)
                } catch {
                    outcomes.record(name, error)
                }
            }
            done.signal()
        }
        while outcomes.count < 4 { usleep(20_000) }
        server.kill()
        let killed = Date()
        usleep(800_000)
        try server.restart()
        let downSeconds = Date().timeIntervalSince(killed)
        done.wait()

        let all = outcomes.all
        #expect(all.count == packs.count)
        #expect(all.prefix(4).allSatisfy { $0.1 == nil }, "the uploads before the kill succeeded")
        for (name, error) in all {
            if let error {
                #expect(error.code == .unavailable, "\(error)")
                #expect(error.message.contains("data/\(name.prefix(2))/\(name)"), "\(error)")
                #expect(!error.description.contains("\n"))
            } else {
                let packIndex = packs.firstIndex { Self.packName($0) == name }!
                #expect(try backend.load(ObjectHandle(.data, name)) == packs[packIndex], "pack \(packIndex) after the restart")
            }
        }
        let succeeded = Set(all.filter { $0.1 == nil }.map(\.0))
        #expect(Set(try backend.list(.data).map(\.name)).isSuperset(of: succeeded))

        // The restarted store takes new objects.
        let after = ObjectHandle(.snapshots, Self.packName([42]))
        try backend.save(after, [42])
        #expect(try backend.load(after) == [42])
        let firstFailure = all.first { $0.1 != nil }?.1.map { " (\($0))" } ?? ""
        print("S3 kill/restart: \(succeeded.count) of \(packs.count) uploads succeeded across the restart, \(packs.count - succeeded.count) failed as unavailable, store down \(Int(downSeconds)) s\(firstFailure)")
    }

    @Test("a 16 MiB object goes up in one PUT and comes back whole (times printed; bench/s3 measures)")
    func throughput() throws {
        let server = try SeaweedFSServer.start()
        defer { server.stop() }
        let backend = try Self.backend(server)
        try backend.create()
        let pack = RandomBytes.generate(16 << 20)
        let handle = ObjectHandle(.data, Self.packName(pack))
        try backend.save(ObjectHandle(.data, Self.packName([0])), [0])   // the first write allocates volumes

        var putSeconds = Double.infinity, getSeconds = Double.infinity
        for _ in 0..<3 {
            var started = Date()
            try backend.save(handle, pack)
            putSeconds = min(putSeconds, Date().timeIntervalSince(started))
            started = Date()
            let loaded = try backend.load(handle)
            getSeconds = min(getSeconds, Date().timeIntervalSince(started))
            #expect(loaded == pack)
        }
        let megabytes = Double(pack.count) / 1_000_000
        print(String(format: "S3 16 MiB on local SeaweedFS: PUT %.0f MB/s (%.3f s), GET %.0f MB/s (%.3f s), best of 3",
                     megabytes / putSeconds, putSeconds, megabytes / getSeconds, getSeconds))
    }
}

/// Collects error descriptions from several threads.
private final class Failures: @unchecked Sendable {
    // Every access holds the lock.
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}

/// Each upload's outcome in order, written by the uploading thread and read by the test.
private final class Outcomes: @unchecked Sendable {
    // Every access holds the lock.
    private let lock = NSLock()
    private var items: [(String, StorageError?)] = []
    func record(_ name: String, _ error: StorageError?) { lock.lock(); items.append((name, error)); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return items.count }
    var all: [(String, StorageError?)] { lock.lock(); defer { lock.unlock() }; return items }
}

import Dispatch
import Foundation
import KuraCrypto
import KuraSystem
import KuraStorage

/// `REPO/locks/ID`: who holds the repository, until when. Shared locks coexist; an exclusive
/// lock excludes every other lock. A lock whose lease has expired, or whose process is gone from
/// this host, is stale and ignored (and removed when found).
public struct LockInfo: Codable, Sendable {
    public var time: Date
    public var expires: Date
    public var hostname: String
    public var pid: Int32
    public var username: String
    public var exclusive: Bool
    public var operation: String
    /// `Posix.processIncarnation` of the holder: absent in locks written by kura before it was recorded.
    public var incarnation: String?

    var isStale: Bool {
        if expires < Date() { return true }
        guard hostname == Posix.hostname else { return false }
        if !Posix.processExists(pid) { return true }
        if let incarnation, let now = Posix.processIncarnation(pid), now != incarnation { return true }
        return false
    }

    var holder: String {
        "\(exclusive ? "an exclusive" : "a shared") lock held by \(operation) (pid \(pid) on \(hostname), user \(username)) since \(Snapshot.formatTime(time))"
    }
}

/// A held lock; its lease is refreshed in the background until `release()`.
public final class RepositoryLock {
    /// How long a lock stays valid without a refresh; refreshed every fifth of that.
    public static let lease: TimeInterval = 300

    private let backend: any Backend
    private let id: String
    private var info: LockInfo
    private var timer: DispatchSourceTimer?
    /// Refreshes and release run on this queue, so a release never races a refresh that would recreate the file.
    private let queue = DispatchQueue(label: "kura.lock-refresh")
    private var released = false
    private var interruptToken = 0

    /// Takes a lock; while another process holds a conflicting one, retries until `retry` seconds have passed
    /// (restic's `--retry-lock`), then throws `.locked` naming the holder.
    static func acquire(backend: any Backend, exclusive: Bool, operation: String, retry: TimeInterval = 0) throws -> RepositoryLock {
        let deadline = Posix.monotonicSeconds + retry
        var pause = 0.5
        while true {
            do {
                return try acquireOnce(backend: backend, exclusive: exclusive, operation: operation)
            } catch let error as RepositoryError where error.code == .locked && Posix.monotonicSeconds + pause < deadline {
                usleep(useconds_t(pause * 1e6))
                pause = min(pause * 2, 10)
            }
        }
    }

    private static func acquireOnce(backend: any Backend, exclusive: Bool, operation: String) throws -> RepositoryLock {
        let now = Date()
        let info = LockInfo(time: now, expires: now + lease, hostname: Posix.hostname, pid: Posix.processID,
                            username: Posix.userName(Posix.effectiveUserID) ?? "uid \(Posix.effectiveUserID)",
                            exclusive: exclusive, operation: operation, incarnation: Posix.processIncarnation(Posix.processID))
        let lock = RepositoryLock(backend: backend, id: Hex.encode(RandomBytes.generate(32)), info: info)
        let handle = ObjectHandle.lock(lock.id)
        lock.interruptToken = Interruption.onInterrupt { try? backend.remove(handle) }
        do {
            // Save first, then look (list-after-write): of two processes that conflict, at least one sees the other.
            try backend.save(handle, try lock.encoded())
            try lock.checkConflicts()
        } catch {
            try? backend.remove(handle)
            Interruption.forget(lock.interruptToken)
            throw error
        }
        lock.startRefreshing()
        return lock
    }

    private init(backend: any Backend, id: String, info: LockInfo) {
        self.backend = backend
        self.id = id
        self.info = info
    }

    private func encoded() throws -> [UInt8] {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .internetTime
        e.outputFormatting = .sortedKeys
        return Array(try e.encode(info))
    }

    /// Every other lock that is not stale; stale ones are removed on the way.
    static func liveLocks(backend: any Backend, except: String? = nil) -> [(String, LockInfo)] {
        removeStale(backend: backend, except: except).live
    }

    /// The live locks, and how many stale ones were removed.
    static func removeStale(backend: any Backend, except: String? = nil,
                            onlyFromHost host: String? = nil) -> (live: [(String, LockInfo)], removed: Int) {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .internetTime
        var out: [(String, LockInfo)] = []
        var removed = 0
        for name in ((try? backend.list(.locks)) ?? []).map(\.name) where name != except {
            guard let bytes = try? backend.load(.lock(name)),
                  let info = try? d.decode(LockInfo.self, from: Data(bytes)) else { continue }
            if info.isStale && (host == nil || info.hostname == host) {
                if (try? backend.remove(.lock(name))) != nil { removed += 1 }
                continue
            }
            out.append((name, info))
        }
        return (out, removed)
    }

    private func checkConflicts() throws {
        for (_, other) in Self.liveLocks(backend: backend, except: id) where other.exclusive || info.exclusive {
            throw RepositoryError(.locked, "repository \(backend.location) is locked: \(other.holder)")
        }
    }

    private func startRefreshing() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + Self.lease / 5, repeating: Self.lease / 5)
        timer.setEventHandler { [weak self] in self?.refresh() }
        timer.resume()
        self.timer = timer
    }

    private func refresh() {
        guard !released else { return }
        info.expires = Date() + Self.lease
        if let bytes = try? encoded() { try? backend.save(.lock(id), bytes) }
    }

    public func release() {
        queue.sync {
            guard !released else { return }
            released = true
            timer?.cancel()
            timer = nil
            try? backend.remove(.lock(id))
            Interruption.forget(interruptToken)
        }
    }

    deinit { release() }
}

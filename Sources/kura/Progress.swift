import Foundation
import KuraText

/// One self-rewriting status line on stderr, only when stderr is a terminal and not --quiet: done / total,
/// percent and ETA when the total is known (files, a restore), bytes and rate for a stream.
final class Progress: @unchecked Sendable {
    // @unchecked: every mutable field is read and written under `lock`; workers report from several threads.
    private let enabled: Bool
    private let start = Date()
    private var last = Date.distantPast
    private let lock = NSLock()
    private var total: Int64?
    /// Bytes counted as done without being reported through `update` (files the cache says are unchanged).
    private var skipped: Int64 = 0
    private var lastBytes: Int64 = 0
    private var lastFiles: Int?

    init(quiet: Bool, total: Int64? = nil) {
        enabled = !quiet && Terminal.standardErrorIsTerminal
        self.total = total
    }

    /// Whether anything will be shown: a total worth computing.
    var isShown: Bool { enabled }

    func setTotal(_ total: Int64?) {
        lock.lock()
        self.total = total
        lock.unlock()
    }

    func skip(bytes: Int64) {
        guard enabled else { return }
        lock.lock()
        skipped += bytes
        lock.unlock()
        update(bytes: nil, files: nil)
    }

    func update(bytes: Int64, files: Int? = nil) {
        update(bytes: Optional(bytes), files: files)
    }

    private func update(bytes: Int64?, files: Int?) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if let bytes { lastBytes = bytes }
        if let files { lastFiles = files }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.2 else { return }
        last = now
        let line = ProgressLine.text(done: lastBytes + skipped, total: total, files: lastFiles, elapsed: now.timeIntervalSince(start),
                                     formatBytes: { Terminal.formatBytes(Int($0)) })
        FileHandle.standardError.write(Data("\r\u{1b}[K\(line)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1b}[K".utf8))
    }
}

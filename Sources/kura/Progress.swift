import Foundation

/// One self-rewriting status line on stderr, only when stderr is a terminal and not --quiet.
final class Progress {
    private let enabled: Bool
    private let start = Date()
    private var last = Date.distantPast
    private let lock = NSLock()

    init(quiet: Bool) {
        enabled = !quiet && Terminal.standardErrorIsTerminal
    }

    func update(bytes: Int64, files: Int? = nil) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.2 else { return }
        last = now
        let elapsed = max(0.001, now.timeIntervalSince(start))
        var line = "\(Terminal.formatBytes(Int(bytes))) at \(Terminal.formatBytes(Int(Double(bytes) / elapsed)))/s"
        if let files { line += ", \(files) files" }
        line += String(format: ", %.0f s", elapsed)
        FileHandle.standardError.write(Data("\r\u{1b}[K\(line)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1b}[K".utf8))
    }
}

/// The text of a progress line: done / total, percent and ETA when the total is known, otherwise the bytes
/// so far and the rate.
public enum ProgressLine {
    public static func text(done: Int64, total: Int64?, files: Int?, elapsed: Double, formatBytes: (Int64) -> String) -> String {
        let elapsed = max(elapsed, 0.001)
        let rate = Double(done) / elapsed
        var parts: [String]
        if let total, total > 0 {
            let shown = min(done, total)
            let percent = Double(shown) * 100 / Double(total)
            parts = ["\(formatBytes(shown)) / \(formatBytes(total))", String(format: "%.0f%%", percent.rounded(.down))]
            if shown < total && rate > 0 && elapsed >= 1 {
                parts.append("ETA " + LocalTime.age(seconds: (Double(total - shown) / rate).rounded(.up)))
            }
            parts.append("\(formatBytes(Int64(rate)))/s")
        } else {
            parts = [formatBytes(done), "\(formatBytes(Int64(rate)))/s"]
        }
        if let files { parts.append("\(files) files") }
        parts.append(LocalTime.age(seconds: elapsed))
        return parts.joined(separator: "  ")
    }
}

import ArgumentParser

extension Kura {
    /// Retention (issue 5): forgetting snapshots by policy, holds, prune, restore drills and the compliance report.
    static let retentionCommands: [any ParsableCommand.Type] = [Forget.self, Prune.self, Hold.self, Drill.self, Report.self]
}

import ArgumentParser

extension Kura.Media {
    /// Writing backup sets to media and reading them back.
    static let exportCommands: [any ParsableCommand.Type] = [Write.self, Verify.self, Label.self]
}

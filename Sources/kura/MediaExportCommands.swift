import ArgumentParser

extension Kura.Media {
    /// Writing backup sets to media and reading them back (`media write`, `media verify`, `media label`):
    /// issue 4 adds its commands here.
    static let exportCommands: [any ParsableCommand.Type] = []
}

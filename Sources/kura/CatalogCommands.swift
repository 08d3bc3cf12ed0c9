import ArgumentParser

extension Kura {
    /// The catalog's commands (custodians, media, audit log).
    static let catalogCommands: [any ParsableCommand.Type] = [CatalogCommand.self, Custodian.self, Media.self, Audit.self, Source.self]
}

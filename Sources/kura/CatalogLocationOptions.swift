import ArgumentParser
import Foundation
import KuraCatalog

/// `--catalog` alone, for repository commands that consult or inform the catalog without anyone signing:
/// `forget` reads snapshot holds from it, `backup` records itself in it.
struct CatalogLocationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Catalog file (default: $KURA_CATALOG, else $XDG_DATA_HOME/kura/catalog.db).", valueName: "path"))
    var catalog: String?

    /// `--catalog` or `$KURA_CATALOG`; nil when neither is given.
    var explicitPath: String? {
        if let catalog, !catalog.isEmpty { return catalog }
        if let path = ProcessInfo.processInfo.environment["KURA_CATALOG"], !path.isEmpty { return path }
        return nil
    }

    var path: String { explicitPath ?? CatalogOptions.defaultPath }

    /// The catalog if its file exists; nil otherwise (it is not created).
    func openIfExists() throws -> Catalog? {
        do {
            return try CatalogOptions.open(at: path, create: false)
        } catch let error as CatalogError where error.code == .missing {
            return nil
        }
    }
}

import Foundation
import PackagePlugin

/// Embeds the numbered SQL migrations of the top-level `Catalog/` folder into KuraCatalog as
/// Swift string literals, so the binary carries its own schema.
@main
struct EmbedCatalogMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let catalog = context.package.directoryURL.appending(path: "Catalog")
        let migrations = try FileManager.default
            .contentsOfDirectory(at: catalog, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedMigrations.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(migrations.count) catalog migrations",
                executable: try context.tool(named: "embed-migrations").url,
                arguments: [output.path] + migrations.map(\.path),
                inputFiles: migrations,
                outputFiles: [output]),
        ]
    }
}

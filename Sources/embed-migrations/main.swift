import Foundation

// Usage: embed-migrations OUTPUT.swift NNNN_name.sql...
// Writes `EmbeddedMigrations.all`, the migrations in file-name order, each as (identifier, sql).
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: embed-migrations OUTPUT.swift FILE.sql...\n".utf8))
    exit(64)
}
var swift = "// Generated from Catalog/*.sql by the EmbedCatalogMigrations plugin. Do not edit.\n"
swift += "enum EmbeddedMigrations {\n    static let all: [(identifier: String, sql: String)] = [\n"
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    let sql = try String(contentsOf: url, encoding: .utf8)
    let identifier = url.deletingPathExtension().lastPathComponent
    var hashes = "#"
    while sql.contains("\"" + hashes) { hashes += "#" }
    swift += "        (\"\(identifier)\", \(hashes)\"\"\"\n\(sql)\n\"\"\"\(hashes)),\n"
}
swift += "    ]\n}\n"
try swift.write(toFile: output, atomically: true, encoding: .utf8)

import Foundation
import Testing

/// A temporary directory with an initialized repository and the environment that opens it.
final class RepositoryFixture {
    let directory: TemporaryDirectory
    let repo: String
    let password = "kura e2e password"
    var environment: [String: String]

    init(name: String = "kura-e2e", initArguments: [String] = []) throws {
        directory = try TemporaryDirectory(name)
        repo = directory.appending("repo")
        environment = ["KURA_REPO": repo, "KURA_PASSWORD": password, "XDG_CACHE_HOME": directory.appending("cache")]
        let result = try Kura.run(["init"] + initArguments, environment: environment)
        #expect(result.status == 0, "init failed: \(result.stderr)")
    }

    func path(_ component: String) -> String { directory.appending(component) }

    @discardableResult
    func kura(_ arguments: [String], environment extra: [String: String] = [:], stdin: Data? = nil) throws -> KuraResult {
        try Kura.run(arguments, environment: environment.merging(extra) { $1 }, stdin: stdin)
    }

    /// Snapshot ids, oldest first.
    func snapshotIDs() throws -> [String] {
        let result = try kura(["snapshots", "--json"])
        #expect(result.status == 0, "snapshots failed: \(result.stderr)")
        let list = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] ?? []
        return list.compactMap { $0["id"] as? String }
    }

    /// Total bytes of every file under the repository.
    func repositorySize() throws -> Int {
        var total = 0
        let enumerator = FileManager.default.enumerator(atPath: repo)!
        while let name = enumerator.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: repo + "/" + name)
            if attributes[.type] as? FileAttributeType == .typeRegular { total += (attributes[.size] as? Int) ?? 0 }
        }
        return total
    }

    static func json(_ result: KuraResult) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] ?? [:]
    }
}

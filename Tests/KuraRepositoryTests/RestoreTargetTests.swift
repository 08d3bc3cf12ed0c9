import Foundation
import Testing
@testable import KuraRepository

/// RestoreTarget on its own: names that are not one component are refused even if a tree decoder
/// let them through, and nothing is created or changed through a link in the target.
@Suite struct RestoreTargetTests {
    private func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kura-target-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func node(_ name: String, _ type: Node.Kind, mode: UInt32 = 0o644, target: String? = nil) -> Node {
        Node(name: name, type: type, mode: mode, uid: 0, gid: 0, user: nil, group: nil, mtime: 1_600_000_000_000_000_000,
             ctime: 0, inode: 1, device: 1, links: 1, size: 0, content: nil, subtree: nil, target: target)
    }

    @Test(arguments: ["", ".", "..", "a/b", "/etc", "../x", "nul\u{0}byte"])
    func aNameThatIsNotOneComponentIsRefused(_ name: String) throws {
        #expect(throws: RepositoryError.self) { try RestoreTarget.checkName(name) }
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = try RestoreTarget(root: dir + "/t")
        #expect(throws: RepositoryError.self) { try target.close(target.createFile(["ok", name])) }
        #expect(throws: RepositoryError.self) { try target.makeDirectory([name, "below"]) }
        #expect(throws: RepositoryError.self) { try target.symlink(node(name, .symlink, target: "/etc/passwd"), at: [name]) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["t"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/t").allSatisfy { $0 == "ok" })
    }

    @Test func nothingIsCreatedOrChmoddedThroughALinkInTheTarget() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outside = dir + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: outside)
        try FileManager.default.createDirectory(atPath: dir + "/t", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/t/srv", withDestinationPath: outside)
        let target = try RestoreTarget(root: dir + "/t", overwrite: .always)

        #expect(throws: RepositoryError.self) { try target.close(target.createFile(["srv", "file"])) }
        #expect(throws: RepositoryError.self) { try target.makeDirectory(["srv", "sub"]) }
        #expect(throws: RepositoryError.self) { try target.applyMetadata(node("srv", .directory, mode: 0o700), at: ["srv"]) }
        #expect(throws: RepositoryError.self) { try target.symlink(node("l", .symlink, target: "x"), at: ["srv", "l"]) }
        // A symlink's own metadata is set on the link, not on what it points to.
        try target.applyMetadata(node("srv", .symlink, mode: 0o700, target: outside), at: ["srv"])

        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
        let mode = try FileManager.default.attributesOfItem(atPath: outside)[.posixPermissions] as? Int
        #expect(mode == 0o755)
    }

    /// A forged tree naming a symlink and then a directory of the same name: the link the restore
    /// just made is not walked through either.
    @Test func aLinkTheRestoreMadeIsNotFollowedByALaterEntry() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outside = dir + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let target = try RestoreTarget(root: dir + "/t")
        try target.symlink(node("x", .symlink, target: outside), at: ["a", "x"])
        #expect(throws: RepositoryError.self) { try target.close(target.createFile(["a", "x", "evil"])) }
        #expect(throws: RepositoryError.self) { try target.applyMetadata(node("x", .directory, mode: 0o777), at: ["a", "x"]) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/t/a/x") == outside)
    }
}

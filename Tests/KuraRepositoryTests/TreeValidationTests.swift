import Foundation
import Testing
@testable import KuraRepository

@Suite("Tree validation")
struct TreeValidationTests {
    static func node(_ name: String, _ type: Node.Kind = .file, target: String? = nil, subtree: BlobID? = nil) -> Node {
        Node(name: name, type: type, mode: 0o644, uid: 0, gid: 0, user: nil, group: nil, mtime: 0, ctime: 0, inode: 0,
             device: 0, links: 1, size: 0, content: type == .file ? [] : nil, subtree: subtree, target: target)
    }

    static func encoded(_ nodes: [Node]) throws -> [UInt8] {
        Array(try JSONEncoder().encode(Tree(nodes: nodes)))
    }

    @Test("ordinary names, including Japanese, spaces and dots inside, decode", arguments: ["顧客.sql", "a b", "...", ".hidden", "a..b", "x\u{7f}"])
    func acceptsNames(name: String) throws {
        let tree = try Tree.decode(try Self.encoded([Self.node(name)]), id: .zero)
        #expect(tree.nodes.map(\.name) == [name])
    }

    @Test("names that are not one path component are refused", arguments: ["", ".", "..", "../x", "/etc/passwd", "a/b", "a\u{0}b", "x/"])
    func refusesNames(name: String) throws {
        #expect(throws: RepositoryError.self) { try Tree.decode(try Self.encoded([Self.node(name)]), id: .zero) }
    }

    @Test("a name twice in one directory is refused")
    func refusesDuplicates() throws {
        let bytes = try Self.encoded([Self.node("d", .symlink, target: "/"), Self.node("d", .directory, subtree: .zero)])
        let error = #expect(throws: RepositoryError.self) { try Tree.decode(bytes, id: .zero) }
        #expect(error?.message.contains("appears twice") == true)
    }

    @Test("a node whose fields contradict its type is refused")
    func refusesShapes() throws {
        #expect(throws: RepositoryError.self) { try Tree.decode(try Self.encoded([Self.node("l", .symlink)]), id: .zero) }
        #expect(throws: RepositoryError.self) { try Tree.decode(try Self.encoded([Self.node("f", .file, subtree: .zero)]), id: .zero) }
    }

    @Test("control characters in a refused name are escaped in the message")
    func escapesMessage() throws {
        let error = #expect(throws: RepositoryError.self) { try Tree.decode(try Self.encoded([Self.node("\u{1b}[2J/x")]), id: .zero) }
        #expect(error?.message.contains("\\x1b[2J/x") == true)
        #expect(error?.message.contains("\u{1b}") == false)
    }
}

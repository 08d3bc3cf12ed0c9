import Foundation
import Testing

/// Issue 15 item 12: man pages that answer questions. Every command of the built `kura` has a page under its
/// dashed name with ENVIRONMENT, FILES, EXIT STATUS and EXAMPLES; kura(1) names every section-5 page; mandoc
/// lints every page clean; and scripts/finish-man, which makes the pages from the plugin's, is idempotent and
/// refuses a command without a section source.
@Suite struct ManPageTests {
    static let sourceRoot = InstallTests.sourceRoot
    static let manDirectory = sourceRoot + "/man"
    static let finishMan = sourceRoot + "/scripts/finish-man"
    static let requiredSections = ["ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES"]

    /// mandoc's path, or nil when it is not installed (scripts/install-deps installs it).
    static let mandoc: String? = ["/usr/bin/mandoc", "/usr/local/bin/mandoc"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func pages(_ suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: manDirectory).filter { $0.hasSuffix(suffix) }.sorted()
    }

    static func text(_ page: String, in directory: String = manDirectory) throws -> String {
        try String(contentsOfFile: directory + "/" + page, encoding: .utf8)
    }

    /// The `.Sh` section names of an mdoc page, in order.
    static func sections(_ text: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix(".Sh ") }.map {
            $0.dropFirst(4).trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        }
    }

    /// Every command of the built kura, as typed ("kura media dispose request"), from its help dump.
    static func commands() throws -> [String] {
        let dump = try Kura.run(["--experimental-dump-help"])
        guard dump.status == 0, let json = try JSONSerialization.jsonObject(with: dump.stdout) as? [String: Any],
              let root = json["command"] as? [String: Any] else {
            throw PosixFailure("kura --experimental-dump-help: exit \(dump.status), \(dump.stderr)")
        }
        func walk(_ command: [String: Any], _ parents: [String]) -> [String] {
            let path = parents + [command["commandName"] as? String ?? "?"]
            let children = command["subcommands"] as? [[String: Any]] ?? []
            return [path.joined(separator: " ")] + children.flatMap { walk($0, path) }
        }
        return walk(root, [])
    }

    @Test(.enabled(if: mandoc != nil, "mandoc is not installed: scripts/install-deps installs it"))
    func everyPageLintsCleanWithMandoc() throws {
        let pages = try Self.pages(".1") + Self.pages(".5")
        #expect(pages.count > 60)
        for page in pages {
            let lint = try Kura.runProgram(URL(fileURLWithPath: Self.mandoc!), ["-T", "lint", "-W", "warning", Self.manDirectory + "/" + page])
            #expect(lint.output.isEmpty && lint.stderr.isEmpty, "\(page): \(lint.output)\(lint.stderr)")
        }
    }

    @Test func everyCommandHasItsDashedPageWithTheFourSections() throws {
        let commands = try Self.commands()
        #expect(commands.contains("kura media dispose request") && commands.contains("kura media record-set"))
        for command in commands {
            let page = command.replacingOccurrences(of: " ", with: "-") + ".1"
            guard let text = try? Self.text(page) else {
                Issue.record("\(command): no page man/\(page)")
                continue
            }
            let sections = Self.sections(text)
            for section in Self.requiredSections {
                #expect(sections.contains(section), "\(page) lacks \(section)")
            }
            // mdoc(7) order, and the plugin's bare ".Ex -std" replaced by the codes the command returns.
            let order = ["NAME", "SYNOPSIS", "DESCRIPTION", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"]
            #expect(sections == order.filter(sections.contains), "\(page): sections \(sections)")
            #expect(!text.contains(".Ex -std"), "\(page) still has the plugin's generic exit status")
            #expect(text.contains(".It 0\n"), "\(page) does not list exit code 0")
            #expect(text.contains(".Dt \(command.uppercased().replacingOccurrences(of: " ", with: "-")) 1\n"), "\(page): .Dt")
            if command != "kura" {
                #expect(text.contains(".Nm \"\(command)\"\n"), "\(page): the SYNOPSIS does not show the command as typed")
            }
        }
        // No page left under a dotted name, none for a command that does not exist.
        let expected = Set(commands.map { $0.replacingOccurrences(of: " ", with: "-") + ".1" })
        #expect(Set(try Self.pages(".1")) == expected)
    }

    @Test func commandPagesDocumentOnlyRealVariablesAndNoTestHooks() throws {
        for page in try Self.pages(".1") {
            let text = try Self.text(page)
            #expect(!text.contains("KURA_NOW") && !text.contains("KURA_TEST"), "\(page) documents a debug-only test hook")
            #expect(!text.contains(".Xr kura.") && !text.contains("man:kura."), "\(page) names a dotted page")
        }
        let backup = try Self.text("kura-backup.1")
        for variable in ["KURA_REPO", "KURA_PASSWORD_FILE", "AWS_ACCESS_KEY_ID", "AWS_DEFAULT_REGION", "KURA_LOG_FORMAT", "XDG_CACHE_HOME"] {
            #expect(backup.contains(".It Ev \(variable)"), "kura-backup.1 lacks \(variable)")
        }
        #expect(backup.contains(".It 3\n"))
        let readOnly = try Self.text("kura-media-list.1")
        #expect(readOnly.contains(".It 21\n") && !readOnly.contains(".It 20\n"))
        #expect(try Self.text("kura-report.1").contains("UNKNOWN"))
    }

    @Test func kuraPageNamesEverySectionFivePage() throws {
        let text = try Self.text("kura.1")
        guard let seeAlso = text.range(of: ".Sh \"SEE ALSO\"\n") else {
            Issue.record("kura.1 has no SEE ALSO")
            return
        }
        let references = text[seeAlso.upperBound...]
        let formats = try Self.pages(".5")
        #expect(formats.contains("kura-repository.5") && formats.contains("kura-catalog.5") && formats.contains("kura-medium.5"))
        for page in formats {
            let name = page.dropLast(2)
            #expect(references.contains(".Xr \(name) 5"), "kura.1 SEE ALSO lacks \(name)(5)")
        }
    }

    /// A copy of man/ with one page turned back into what the plugin writes (dotted name, no sections of
    /// ours, ".Ex -std", dotted cross references), for finish-man to work on.
    static func pluginLikeCopy() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("kura-man")
        #expect(try Kura.shell("cp -R '\(manDirectory)/.' '\(directory.path)/'").status == 0)
        let finished = try text("kura-media-record-set.1")
        var plugin = finished.components(separatedBy: "\n.Sh ENVIRONMENT\n")[0] + "\n.Sh \"EXIT STATUS\"\n.Ex -std"
        plugin = plugin.replacingOccurrences(of: ".Dt KURA-MEDIA-RECORD-SET 1", with: ".Dt KURA.MEDIA.RECORD-SET 1")
            .replacingOccurrences(of: ".Nm kura-media-record-set\n", with: ".Nm \"kura media record-set\"\n")
            .replacingOccurrences(of: ".Nm \"kura media record-set\"\n.Ar serial", with: ".Nm\n.Ar serial")
        try FileManager.default.removeItem(atPath: directory.appending("kura-media-record-set.1"))
        try plugin.write(toFile: directory.appending("kura.media.record-set.1"), atomically: true, encoding: .utf8)
        let parent = try text("kura-media.1").replacingOccurrences(of: ".Xr kura-media-record-set 1", with: ".Xr kura.media.record-set 1")
        try parent.write(toFile: directory.appending("kura-media.1"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test func finishManTurnsThePluginsPageIntoTheCommittedOneAndIsIdempotent() throws {
        let directory = try Self.pluginLikeCopy()
        let first = try Kura.runProgram(URL(fileURLWithPath: Self.finishMan), [directory.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appending("kura.media.record-set.1")))
        for page in ["kura-media-record-set.1", "kura-media.1", "kura.1"] {
            #expect(try Self.text(page, in: directory.path) == Self.text(page), "\(page) differs from man/\(page)")
        }
        let again = try Kura.runProgram(URL(fileURLWithPath: Self.finishMan), [directory.path])
        #expect(again.status == 0, "\(again.stderr)")
        let diff = try Kura.shell("diff -r '\(Self.manDirectory)' '\(directory.path)'")
        #expect(diff.status == 0, "a second run changed: \(diff.output)")
    }

    @Test func finishManRefusesACommandWithoutItsSectionsAndWritesNothing() throws {
        let directory = try Self.pluginLikeCopy()
        try FileManager.default.removeItem(atPath: directory.appending("sections/kura-media-record-set.mdoc"))
        let missing = try Kura.runProgram(URL(fileURLWithPath: Self.finishMan), [directory.path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("kura-media-record-set.1 has no section source"), "\(missing.stderr)")
        // Nothing written: the plugin's page is still there, unrenamed, and the parent still names it dotted.
        #expect(FileManager.default.fileExists(atPath: directory.appending("kura.media.record-set.1")))
        #expect(try Self.text("kura-media.1", in: directory.path).contains(".Xr kura.media.record-set 1"))

        // A source without EXAMPLES is refused too, naming the section.
        let partial = try Self.pluginLikeCopy()
        let source = partial.appending("sections/kura-media-record-set.mdoc")
        let text = try String(contentsOfFile: source, encoding: .utf8)
        try text.components(separatedBy: ".Sh EXAMPLES\n")[0].write(toFile: source, atomically: true, encoding: .utf8)
        let incomplete = try Kura.runProgram(URL(fileURLWithPath: Self.finishMan), [partial.path])
        #expect(incomplete.status == 1 && incomplete.stderr.contains("lacks EXAMPLES"), "\(incomplete.stderr)")
    }
}

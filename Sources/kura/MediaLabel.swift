import ArgumentParser
import Foundation
import KuraMedia
import KuraRepository

extension Kura.Media {
    struct Label: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "label",
            abstract: "Print what a medium holds, from its labels; with the repository password, authenticate them too.",
            discussion: """
            Reads the label of every complete set on the medium, reading it through (on a tape that is a whole pass; \
            --first reads only the first label); a set an interrupted write left incomplete is named on stderr and not \
            listed. Several sets are consecutive archives: plain `tar tvf` lists only the first, `tar -itvf` (GNU) or \
            `bsdtar --ignore-zeros -tvf` lists them all. \
            Without a password it shows the label's clear part (serial, barcode, repository, set and snapshot ids, sizes, \
            dates, key slots) and says that the label is not authenticated and that who wrote the set and each snapshot's \
            host, paths and tags need the password. With the password (--password-file, --password-command, \
            KURA_PASSWORD_FILE or KURA_PASSWORD; never prompted for) it checks each label's MAC and opens its sealed part: \
            a label changed after writing (another serial, dates, snapshots, ...) exits 1 naming what changed. \
            Version-1 labels (written before kura 0.2) carry no MAC and cannot be authenticated.
            """)

        @Argument(help: ArgumentHelp("Tape device or file.", valueName: "path"))
        var device: String

        @Flag(help: "Read only the first set's label.")
        var first = false

        @Option(help: ArgumentHelp("Read the repository password from the first line of this file (default: $KURA_PASSWORD_FILE).", valueName: "file"))
        var passwordFile: String?

        @Option(help: ArgumentHelp("Run this shell command and use the first line it prints as the repository password.", valueName: "command"))
        var passwordCommand: String?

        @OptionGroup var output: OutputOptions

        /// The repository password when one is given; `media label` never prompts.
        private func password() throws -> String? {
            let environment = ProcessInfo.processInfo.environment
            guard passwordFile != nil || passwordCommand != nil || !(environment["KURA_PASSWORD_FILE"] ?? "").isEmpty
                    || environment["KURA_PASSWORD"] != nil else { return nil }
            return try SecretSource(file: passwordFile, command: passwordCommand, environmentName: "KURA_PASSWORD",
                                    prompt: "repository password: ").read()
        }

        func run() throws {
            // With the password a label that fails authentication throws: nothing it says is shown as if it were true.
            var labels: [MediumLabel]
            if first {
                labels = [try MediumInspector.firstLabel(device: device)]
            } else {
                let survey = try MediumInspector.survey(device: device)
                survey.skipped.forEach { Terminal.warn($0) }
                labels = survey.labels
            }
            if let password = try password() { labels = try MediumInspector.authenticate(labels, password: password) }
            if output.json {
                try Terminal.printJSON(labels.map(LabelListing.init))
                return
            }
            if output.quiet { return }
            for label in labels {
                print("set \(label.set) on medium \(label.serial)\(label.barcode.map { " (\($0))" } ?? "")")
                print("  label version \(label.version): " + (label.isAuthenticated ? "authenticated with the repository's key"
                    : label.version < 2 ? "written before labels were authenticated; it cannot be checked"
                    : "NOT authenticated: give the repository password to check it and to read its sealed part"))
                print("  repository \(label.repositoryID)")
                let writer = label.details.map { " by \($0.writtenBy)" } ?? " (who wrote it needs the password)"
                print("  written \(label.writtenAt)\(writer); retain until \(label.retainUntil)")
                print("  \(label.packs) packs, \(Terminal.formatBytes(Int(label.bytes))); \(label.keySlots.count) passphrase-protected key slot\(label.keySlots.count == 1 ? "" : "s")")
                for s in label.snapshots {
                    let origin = label.details?.origin(of: s.id)
                    print("  snapshot \(s.id.prefix(8))  \(s.time)  \(Terminal.formatBytes(Int(s.bytes)))"
                        + (origin.map { "  \($0.hostname)  \($0.paths.joined(separator: " "))" + ($0.tags.isEmpty ? "" : "  tags \($0.tags.joined(separator: ","))") }
                           ?? "  (host, paths and tags need the password)"))
                }
            }
        }
    }

    /// A label without its key slots' ciphertext, as `media label --json` prints it; the sealed
    /// details (written_by, each snapshot's hostname, paths, tags) only when they were opened.
    struct LabelListing: Encodable {
        /// The snapshot object (its sealed fields null until authenticated) and the bytes the set holds for it.
        struct Snapshot: Encodable {
            var snapshot: SnapshotJSON
            var bytes: Int64
        }

        var set: String
        var version: Int
        var authenticated: Bool
        var serial: String
        var barcode: String?
        var repositoryID: String
        var snapshots: [Snapshot]
        var packs: Int
        var bytes: Int64
        var writtenAt: String
        var writtenBy: String?
        var retainUntil: String
        var keySlots: [String]

        init(_ l: MediumLabel) {
            set = l.set; version = l.version; authenticated = l.isAuthenticated; serial = l.serial; barcode = l.barcode
            repositoryID = l.repositoryID
            snapshots = l.snapshots.map { s in
                let origin = l.details?.origin(of: s.id)
                return Snapshot(snapshot: SnapshotJSON(label: s, origin: origin), bytes: s.bytes)
            }
            packs = l.packs; bytes = l.bytes; writtenAt = JSONTime.string(l.writtenAt); writtenBy = l.details?.writtenBy
            retainUntil = JSONTime.string(l.retainUntil)
            keySlots = l.keySlots.keys.sorted()
        }

        enum CodingKeys: String, CodingKey {
            case set, version, authenticated, serial, barcode, snapshots, packs, bytes
            case repositoryID = "repository_id", writtenAt = "written_at", writtenBy = "written_by"
            case retainUntil = "retain_until", keySlots = "key_slots"
        }
    }
}

import ArgumentParser
import Foundation
import KuraMedia

extension Kura.Media {
    struct Label: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print what a medium holds, from its labels, without the passphrase.",
            discussion: "Reads the label of every set on the medium (on a tape that is a whole pass; --first reads only the first).")

        @Argument(help: ArgumentHelp("Tape device or file.", valueName: "path"))
        var device: String

        @Flag(help: "Read only the first set's label.")
        var first = false

        @OptionGroup var output: OutputOptions

        func run() throws {
            let labels = first ? [try MediumInspector.firstLabel(device: device)] : try MediumInspector.labels(device: device)
            if output.json {
                try Terminal.printJSON(labels.map(LabelListing.init))
                return
            }
            if output.quiet { return }
            for label in labels {
                print("set \(label.set) on medium \(label.serial)\(label.barcode.map { " (\($0))" } ?? "")")
                print("  repository \(label.repositoryID)")
                print("  written \(label.writtenAt) by \(label.writtenBy); retain until \(label.retainUntil)")
                print("  \(label.packs) packs, \(Terminal.formatBytes(Int(label.bytes))); \(label.keySlots.count) passphrase-protected key slot\(label.keySlots.count == 1 ? "" : "s")")
                for s in label.snapshots {
                    print("  snapshot \(s.id.prefix(8))  \(s.time)  \(s.hostname)  \(Terminal.formatBytes(Int(s.bytes)))  \(s.paths.joined(separator: " "))")
                }
            }
        }
    }

    /// A label without its key slots' ciphertext, as `media label --json` prints it.
    struct LabelListing: Encodable {
        var set: String
        var serial: String
        var barcode: String?
        var repositoryID: String
        var snapshots: [MediumLabel.SnapshotSummary]
        var packs: Int
        var bytes: Int64
        var writtenAt: String
        var writtenBy: String
        var retainUntil: String
        var keySlots: [String]

        init(_ l: MediumLabel) {
            set = l.set; serial = l.serial; barcode = l.barcode; repositoryID = l.repositoryID; snapshots = l.snapshots
            packs = l.packs; bytes = l.bytes; writtenAt = l.writtenAt; writtenBy = l.writtenBy; retainUntil = l.retainUntil
            keySlots = l.keySlots.keys.sorted()
        }

        enum CodingKeys: String, CodingKey {
            case set, serial, barcode, snapshots, packs, bytes
            case repositoryID = "repository_id", writtenAt = "written_at", writtenBy = "written_by"
            case retainUntil = "retain_until", keySlots = "key_slots"
        }
    }
}

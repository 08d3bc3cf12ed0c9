import ArgumentParser
import Foundation
import KuraCatalog

extension Kura.Media {
    struct RecordSet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record-set",
            abstract: "Record by hand that a backup set was written to a medium, with its retain-until date.",
            discussion: """
            `kura media write` records its copies itself; use this for sets written by other means. \
            The medium must be new or active and becomes active (or full with --full). It cannot be \
            disposed of before --retain-until has passed.
            """)

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("The id of the repository the set comes from.", valueName: "id"))
        var repositoryID: String

        @Option(name: .customLong("snapshot"), help: ArgumentHelp("A snapshot id in the set (repeat for several).", valueName: "id"))
        var snapshots: [String] = []

        @Option(name: .customLong("source"), help: ArgumentHelp("What the set backs up, e.g. a path or stdin:crm.sql (repeatable).",
                                                              valueName: "source"))
        var sources: [String] = []

        @Option(help: ArgumentHelp("Bytes written.", valueName: "n"))
        var bytes: Int64

        @Option(help: ArgumentHelp("Keep the set until this date: 2030-01-01 (midnight UTC) or an ISO 8601 time; in the past "
            + "only with an earlier --written-at.", valueName: "date"))
        var retainUntil: String

        @Option(help: ArgumentHelp("When it was written (default: now; not in the future).", valueName: "date"))
        var writtenAt: String?

        @Option(name: .customLong("key-slot"), help: ArgumentHelp("A key slot id written with the set (repeatable).", valueName: "id"))
        var keySlots: [String] = []

        @Option(help: ArgumentHelp("Which repository keys open the set, in words, for the exposure report.", valueName: "text"))
        var keyDescription = "the repository's full key slots"

        @Flag(help: "The medium takes no more sets after this one (active -> full).")
        var full = false

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !snapshots.isEmpty else { throw ValidationError("give at least one --snapshot") }
            guard bytes >= 0 else { throw ValidationError("--bytes cannot be negative") }
            _ = try validating { try RetentionDate.parse(retainUntil, option: "--retain-until") }
            if let writtenAt { _ = try validating { try RetentionDate.parse(writtenAt, option: "--written-at") } }
        }

        func run() throws {
            let catalog = try catalog.open()
            let dates = try RetentionDate.resolveRecorded(until: retainUntil, writtenAt: writtenAt, now: catalog.now)
            let copy = BackupSetCopy(
                serial: serial, repositoryID: repositoryID, snapshotIDs: snapshots, sources: sources, bytes: bytes,
                retainUntil: dates.retainUntil, keySlotIDs: keySlots, keyDescription: keyDescription,
                writtenAt: dates.writtenAt, mediumFull: full)
            let record = try catalog.recordBackupSetCopy(copy, as: signer.name, passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(try catalog.event(record.id)!, medium: try catalog.medium(record.serial), output: output)
        }
    }
}

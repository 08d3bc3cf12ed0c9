import ArgumentParser
import Foundation
import KuraCatalog
import KuraMedia
import KuraRepository
import Logging

extension Kura.Media {
    struct Write: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "write",
            abstract: "Write snapshots to a tape or disk as a standard pax archive, and record the set in the catalog.",
            discussion: """
            The archive starts with a label (serial, barcode, repository id, snapshot ids, and the repository's \
            passphrase-protected full key slots), then the snapshot files, an index and the trees, then the packs: \
            `tar tvf` lists it (`tar -itvf` every set of a medium that holds several), and `kura restore --from-media` restores from it alone with the passphrase. \
            The medium must be in the catalog, new or active, and onsite (exit 20 otherwise, rule not-onsite for a \
            medium the catalog places offsite or in transit); a set larger than the medium's remaining capacity is \
            refused before writing. A device already carrying the label of another medium is refused unless that \
            medium was sanitized for reuse. An active medium's sets are kept and the new set is appended: a file \
            must already hold every set the catalog records on the medium, under labels carrying its serial (those \
            of this repository authenticated with its key), or the write is refused (rule earlier-sets); a recorded \
            set that is there but incomplete is damage, refused with exit 1. Incomplete sets an interrupted write \
            left at the end of a file are cut off and the new set written where they began. On a file the set is \
            read back before it is recorded. A tape is not read before or after writing, since reading would move \
            it: position it at the end of that medium's data first (mt eod); kura cannot check that it is the right \
            tape, so run media verify after appending.
            """)

        @Argument(help: ArgumentHelp("The medium's serial or barcode.", valueName: "serial"))
        var serial: String

        @Argument(help: ArgumentHelp("Snapshots to write: 'latest' or id prefixes.", valueName: "snapshot"))
        var snapshots: [String]

        @Option(help: ArgumentHelp("Tape device (e.g. /dev/nst0) or file to write to.", valueName: "path"))
        var device: String

        @Option(help: ArgumentHelp("Keep the set this many days (default 90, at most 36500).", valueName: "days"))
        var retainDays: Int?

        @Option(help: ArgumentHelp("Keep the set until this date, not in the past: 2030-01-01 (midnight UTC) or ISO 8601.", valueName: "date"))
        var retainUntil: String?

        @Option(help: ArgumentHelp("Tape block size, e.g. 256K or 1M (default 256K; a multiple of 512).", valueName: "size"))
        var blockSize: String = "256K"

        @OptionGroup var signer: SignerOption
        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var filters: SnapshotFilterOptions
        @OptionGroup var locking: LockOptions
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var logging: LogOptions

        func validate() throws {
            if retainDays != nil && retainUntil != nil { throw ValidationError("give --retain-days or --retain-until, not both") }
            if let retainDays { try validating { try RetentionDate.checkDays(retainDays) } }
            if let retainUntil { _ = try validating { try RetentionDate.parse(retainUntil, option: "--retain-until") } }
            guard let size = ByteSize.parse(blockSize), size >= 512, size <= 16 << 20, size % 512 == 0 else {
                throw ValidationError("--block-size must be a multiple of 512 bytes between 512 and 16M, got '\(blockSize)'")
            }
        }

        func run() throws {
            try logging.log("media.write").around(["serial": .string(serial), "device": .string(device)], end: { $0 }) { try write() }
        }

        /// Writes the set and records it; what the log's `media.write.end` says.
        private func write() throws -> Logger.Metadata {
            let catalog = try self.catalog.open()
            let medium: MediumRecord
            do {
                medium = try catalog.medium(serial)
            } catch let error as CatalogError where error.code == .notFound {
                throw CommandFailure("refused by rule medium-registered: medium \(serial) is not in the catalog; register it with kura media add",
                                     exitCode: .catalogRefused)
            }
            guard medium.state.acceptsBackupSets else {
                throw CommandFailure("refused by rule state-transition: medium \(medium.serial) is \(medium.state.rawValue); only new or active media take backup sets",
                                     exitCode: .catalogRefused)
            }
            guard medium.place?.kind == .onsite else {
                throw CommandFailure("refused by rule not-onsite: the catalog places medium \(medium.serial) at \(medium.location)"
                    + (medium.destination.map { " (on its way to \($0))" } ?? "") + ", not onsite; receive it onsite before writing to it",
                                     exitCode: .catalogRefused)
            }
            let retain = try RetentionDate.resolve(until: retainUntil, days: retainDays, now: catalog.now)

            let repo = try repository.open()
            let lock = try locking.lock(repo, exclusive: false, operation: "media write")
            defer { lock.release() }
            var entries: [SnapshotEntry] = []
            for name in snapshots {
                let entry = try filters.resolve(name, in: repo)
                if !entries.contains(where: { $0.id == entry.id }) { entries.append(entry) }
            }
            let plan = try repo.planExport(entries, index: try repo.loadIndex())
            var writer = MediumWriter(serial: medium.serial, barcode: medium.barcode, writtenBy: signer.name, retainUntil: retain)
            writer.blockSize = Int(ByteSize.parse(blockSize)!)
            let label = try writer.label(for: plan, snapshots: entries, repository: repo)

            let present = try catalog.backupSetCopies(on: medium.serial).filter(\.isPresent)
            let used = present.reduce(Int64(0)) { $0 + $1.bytes }
            var full = false
            if let capacityText = medium.capacity, let capacity = ByteSize.parse(capacityText) {
                if used + label.bytes > capacity {
                    throw CommandFailure("refused by rule medium-capacity: the set is \(label.bytes) bytes (\(Terminal.formatBytes(Int(label.bytes)))) "
                        + "but medium \(medium.serial) has \(max(0, capacity - used)) bytes left of \(capacity) (\(capacityText)); "
                        + "spanning a set over several media is not supported", exitCode: .catalogRefused)
                }
                full = capacity - used - label.bytes < label.bytes
            }
            let position = try checkDevice(medium: medium, catalog: catalog, present: present, key: repo.key)
            let append = position != .start

            let copy = BackupSetCopy(serial: medium.serial, repositoryID: repo.id.hex, snapshotIDs: entries.map(\.id.hex),
                                     sources: plan.sources, bytes: label.bytes, retainUntil: retain,
                                     keySlotIDs: label.keySlots.keys.sorted(),
                                     keyDescription: "full key slots of repository \(repo.id.short), Argon2id-protected; the passphrase opens them",
                                     writtenAt: catalog.now, mediumFull: full)
            try catalog.checkBackupSetCopy(copy, as: signer.name)
            let passphrase = try self.catalog.passphrase(for: signer.name)()
            try catalog.requireSigner(signer.name, passphrase: passphrase)

            let progress = Progress(quiet: output.quiet, total: Int64(label.bytes))
            let start = Date()
            let isFile = MediumInspector.isFile(device: device)
            let setOffset: Int64 = switch position {
            case .start: 0
            case .offset(let offset): offset
            case .end: isFile ? MediumInspector.fileSize(device: device) : 0
            }
            let written = try writer.write(plan, label: label, repository: repo, to: device, at: position) {
                progress.update(bytes: $0)
                MediaWriteTestHook.check(written: $0)
            }
            progress.finish()
            let seconds = Date().timeIntervalSince(start)
            // Only a set that reads back is recorded. A tape cannot be read back without moving it: run media verify.
            if isFile {
                do {
                    try MediumWriter.checkWritten(device: device, at: setOffset, label: label)
                } catch let error as MediaError {
                    throw CommandFailure("\(error.message); the set is not recorded in the catalog")
                }
            }
            let record = try catalog.recordBackupSetCopy(copy, as: signer.name, passphrase: { passphrase })
            let state = try catalog.medium(medium.serial).state
            if output.json {
                try Terminal.printJSON(MediaWriteSummary(serial: medium.serial, set: label.set, snapshots: copy.snapshotIDs,
                                                         bytes: written, seconds: seconds, megabytesPerSecond: Double(written) / 1e6 / max(seconds, 1e-9),
                                                         retainUntil: CatalogTime.format(retain), event: record.id, state: state.rawValue,
                                                         appended: append))
            } else if !output.quiet {
                print("wrote \(entries.count) snapshot\(entries.count == 1 ? "" : "s") to \(device) as set \(label.set): "
                      + "\(Terminal.formatBytes(Int(written))) in " + String(format: "%.2f s (%.0f MB/s)", seconds, Double(written) / 1e6 / max(seconds, 1e-9)))
                print("medium \(medium.serial) is \(state.rawValue); the set is retained until \(CatalogTime.format(retain)) (event \(record.id))")
            }
            return ["set": .string(label.set), "snapshots": .stringConvertible(entries.count), "bytes": .stringConvertible(Int(written)),
                    "seconds": .stringConvertible((seconds * 1000).rounded() / 1000), "catalog_event": .stringConvertible(Int(record.id)),
                    "state": .string(state.rawValue)]
        }

        /// Where to write; refuses a device that carries another medium's label, or that lacks
        /// the sets the catalog records on an active medium.
        private func checkDevice(medium: MediumRecord, catalog: Catalog, present: [BackupSetCopyRecord], key: MasterKey) throws -> MediumWriter.Position {
            // Reading a tape's label would move it; the operator positions a tape (mt rewind, or mt eod to append).
            guard MediumInspector.isFile(device: device) else { return medium.state == .active ? .end : .start }
            let blank = MediumInspector.isBlank(device: device) || !FileManager.default.fileExists(atPath: device)
            if medium.state == .active && !present.isEmpty {
                guard !blank else {
                    throw CommandFailure("refused by rule earlier-sets: medium \(medium.serial) is active and the catalog records "
                        + "\(present.count) set\(present.count == 1 ? "" : "s") on it (event\(present.count == 1 ? "" : "s") "
                        + "\(present.map { String($0.id) }.joined(separator: ", "))), but \(device) is empty: give the device that holds medium \(medium.serial)",
                                         exitCode: .catalogRefused)
                }
                return try checkEarlierSets(medium: medium, present: present, key: key)
            }
            guard !blank else { return .start }
            let existing: MediumLabel
            do {
                existing = try MediumInspector.firstLabel(device: device)
            } catch let error as MediaError where error.code == .notKuraMedium {
                guard medium.state == .new else { throw foreignContent(medium) }
                return .start
            }
            if existing.serial == medium.serial {
                return medium.state == .active ? appendPosition(try MediumInspector.survey(device: device)) : .start
            }
            let sanitized = (try? catalog.report(for: existing.serial).disposals.contains { $0.outcome == .sanitized }) ?? false
            guard sanitized else {
                throw CommandFailure("refused by rule foreign-label: \(device) carries the label of medium \(existing.serial), not \(medium.serial), "
                    + "and the catalog has no sanitization of \(existing.serial) for reuse", exitCode: .catalogRefused)
            }
            return .start
        }

        /// After the last complete set: sets an interrupted write left incomplete after it are cut
        /// off (the catalog never recorded them); an incomplete set between complete ones stays, and readers skip it.
        private func appendPosition(_ survey: MediumInspector.Survey) -> MediumWriter.Position {
            let trailing = survey.sets.reversed().prefix { !$0.isComplete }
            let lastComplete = survey.sets.last { $0.isComplete }
            // Bytes after the last complete set's archive that start no set (a part of a block) are cut off too:
            // appended after them, the new set would not start on a 512-byte boundary, and no reader would find it.
            if let junk = lastComplete?.junk {
                Terminal.warn("\(device): cutting off \(MediumInspector.fileSize(device: device) - junk) bytes that belong to no set "
                              + "at byte \(junk) and writing the new set there")
                return .offset(junk)
            }
            guard let first = trailing.last else {
                let size = MediumInspector.fileSize(device: device)
                return size % 512 == 0 ? .end : .offset(size - size % 512)
            }
            for message in survey.skipped { Terminal.warn(message) }
            Terminal.warn("\(device): cutting off \(trailing.count) incomplete set\(trailing.count == 1 ? "" : "s") at byte \(first.offset) "
                          + "and writing the new set there")
            return .offset(first.offset)
        }

        private func foreignContent(_ medium: MediumRecord) -> CommandFailure {
            CommandFailure("refused by rule foreign-label: \(device) holds something that is not a kura set, but medium \(medium.serial) is \(medium.state.rawValue) and should hold kura sets",
                           exitCode: .catalogRefused)
        }

        /// Every label on the file carries this medium's serial (and authenticates, for this
        /// repository's sets), and every set the catalog records on the medium is among them.
        private func checkEarlierSets(medium: MediumRecord, present: [BackupSetCopyRecord], key: MasterKey) throws -> MediumWriter.Position {
            let survey: MediumInspector.Survey
            do {
                survey = try MediumInspector.survey(device: device)
            } catch let error as MediaError where error.code == .notKuraMedium {
                throw foreignContent(medium)
            }
            let labels = survey.labels
            for label in labels {
                guard label.serial == medium.serial else {
                    throw CommandFailure("refused by rule foreign-label: \(device) carries set \(label.set) labelled for medium \(label.serial), not \(medium.serial)",
                                         exitCode: .catalogRefused)
                }
                if label.repositoryID == key.repository.hex {
                    do {
                        _ = try label.authenticated(with: key)
                    } catch let error as MediaError {
                        throw CommandFailure("refused by rule earlier-sets: \(device): \(error.message)", exitCode: .catalogRefused)
                    }
                }
            }
            let onDevice = Set(labels.flatMap { label in label.snapshots.map { "\(label.repositoryID)/\($0.id)" } })
            let missing = present.filter { copy in copy.snapshotIDs.values.contains { !onDevice.contains("\(copy.repositoryID)/\($0)") } }
            // A recorded set that is there but incomplete is damage, not a wrong device: name it.
            for copy in missing {
                if let damaged = survey.sets.first(where: { set in
                    !set.isComplete && set.label.map { l in l.repositoryID == copy.repositoryID && copy.snapshotIDs.values.allSatisfy { id in l.snapshots.contains { $0.id == id } } } ?? false
                }) {
                    throw CommandFailure("\(device) is damaged: the set \(damaged.label!.set) at byte \(damaged.offset), recorded by event \(copy.id), "
                        + "is incomplete (\(damaged.problem ?? "")); nothing was appended: run kura media verify")
                }
            }
            guard missing.isEmpty else {
                throw CommandFailure("refused by rule earlier-sets: \(device) does not hold \(missing.count) of the sets the catalog records on medium \(medium.serial) "
                    + "(event\(missing.count == 1 ? "" : "s") \(missing.map { String($0.id) }.joined(separator: ", ")), snapshot\(missing.count == 1 ? "" : "s") "
                    + "\(missing.flatMap { $0.snapshotIDs.values.prefix(3).map { String($0.prefix(8)) } }.joined(separator: ", "))): "
                    + "give the device that holds medium \(medium.serial)", exitCode: .catalogRefused)
            }
            return appendPosition(survey)
        }
    }

    struct MediaWriteSummary: Encodable {
        var serial: String
        var set: String
        var snapshots: [String]
        var bytes: Int64
        var seconds: Double
        var megabytesPerSecond: Double
        var retainUntil: String
        var event: Int64
        var state: String
        var appended: Bool

        enum CodingKeys: String, CodingKey {
            case serial, set, snapshots = "snapshot_ids", bytes, seconds = "duration_seconds", event, state, appended
            case megabytesPerSecond = "mb_per_second", retainUntil = "retain_until"
        }
    }
}

import ArgumentParser
import Foundation
import KuraCatalog
import KuraMedia

extension Kura.Media {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Read a whole medium back and record whether it holds every set the catalog lists, intact.",
            discussion: """
            Checks the label's serial, every pack against its name, every blob's authentication and id, and that every \
            set the catalog lists for the serial is on the medium. Needs the repository passphrase (KURA_PASSWORD etc.). \
            A set an interrupted write left incomplete is named on stderr and skipped (it fails the check only if the \
            catalog records it). With --as the result, pass or fail, is recorded in the catalog as a signed event. \
            Exits 1 on any problem.
            """)

        @Argument(help: ArgumentHelp("The medium's serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("Tape device or file to read.", valueName: "path"))
        var device: String

        @Option(name: .customLong("as"), help: ArgumentHelp("Record the result as this custodian (signed with their key).", valueName: "name"))
        var signer: String?

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let catalog = try self.catalog.open()
            let medium = try catalog.medium(serial)
            var passphrase: String?
            if let signer {
                let typed = try self.catalog.passphrase(for: signer)()
                try catalog.requireSigner(signer, passphrase: typed)
                passphrase = typed
            }
            let password = try repository.passwordSource().read()
            var problems: [String] = []
            var report = MediumVerifier.Report(device: device)
            do {
                report = try MediumVerifier.verify(device: device, password: password)
                problems = report.problems
                report.skipped.forEach { Terminal.warn($0) }
            } catch let error as MediaError where error.code != .libraryMissing {
                problems = [error.message]
            }
            for set in report.sets where set.serial != medium.serial {
                problems.append("set \(set.set) is labelled for medium \(set.serial), not \(medium.serial)")
            }
            let found = report.snapshotIDs
            for copy in try catalog.backupSetCopies(on: medium.serial) where copy.isPresent {
                let missing = copy.snapshotIDs.values.filter { !found.contains($0) }
                if !missing.isEmpty {
                    problems.append("set recorded by event \(copy.id) is not on the medium: snapshot\(missing.count == 1 ? "" : "s") \(missing.map { String($0.prefix(8)) }.joined(separator: ", ")) missing")
                }
            }
            let passed = problems.isEmpty
            var event: Int64?
            if let signer, let passphrase {
                let verified = MediumVerified(serial: medium.serial, passed: passed, problems: problems, snapshotIDs: found.sorted(),
                                              bytesRead: report.sets.reduce(0) { $0 + $1.bytesRead })
                event = try catalog.recordVerification(verified, as: signer, passphrase: { passphrase }).sequence
            }
            if output.json {
                try Terminal.printJSON(VerifySummary(serial: medium.serial, device: device, passed: passed, problems: problems,
                                                     sets: report.sets, event: event))
            } else {
                for problem in problems { Terminal.printError(problem) }
                if !output.quiet || !passed {
                    let packs = report.sets.reduce(0) { $0 + $1.packsRead }, blobs = report.sets.reduce(0) { $0 + $1.blobsRead }
                    print("medium \(medium.serial): \(report.sets.count) set\(report.sets.count == 1 ? "" : "s"), \(found.count) snapshots, "
                          + "\(packs) packs, \(blobs) blobs read: \(passed ? "pass" : "FAIL")"
                          + (event.map { " (recorded as event \($0))" } ?? " (not recorded: give --as NAME to record it)"))
                }
            }
            if !passed { throw ExitCode(ExitStatus.failure.rawValue) }
        }
    }

    struct VerifySummary: Encodable {
        var serial: String
        var device: String
        var passed: Bool
        var problems: [String]
        var sets: [MediumVerifier.SetReport]
        var event: Int64?
    }
}

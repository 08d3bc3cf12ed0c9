import ArgumentParser
import Foundation
import KuraCatalog

extension Kura.Media {
    struct Inventory: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inventory",
            abstract: "Compare what the catalog puts at a location with what was scanned there; exit 1 on any discrepancy.",
            discussion: """
            The scanned file holds one serial or barcode per line (blank lines and lines starting with # are \
            skipped; - reads standard input). Reports media missing (expected, not scanned), unexpected (scanned, \
            unknown to the catalog) and misplaced (scanned, but the catalog puts them elsewhere, or lost). \
            The inventory is recorded in the audit log either way.
            """)

        @Option(help: ArgumentHelp("The location inventoried: onsite:ROOM or offsite:VAULT.", valueName: "location"))
        var location: String

        @Option(help: ArgumentHelp("File of scanned serials or barcodes, one per line (- for standard input).", valueName: "file"))
        var scanned: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            do { _ = try Location(parsingPlace: location) } catch let error as CatalogError { throw ValidationError(error.message) }
        }

        func run() throws {
            let data = scanned == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: scanned)
            guard let data else { throw CommandFailure("cannot read scanned file \(scanned)") }
            let values = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            let catalog = try catalog.open()
            let event = try catalog.append(CatalogChange(InventoryTaken(location: location, scanned: values)), as: signer.name,
                                           passphrase: self.catalog.passphrase(for: signer.name))
            guard let inventory = try catalog.inventory(event.sequence) else {
                throw CommandFailure("inventory \(event.sequence) was not recorded")
            }
            if output.json {
                try Terminal.printJSON(inventory)
            } else if !output.quiet {
                print("inventory \(inventory.id) of \(inventory.location) by \(inventory.takenBy) at \(inventory.takenAt): "
                    + "\(inventory.scanned.values.count) scanned, \(inventory.present.values.count) present")
                for serial in inventory.missing.values { print("missing: \(serial)") }
                for value in inventory.unexpected.values { print("unexpected: \(value)") }
                let media = try catalog.media()
                for serial in inventory.misplaced.values {
                    let medium = media.first { $0.serial == serial }
                    print("misplaced: \(serial) (catalog: \(medium.map { "\($0.state.rawValue) at \($0.location)" } ?? "?"))")
                }
            }
            if inventory.hasDiscrepancies {
                throw CommandFailure("inventory of \(inventory.location) found \(inventory.missing.values.count) missing, "
                    + "\(inventory.unexpected.values.count) unexpected, \(inventory.misplaced.values.count) misplaced")
            }
        }
    }
}

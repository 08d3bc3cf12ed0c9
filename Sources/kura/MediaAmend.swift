import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "amend",
            abstract: "Correct a medium's type, barcode, capacity or property number; old and new values are signed into the log.",
            discussion: """
            A correction is a signed event (media.amended), never an edit: `media show`, `audit log` and the \
            certificate of sanitization show the old and new values, and `audit verify` replays them. An empty \
            value removes a barcode, capacity or property number. A barcode stays unique (exit 20, rule \
            barcode-unique). A disposed medium, or one whose sanitization is recorded but not yet validated, \
            cannot be amended (exit 20).
            """)

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(name: .customLong("type"), help: ArgumentHelp("The correct media type: LTO-8, LTO-9, HDD, SSD, ...", valueName: "type"))
        var mediaType: String?

        @Option(help: ArgumentHelp("The correct barcode label (empty: none).", valueName: "barcode"))
        var barcode: String?

        @Option(help: ArgumentHelp("The correct native capacity, e.g. 18TB (empty: not recorded).", valueName: "capacity"))
        var capacity: String?

        @Option(help: ArgumentHelp("The correct property (asset) number (empty: not recorded).", valueName: "number"))
        var propertyNumber: String?

        @Option(help: ArgumentHelp("Why the record was wrong.", valueName: "text"))
        var reason: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        /// The fields given, with their new values; an empty value is none.
        var corrections: [(field: MediumField, value: String?)] {
            [(MediumField.mediaType, mediaType), (.barcode, barcode), (.capacity, capacity), (.propertyNumber, propertyNumber)]
                .compactMap { field, value in value.map { (field, $0.isEmpty ? nil : $0) } }
        }

        func validate() throws {
            guard !corrections.isEmpty else {
                throw ValidationError("give at least one of --type, --barcode, --capacity, --property-number")
            }
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("give a --reason") }
            if mediaType?.isEmpty == true { throw ValidationError("--type cannot be empty") }
            if let capacity, !capacity.isEmpty {
                guard let bytes = ByteSize.parse(capacity), ByteSize.hasUnit(capacity), bytes >= 1_000_000 else {
                    throw ValidationError("--capacity '\(capacity)' is not a size of at least 1 MB with a unit, such as 18TB or 800GB")
                }
            }
        }

        func run() throws {
            let catalog = try catalog.open()
            let medium = try catalog.medium(serial)
            let current = try catalog.state().media[medium.serial] ?? medium
            let changes = corrections.map { MediumFieldChange(field: $0.field, old: current[$0.field], new: $0.value) }
            let change = CatalogChange(MediumAmended(serial: medium.serial, changes: changes, reason: reason))
            let event = try catalog.append(change, as: signer.name, passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(event, medium: try catalog.medium(medium.serial), output: output)
        }
    }
}

import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Release a hold; must be a different custodian from the one who placed it.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("Which hold, when the medium has several (see `kura media show`).", valueName: "id"))
        var hold: Int64?

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let catalog = try catalog.open()
            let serial = try catalog.medium(serial).serial
            let active = try catalog.state().activeHolds(on: serial)
            let holdID: Int64
            if let hold {
                holdID = hold
            } else if active.count == 1 {
                holdID = active[0].id
            } else if active.isEmpty {
                throw CatalogError.refused(.noActiveHold, "medium \(serial) has no active hold")
            } else {
                throw ValidationError("medium \(serial) has \(active.count) active holds (\(active.map { String($0.id) }.joined(separator: ", "))); "
                    + "say which with --hold")
            }
            let event = try catalog.append(CatalogChange(HoldReleased(serial: serial, hold: holdID)), as: signer.name,
                                           passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(event, medium: try catalog.medium(serial), output: output)
        }
    }
}

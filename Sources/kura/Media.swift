import ArgumentParser
import KuraCatalog

extension Kura {
    struct Media: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "media",
            abstract: "Tapes and disks by serial: registration, custody, holds, disposal, inventory.",
            discussion: """
            States: new -> active -> full; new|active|full|quarantined -> disposal-requested -> \
            disposal-approved -> disposed (terminal) or sanitized -> new (reuse); any live state -> lost | \
            quarantined; lost -> found (its prior state). Locations: onsite:NAME, offsite:VAULT, in-transit:COURIER. \
            A medium is never deleted. Every refused step exits 20 and names the rule; a wrong \
            custodian passphrase exits 12. Every step is stamped with the system clock.
            """,
            subcommands: registryCommands + custodyCommands + disposalCommands + exportCommands)

        static let registryCommands: [any ParsableCommand.Type] = [Add.self, Amend.self, List.self, Show.self, RecordSet.self]
        static let custodyCommands: [any ParsableCommand.Type] = [
            Move.self, Receive.self, Hold.self, Release.self, Quarantine.self, Lost.self, Found.self, Inventory.self,
        ]
        static let disposalCommands: [any ParsableCommand.Type] = [Dispose.self, Certificate.self, Reuse.self]
    }
}

extension MediumState: ExpressibleByArgument {}
extension SanitizationMethod: ExpressibleByArgument {}
extension SanitizationDestination: ExpressibleByArgument {}

import Foundation
import KuraCatalog

/// What a catalog command that changed something prints: the signed event, and the medium as it is now.
struct AuditEventOutput: Encodable {
    var event: EventJSON
    var medium: MediumJSON?

    static func print(_ event: EventRecord, medium: MediumRecord? = nil, output: OutputOptions) throws {
        if output.json {
            try Terminal.printJSON(AuditEventOutput(event: EventJSON(event), medium: medium.map(MediumJSON.init)))
        } else if !output.quiet {
            var line = "event \(event.sequence) signed by \(event.actor): \(event.summary)"
            if let medium { line += " [now \(medium.state.rawValue) at \(medium.location)]" }
            Swift.print(line)
        }
    }
}

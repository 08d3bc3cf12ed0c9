import ArgumentParser

extension Kura.Media {
    struct Dispose: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dispose",
            abstract: "Two-person disposal: request (A), approve (B != A), record sanitization (C), validate (D != C).",
            discussion: """
            A request, and again its approval, is refused (exit 20) while the medium holds a backup set whose \
            retain-until date has not passed, is on hold, is not onsite (offsite or in transit), or is already \
            disposed of or lost. Sanitization follows NIST SP 800-88: --method clear, purge or destroy. After \
            validation the medium is disposed (terminal) or, for --destination internal-reuse, sanitized \
            (then `kura media reuse`). Print the certificate with `kura media certificate`.
            """,
            subcommands: [Request.self, Approve.self, Record.self, Validate.self, Cancel.self])
    }
}

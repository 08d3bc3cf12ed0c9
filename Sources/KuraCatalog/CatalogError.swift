/// The one error type KuraCatalog throws: what kind of failure, and one line saying why.
public struct CatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: Equatable, Sendable {
        /// A catalog rule refused the change; the rule is named in the message.
        case ruleRefused(Rule)
        /// The custodian's passphrase does not open their signing key.
        case wrongPassword
        /// No such custodian, medium, hold or disposal.
        case notFound
        /// An argument the catalog cannot accept (a malformed location, an empty name).
        case invalid
        /// The audit log or the current-state tables do not match what was signed.
        case verificationFailed
        /// The catalog file could not be opened, read or written.
        case storage
        /// No catalog file where one was expected: read-only commands never create one.
        case missing
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func refused(_ rule: Rule, _ detail: String) -> CatalogError {
        CatalogError(.ruleRefused(rule), "refused by rule \(rule.rawValue): \(detail)")
    }

    public var description: String { message }
}

import Foundation

/// A repository key slot, as `key list` prints it (`key add` prints the same object for the new slot).
struct KeyJSON: Encodable {
    var id: String
    /// full or write-only.
    var kind: String
    var created: Date
    var hostname: String
    var username: String
    /// Whether this is the slot the password opened.
    var current: Bool
}

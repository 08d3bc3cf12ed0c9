/// Checks on the free text people type into the catalog.
enum CatalogText {
    /// Names and serials go into one-line reports and certificates: no control characters, not blank.
    static func requireSingleLine(_ text: String, what: String) throws {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CatalogError(.invalid, "\(what) is empty")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw CatalogError(.invalid, "\(what) '\(text.debugDescription)' contains a control character")
        }
    }

    static func requireSingleLine(_ text: String?, what: String) throws {
        if let text { try requireSingleLine(text, what: what) }
    }
}

extension Catalog {
    /// Throws `.wrongPassword` unless `passphrase` opens custodian `name`'s signing key; for
    /// commands that do long work before they sign, so a typo fails first, not last.
    public func checkPassphrase(of name: String, _ passphrase: String) throws {
        guard let custodian = try state().custodians[name] else { throw CatalogError(.notFound, "no custodian named '\(name)'") }
        _ = try SealedSigningKey(custodian).open(for: name, passphrase: passphrase)
    }
}

extension Catalog {
    /// Throws unless `actor` is an active custodian and `passphrase` opens their signing key; for commands
    /// that do long work before they sign, so a typo or a revoked signer fails first, not last. The opened
    /// key is kept for this catalog's later `append`s by the same signer, so Argon2id runs once.
    public func requireSigner(_ actor: String, passphrase: String) throws {
        let state = try storage { try database.read { try Self.decisionState(for: nil, $0) } }
        try state.requireActiveSigner(actor)
        guard let custodian = state.custodians[actor] else { throw CatalogError(.notFound, "no custodian named '\(actor)'") }
        _ = try signingKey(of: custodian, passphrase: passphrase)
    }

    /// `custodian`'s secret signing key, opened with `passphrase` (`.wrongPassword` otherwise), from the
    /// cache when the same passphrase opened it before.
    func signingKey(of custodian: CustodianRecord, passphrase: String) throws -> [UInt8] {
        let sealed = SealedSigningKey(custodian)
        if let cached = openedKeys[custodian.name], cached.passphrase == passphrase, cached.sealed == sealed { return cached.key }
        let key = try sealed.open(for: custodian.name, passphrase: passphrase)
        openedKeys[custodian.name] = (passphrase, sealed, key)
        return key
    }
}

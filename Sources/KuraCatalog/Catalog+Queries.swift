import GRDB

/// Read-only questions about the catalog, answered from the current-state tables.
extension Catalog {
    public func custodians() throws -> [CustodianRecord] {
        try storage { try database.read { try CustodianRecord.byName().fetchAll($0) } }
    }

    /// Who approved each pending or approved custodian, by custodian name.
    public func approvers() throws -> [String: [String]] {
        try storage {
            try database.read { db in
                Dictionary(grouping: try CustodianApprovalRecord.order(CustodianApprovalRecord.Columns.approver).fetchAll(db),
                           by: \.custodian).mapValues { $0.map(\.approver) }
            }
        }
    }

    public func media(state: MediumState? = nil, location: String? = nil) throws -> [MediumRecord] {
        try storage { try database.read { try MediumRecord.listed(state: state, location: location).fetchAll($0) } }
    }

    /// The medium with this serial or barcode; `.notFound` if none.
    public func medium(_ serialOrBarcode: String) throws -> MediumRecord {
        let medium = try storage { try database.read { try MediumRecord.identified(by: serialOrBarcode, in: $0) } }
        guard let medium else { throw CatalogError(.notFound, "no medium with serial or barcode '\(serialOrBarcode)'") }
        return medium
    }

    public func report(for serialOrBarcode: String) throws -> MediumReport {
        let medium = try medium(serialOrBarcode)
        return try storage {
            try database.read { db in
                let backupSets = try BackupSetCopyRecord.on(medium.serial).fetchAll(db)
                let machines = Set(try CustodianRecord.fetchAll(db).filter(\.isMachine).map(\.name))
                return MediumReport(medium: medium,
                             backupSets: backupSets,
                             holds: try HoldRecord.on(medium.serial).fetchAll(db),
                             moves: try CustodyMoveRecord.of(medium.serial).fetchAll(db),
                             disposals: try DisposalRecord.of(medium.serial).fetchAll(db),
                             history: try EventRecord.about(medium.serial).fetchAll(db),
                             machineSigners: Set(backupSets.map(\.recordedBy)).intersection(machines).sorted())
            }
        }
    }

    /// The whole audit log, oldest first.
    public func events() throws -> [EventRecord] {
        try storage { try database.read { try EventRecord.inOrder().fetchAll($0) } }
    }

    public func event(_ sequence: Int64) throws -> EventRecord? {
        try storage { try database.read { try EventRecord.fetchOne($0, key: sequence) } }
    }

    public func inventory(_ id: Int64) throws -> InventoryRecord? {
        try storage { try database.read { try InventoryRecord.fetchOne($0, key: id) } }
    }
}

import KuraStorage

/// The repository's objects by kind and id: what `Backend` stores (kura-repository(5), BACKENDS).
extension ObjectHandle {
    static func pack(_ id: BlobID) -> ObjectHandle { ObjectHandle(.data, id.hex) }
    static func index(_ id: BlobID) -> ObjectHandle { ObjectHandle(.index, id.hex) }
    static func snapshot(_ id: BlobID) -> ObjectHandle { ObjectHandle(.snapshots, id.hex) }
    static func hold(_ id: BlobID) -> ObjectHandle { ObjectHandle(.holds, id.hex) }
    static func key(_ id: String) -> ObjectHandle { ObjectHandle(.keys, id) }
    static func lock(_ id: String) -> ObjectHandle { ObjectHandle(.locks, id) }
}

extension Backend {
    /// The ids of the objects of a kind whose names are 64 hex digits (others are ignored), with their sizes.
    func objects(_ kind: ObjectKind) throws -> [(id: BlobID, size: Int64)] {
        var found: [(id: BlobID, size: Int64)] = []
        for info in try list(kind) {
            guard let id = BlobID(hex: info.name), id.hex == info.name else { continue }
            found.append((id: id, size: info.size))
        }
        return found
    }

    /// The sizes of those objects by id.
    func objectSizes(_ kind: ObjectKind) throws -> [BlobID: Int64] {
        var sizes: [BlobID: Int64] = [:]
        for object in try objects(kind) { sizes[object.id] = object.size }
        return sizes
    }

    /// The ids of the objects of a kind whose names are 64 hex digits.
    func ids(_ kind: ObjectKind) throws -> [BlobID] { try objects(kind).map(\.id) }
}

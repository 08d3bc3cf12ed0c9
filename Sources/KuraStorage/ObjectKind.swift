/// What a repository stores. Each kind is a flat namespace of object names; a backend decides where
/// an object lives (the local backend uses the directory of the same name, and `data/XX/` for packs).
public enum ObjectKind: String, Sendable, CaseIterable {
    /// The one object named `config`.
    case config
    case keys
    /// Packs, named by the 64 hex digits of their id.
    case data
    case index
    case snapshots
    case locks
    case holds
}

/// One named object of one kind.
public struct ObjectHandle: Hashable, Sendable, CustomStringConvertible {
    public let kind: ObjectKind
    public let name: String

    public init(_ kind: ObjectKind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    public static let config = ObjectHandle(.config, "config")

    public var description: String { kind == .config ? "config" : kind.rawValue + "/" + name }
}

/// An object found by `Backend.list` or `Backend.stat`.
public struct ObjectInfo: Hashable, Sendable {
    public let name: String
    public let size: Int64

    public init(name: String, size: Int64) {
        self.name = name
        self.size = size
    }
}

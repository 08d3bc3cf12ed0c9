/// A `source.retired` event as the report reads it. It is kept only in the log (no current-state table): the
/// report and the rules take it from the events.
public struct SourceRetirement: Codable, Sendable, Equatable {
    /// The sequence of the event that retired the source.
    public var id: Int64
    public var name: String
    /// The one host it was retired on; nil for every host.
    public var host: String?
    public var reason: String?
    public var retiredBy: String
    public var retiredAt: String

    enum CodingKeys: String, CodingKey {
        case id, name, host, reason, retiredBy = "retired_by", retiredAt = "retired_at"
    }

    func covers(host: String, name: String) -> Bool { self.name == name && (self.host == nil || self.host == host) }

    /// The retirement in effect for the source `name` on `host` whose newest backup was recorded by event
    /// `lastBackup`: the newest retirement of it after that backup, if any.
    static func inEffect(_ retirements: [SourceRetirement], host: String, name: String, lastBackup: Int64) -> SourceRetirement? {
        retirements.filter { $0.id > lastBackup && $0.covers(host: host, name: name) }.max { $0.id < $1.id }
    }
}

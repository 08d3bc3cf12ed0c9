/// A source (a path or stream name) that is no longer backed up, retired by a custodian (`kura source retire`) so
/// `kura report` stops naming it stale. Its subject is the source's name. Without `host` it retires the name on
/// every host; a backup of the source recorded after the event makes it active again.
public struct SourceRetired: EventPayload {
    public static let kind = "source.retired"
    public var name: String
    public var host: String?
    public var reason: String?
    public var subject: String { name }

    public init(name: String, host: String? = nil, reason: String? = nil) {
        self.name = name
        self.host = host
        self.reason = reason
    }
}

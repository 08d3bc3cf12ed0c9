/// Where an S3 repository is: `s3:http[s]://HOST[:PORT]/BUCKET[/PREFIX]` (restic's form).
/// Requests are path-style (`http://HOST:PORT/BUCKET/KEY`), which every S3-compatible store accepts.
public struct S3Location: Sendable, Equatable {
    /// `http` or `https`.
    public let scheme: String
    /// The host as written in the URL (`[::1]` keeps its brackets).
    public let host: String
    /// nil when the URL names none or the scheme's default.
    public let port: Int?
    public let bucket: String
    /// The key prefix every object lives under, without leading or trailing slash; empty for the bucket's root.
    public let prefix: String

    /// Parses `s3:http[s]://HOST[:PORT]/BUCKET[/PREFIX]`; anything else is `.invalidLocation`.
    public init(parsing text: String) throws(StorageError) {
        func invalid(_ why: String) -> StorageError {
            StorageError(.invalidLocation, "\(text): \(why); expected s3:http[s]://HOST[:PORT]/BUCKET[/PREFIX]")
        }
        guard text.hasPrefix("s3:") else { throw invalid("not an s3: location") }
        let url = text.dropFirst(3)
        let scheme: String
        if url.hasPrefix("https://") { scheme = "https" } else if url.hasPrefix("http://") { scheme = "http" } else {
            throw invalid("the URL must start with http:// or https://")
        }
        let rest = url.dropFirst(scheme.count + 3)
        guard !rest.contains(where: { $0 == "?" || $0 == "#" || $0 == "@" || $0 == "\\" || $0.isWhitespace }) else {
            throw invalid("the URL may not hold a query, a fragment, user information or spaces")
        }
        guard let slash = rest.firstIndex(of: "/") else { throw invalid("no bucket named") }
        let authority = rest[..<slash]
        var host = Substring(authority)
        var port: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("unclosed [ in the host") }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("junk after the host") }
                port = try Self.port(after.dropFirst(), invalid)
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            port = try Self.port(authority[authority.index(after: colon)...], invalid)
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.[]:".contains($0)) }) else {
            throw invalid("no usable host")
        }
        if port == (scheme == "https" ? 443 : 80) { port = nil }

        var segments = rest[rest.index(after: slash)...].split(separator: "/", omittingEmptySubsequences: false)
        while segments.count > 1, segments.last == "" { segments.removeLast() }
        guard let bucket = segments.first, !bucket.isEmpty else { throw invalid("no bucket named") }
        guard Self.isBucketName(bucket) else {
            throw invalid("\"\(bucket)\" is not a bucket name (3 to 63 lower-case letters, digits, dots and hyphens)")
        }
        let prefix = segments.dropFirst()
        guard prefix.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw invalid("the prefix may not hold empty, . or .. parts")
        }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
        self.bucket = String(bucket)
        self.prefix = prefix.joined(separator: "/")
    }

    private static func port(_ text: Substring, _ invalid: (String) -> StorageError) throws(StorageError) -> Int {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy(\.isASCII), let value = Int(text), (1...65535) ~= value else {
            throw invalid("\"\(text)\" is not a port")
        }
        return value
    }

    private static func isBucketName(_ name: Substring) -> Bool {
        (3...63) ~= name.count
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }
            && name.first!.isASCII && (name.first!.isLowercase || name.first!.isNumber)
            && (name.last!.isLowercase || name.last!.isNumber)
    }

    /// `HOST[:PORT]`, as the `Host` header carries it.
    public var authority: String { port.map { "\(host):\($0)" } ?? host }

    /// `http[s]://HOST[:PORT]`
    public var endpoint: String { "\(scheme)://\(authority)" }

    /// The location as the user would write it, normalized: `s3:http://host:8333/bucket/prefix`.
    public var description: String { "s3:\(endpoint)/\(bucket)" + (prefix.isEmpty ? "" : "/\(prefix)") }

    /// The key of an object: `PREFIX/config`, `PREFIX/keys/ID`, `PREFIX/data/XX/ID`, … (the local layout's names).
    public func key(_ handle: ObjectHandle) -> String {
        keyPrefix + Self.relativeKey(handle)
    }

    /// `PREFIX/` (or nothing for the bucket's root): what every key of the repository starts with.
    public var keyPrefix: String { prefix.isEmpty ? "" : prefix + "/" }

    static func relativeKey(_ handle: ObjectHandle) -> String {
        switch handle.kind {
        case .config: return "config"
        case .data: return "data/\(handle.name.prefix(2))/\(handle.name)"
        default: return "\(handle.kind.rawValue)/\(handle.name)"
        }
    }
}

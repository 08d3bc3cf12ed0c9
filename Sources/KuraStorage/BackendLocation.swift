/// Turns `--repo` into a backend: a plain path is a local directory; `s3:http://…` and `s3:https://…`
/// name an S3 bucket; any other `scheme:` is refused, so `--repo sftp:host:/x` does not quietly create
/// a local directory of that name.
public enum BackendLocation {
    /// What `--repo` names, before anything is opened or created.
    public enum Kind: Equatable, Sendable {
        case local(path: String)
        case s3(url: String)
    }

    /// A location's scheme: the word before a `:` that comes before any `/` (`s3:`, `sftp:`, `rclone:`),
    /// nil for a path. A word is a letter followed by letters, digits, `+`, `-` or `.` (RFC 3986).
    /// A local directory whose name has such a colon is written `./NAME`.
    public static func scheme(of location: String) -> String? {
        let head = location.prefix { $0 != "/" }
        guard let colon = head.firstIndex(of: ":") else { return nil }
        let word = head[..<colon]
        guard let first = word.first, first.isASCII && first.isLetter,
              word.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return nil }
        return String(word)
    }

    /// Parses `--repo`; throws `.invalidLocation` for an empty one or a scheme kura has no backend for.
    public static func parse(_ location: String) throws(StorageError) -> Kind {
        guard !location.isEmpty else { throw StorageError(.invalidLocation, "the repository location is empty") }
        guard let scheme = scheme(of: location) else { return .local(path: location) }
        let rest = location.dropFirst(scheme.count + 1)
        if scheme.lowercased() == "s3" {
            guard rest.hasPrefix("http://") || rest.hasPrefix("https://") else {
                throw StorageError(.invalidLocation, "'\(location)' is not an S3 location: write s3:https://HOST[:PORT]/BUCKET[/PREFIX]")
            }
            return .s3(url: String(rest))
        }
        throw StorageError(.invalidLocation, "'\(scheme):' repositories are not supported: a repository is a local directory "
            + "or s3:http[s]://HOST[:PORT]/BUCKET[/PREFIX] (for a directory whose name has a colon, write ./\(location))")
    }

    /// The backend `--repo` names. Nothing is created: `Backend.create()` is `init`'s business. An S3
    /// backend signs with the credentials in `environment` (`S3Credentials.fromEnvironment`).
    public static func open(_ location: String, environment: [String: String]) throws(StorageError) -> any Backend {
        switch try parse(location) {
        case .local(let path):
            return LocalBackend(root: path)
        case .s3:
            return try S3Backend(parsing: location, credentials: try S3Credentials.fromEnvironment(environment))
        }
    }
}

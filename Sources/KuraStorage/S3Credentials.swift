/// The keys an S3 backend signs its requests with. The CLI builds them from the environment
/// (`fromEnvironment`); tests pass their own, wrong ones included.
public struct S3Credentials: Sendable, Equatable {
    public let accessKeyID: String
    public let secretAccessKey: String
    /// `AWS_SESSION_TOKEN`, for temporary credentials; sent as `x-amz-security-token`.
    public let sessionToken: String?
    public let region: String

    public static let defaultRegion = "us-east-1"

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, region: String = defaultRegion) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.region = region
    }

    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (both required), `AWS_SESSION_TOKEN`,
    /// `AWS_DEFAULT_REGION` (default `us-east-1`).
    public static func fromEnvironment(_ environment: [String: String]) throws(StorageError) -> S3Credentials {
        func value(_ name: String) -> String? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            return text
        }
        guard let id = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") else {
            throw StorageError(.accessDenied, "an s3: repository needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
        }
        return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"),
                             region: value("AWS_DEFAULT_REGION") ?? defaultRegion)
    }
}

extension S3Credentials: CustomStringConvertible {
    /// Never shows the secret or the token.
    public var description: String { "S3Credentials(\(accessKeyID), region \(region))" }
}

import Crypto
import Foundation
import KuraCrypto

/// AWS Signature Version 4 for one request (header form, as S3 documents it). The payload is
/// always signed by its SHA-256, never `UNSIGNED-PAYLOAD`: over plain http that hash is what
/// keeps a pack from being altered on the way.
struct S3Signer: Sendable {
    let accessKeyID: String
    let secretAccessKey: String
    let region: String
    let service: String

    init(credentials: S3Credentials, service: String = "s3") {
        accessKeyID = credentials.accessKeyID
        secretAccessKey = credentials.secretAccessKey
        region = credentials.region
        self.service = service
    }

    /// The hex SHA-256 of a request body, for `x-amz-content-sha256` and the canonical request.
    static func payloadHash(_ body: [UInt8]) -> String { body.withUnsafeBytes { payloadHash($0) } }

    /// swift-crypto's SHA-256 (BoringSSL, with the SHA extensions where the CPU has them): a pack's
    /// 16 MiB are hashed before it is sent.
    static func payloadHash(_ body: UnsafeRawBufferPointer) -> String { Hex.encode(Array(Crypto.SHA256.hash(data: body))) }

    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The `Authorization` header for a request. `path` is the unencoded path (`/bucket/key`), `query`
    /// the unencoded parameters, `headers` every header to sign (`host` and `x-amz-date` among them).
    func authorization(method: String, path: String, query: [(String, String)], headers: [(String, String)],
                       payloadHash: String, amzDate: String) -> String {
        let canonicalHeaders = headers
            .map { (name: $0.0.lowercased(), value: Self.trimmed($0.1)) }
            .sorted { $0.name < $1.name }
        let signedHeaders = canonicalHeaders.map(\.name).joined(separator: ";")
        let canonicalRequest = [
            method,
            Self.encodedPath(path),
            Self.canonicalQuery(query),
            canonicalHeaders.map { "\($0.name):\($0.value)\n" }.joined(),
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope,
                            Hex.encode(KuraCrypto.SHA256.hash(Array(canonicalRequest.utf8)))].joined(separator: "\n")
        var key = KuraCrypto.SHA256.hmac(key: Array("AWS4\(secretAccessKey)".utf8), Array(day.utf8))
        for part in [region, service, "aws4_request"] { key = KuraCrypto.SHA256.hmac(key: key, Array(part.utf8)) }
        let signature = Hex.encode(KuraCrypto.SHA256.hmac(key: key, Array(stringToSign.utf8)))
        return "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    /// Each path segment URI-encoded once (S3 does not double-encode), slashes kept.
    static func encodedPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { uriEncode($0) }.joined(separator: "/")
    }

    /// `a=1&b=2`, sorted by encoded name then value, everything encoded (`/` too).
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (uriEncode($0.0), uriEncode($0.1)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// RFC 3986 encoding as SigV4 wants it: only `A-Z a-z 0-9 - . _ ~` stay, every other UTF-8 byte is `%XX`.
    static func uriEncode<S: StringProtocol>(_ text: S) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0xf)])
            }
        }
        return out
    }

    /// Leading and trailing blanks removed, inner runs of blanks made one space.
    static func trimmed(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `20150830T123600Z` for a time given in seconds since 1970 (UTC).
    static func amzDate(secondsSince1970: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(secondsSince1970)).formatted(amzDateStyle)
    }

    /// ISO 8601 basic format in UTC: no separators inside the date or the time.
    private static let amzDateStyle = Date.ISO8601FormatStyle(dateSeparator: .omitted, dateTimeSeparator: .standard,
                                                              timeSeparator: .omitted, timeZone: TimeZone(identifier: "UTC")!)
}

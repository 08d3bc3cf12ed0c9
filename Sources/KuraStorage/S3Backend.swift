import Foundation

/// A repository in an S3 bucket (AWS, Ceph RGW, SeaweedFS, MinIO, …), under `PREFIX/` with the
/// local layout's names. Every request is signed with Signature Version 4 over the payload's
/// SHA-256 and sent path-style; transient failures are retried (`S3RetryPolicy`).
///
/// Safe to use from several threads at once: it holds only constants and a pool of libcurl handles.
public final class S3Backend: Backend {
    public let s3Location: S3Location
    public let location: String
    public let isReadOnly: Bool
    private let credentials: S3Credentials
    private let signer: S3Signer
    private let retry: S3RetryPolicy
    private let client: S3HTTPClient
    private let mayCreateBucket: Bool

    /// Packs sent at once by a backup: each is held in memory until sent (16 MiB by default), so this
    /// bounds the memory uploads take as well as the connections. Two keep up with a backup's
    /// output (about a fifth of its input, after compression) on the stores measured.
    public let concurrentUploads = 2

    public let readsAreRequests = true

    /// The most one object may hold: a pack is at most 48 MiB; S3's own limit for one PUT is 5 GiB.
    static let maximumObjectBytes = 1 << 30

    /// The most any other answer may hold (a listing page of 1,000 keys is about 300 KB; an error a few KB).
    static let maximumAnswerBytes = 16 << 20

    /// `readOnly` opens the repository for reading only (the CLI's read-only commands);
    /// `mayCreateBucket` lets `create()` make a missing bucket.
    public init(_ location: S3Location, credentials: S3Credentials, retry: S3RetryPolicy = .standard,
                readOnly: Bool = false, mayCreateBucket: Bool = true) {
        s3Location = location
        self.location = location.description
        self.credentials = credentials
        signer = S3Signer(credentials: credentials)
        self.retry = retry
        client = S3HTTPClient(timeout: retry.requestTimeout)
        isReadOnly = readOnly
        self.mayCreateBucket = mayCreateBucket
    }

    /// Parses `s3:http[s]://HOST[:PORT]/BUCKET[/PREFIX]`.
    public convenience init(parsing text: String, credentials: S3Credentials, retry: S3RetryPolicy = .standard,
                            readOnly: Bool = false) throws(StorageError) {
        self.init(try S3Location(parsing: text), credentials: credentials, retry: retry, readOnly: readOnly)
    }

    public func describe(_ handle: ObjectHandle) -> String {
        describe(key: s3Location.key(handle))
    }

    private func describe(key: String?) -> String {
        "s3:\(s3Location.endpoint)/\(s3Location.bucket)" + (key.map { "/" + $0 } ?? "")
    }

    // MARK: Backend

    public func create() throws(StorageError) {
        let head = try request("HEAD", key: nil)
        switch head.status {
        case 200: return
        case 404:
            guard mayCreateBucket, !isReadOnly else {
                throw StorageError(.notFound, "\(describe(key: nil)): no such bucket")
            }
            let made = try request("PUT", key: nil, write: true)
            // Another client may have created it meanwhile; that is as good.
            guard (200..<300).contains(made.status) || made.status == 409 else {
                throw unexpected(made, "PUT", nil)
            }
        default:
            throw unexpected(head, "HEAD", nil)
        }
    }

    public func save(_ handle: ObjectHandle, _ bytes: [UInt8]) throws(StorageError) {
        // withUnsafeBytes rethrows untyped: the typed error travels in a Result.
        let saved = bytes.withUnsafeBytes { raw in Result { () throws(StorageError) in try save(handle, bytes: raw) } }
        try saved.get()
    }

    /// One PUT of `bytes`, sent from where they are.
    func save(_ handle: ObjectHandle, bytes: UnsafeRawBufferPointer) throws(StorageError) {
        try refuseIfReadOnly(handle)
        let key = s3Location.key(handle)
        let response = try request("PUT", key: key, body: bytes, write: true)
        guard (200..<300).contains(response.status) else { throw unexpected(response, "PUT", key) }
    }

    public func beginUpload(_ handle: ObjectHandle) throws(StorageError) -> any ObjectUpload {
        try refuseIfReadOnly(handle)
        return try S3Upload(backend: self, handle: handle)
    }

    public func load(_ handle: ObjectHandle, range: Range<Int64>?) throws(StorageError) -> [UInt8] {
        let key = s3Location.key(handle)
        if let range, range.isEmpty { return [] }
        let headers = range.map { [("range", "bytes=\($0.lowerBound)-\($0.upperBound - 1)")] } ?? []
        // A store that ignores Range sends the whole object; anything longer than an object may be is refused.
        let response = try request("GET", key: key, headers: headers, responseLimit: Self.maximumObjectBytes)
        switch response.status {
        case 200 where range == nil:
            return response.body
        case 200, 206:
            guard let range else { break }
            // A store that ignores Range sends the whole object: take the part asked for.
            let body = response.status == 200 && response.body.count >= range.upperBound
                ? Array(response.body[Int(range.lowerBound)..<Int(range.upperBound)]) : response.body
            guard body.count == range.count else {
                throw StorageError(.badResponse, "\(describe(key: key)): asked for bytes \(range.lowerBound)..<\(range.upperBound), got \(body.count) bytes")
            }
            return body
        case 404:
            throw StorageError(.notFound, "\(describe(key: key)): no such object")
        case 416:
            throw StorageError(.badResponse, "\(describe(key: key)): bytes \(range?.lowerBound ?? 0)..<\(range?.upperBound ?? 0) lie outside the object")
        default:
            break
        }
        throw unexpected(response, "GET", key)
    }

    public func stat(_ handle: ObjectHandle) throws(StorageError) -> ObjectInfo? {
        let key = s3Location.key(handle)
        let response = try request("HEAD", key: key)
        switch response.status {
        case 200:
            guard let text = response.headers["content-length"], let size = Int64(text), size >= 0 else {
                throw StorageError(.badResponse, "\(describe(key: key)): HEAD answered without a Content-Length")
            }
            return ObjectInfo(name: handle.name, size: size)
        case 404:
            return nil
        default:
            throw unexpected(response, "HEAD", key)
        }
    }

    public func list(_ kind: ObjectKind) throws(StorageError) -> [ObjectInfo] {
        if kind == .config { return try stat(.config).map { [$0] } ?? [] }
        let listed = s3Location.keyPrefix + kind.rawValue + "/"
        var found: [ObjectInfo] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", listed)]
            if let token { query.append(("continuation-token", token)) }
            let response = try request("GET", key: nil, query: query, subject: listed)
            guard response.status == 200 else { throw unexpected(response, "GET (list)", listed) }
            guard let page = S3XML.listPage(response.body) else {
                throw StorageError(.badResponse, "\(describe(key: listed)): the listing is not a ListBucketResult")
            }
            for object in page.objects {
                if let name = Self.name(of: object.key.dropFirst(listed.count), kind: kind), object.key.hasPrefix(listed) {
                    found.append(ObjectInfo(name: name, size: object.size))
                }
            }
            guard !page.isTruncated || page.continuationToken != nil else {
                throw StorageError(.badResponse, "\(describe(key: listed)): a truncated listing without a continuation token")
            }
            token = page.isTruncated ? page.continuationToken : nil
        } while token != nil
        return found
    }

    public func remove(_ handle: ObjectHandle) throws(StorageError) {
        try refuseIfReadOnly(handle)
        let key = s3Location.key(handle)
        let response = try request("DELETE", key: key, write: true)
        guard (200..<300).contains(response.status) || response.status == 404 else { throw unexpected(response, "DELETE", key) }
    }

    // MARK: Requests

    /// The object's name when `relative` (the key after `PREFIX/KIND/`) is in the layout: `NAME` for
    /// most kinds, `XX/NAME` with XX the name's first two characters for packs. Anything else
    /// (another tool's files, a deeper key) is not the repository's.
    static func name(of relative: Substring, kind: ObjectKind) -> String? {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        switch kind {
        case .data:
            guard parts.count == 2, !parts[1].isEmpty, parts[0] == parts[1].prefix(2), parts[0].count == 2 else { return nil }
            return String(parts[1])
        default:
            guard parts.count == 1, !parts[0].isEmpty else { return nil }
            return String(parts[0])
        }
    }

    private func refuseIfReadOnly(_ handle: ObjectHandle) throws(StorageError) {
        if isReadOnly { throw StorageError(.readOnly, "\(describe(handle)): the repository was opened read-only") }
    }

    /// Sends one signed request, trying again after transient failures. Answers other than those
    /// (2xx, 3xx, 4xx but 403, 429 and throttling) come back for the caller to judge; 403 and
    /// signature errors throw `.accessDenied` (or `.readOnly` for a refused write) at once.
    private func request(_ method: String, key: String?, query: [(String, String)] = [],
                         headers extra: [(String, String)] = [], body: UnsafeRawBufferPointer? = nil,
                         write: Bool = false, subject: String? = nil,
                         responseLimit: Int = S3Backend.maximumAnswerBytes) throws(StorageError) -> S3Response {
        // What messages name: the object, or the listed prefix, or the bucket.
        let subject = subject ?? key
        let path = "/" + s3Location.bucket + (key.map { "/" + $0 } ?? "")
        var url = s3Location.endpoint + S3Signer.encodedPath(path)
        if !query.isEmpty { url += "?" + S3Signer.canonicalQuery(query) }
        let payloadHash = body.map { S3Signer.payloadHash($0) } ?? S3Signer.emptyPayloadHash
        var lastCause = ""
        for attempt in 1...retry.attempts {
            if attempt > 1 { Thread.sleep(forTimeInterval: retry.delay(after: attempt - 1)) }
            let amzDate = S3Signer.amzDate(secondsSince1970: Int64(Date().timeIntervalSince1970))
            var headers = [("host", s3Location.authority), ("x-amz-date", amzDate), ("x-amz-content-sha256", payloadHash)]
            if let token = credentials.sessionToken { headers.append(("x-amz-security-token", token)) }
            headers += extra
            let authorization = signer.authorization(method: method, path: path, query: query, headers: headers,
                                                     payloadHash: payloadHash, amzDate: amzDate)
            let sent = headers.filter { $0.0 != "host" } + [("authorization", authorization), ("accept-encoding", "identity")]
            let response: S3Response
            do {
                response = try client.send(method: method, url: url, headers: sent, body: body, responseLimit: responseLimit)
            } catch {
                lastCause = error.description
                if error.isTransient { continue }
                throw StorageError(.unavailable, "\(describe(key: subject)): \(method) failed: \(lastCause)")
            }
            // Only an error has an XML body worth reading: a 2xx GET's body is the object (a pack's bytes).
            let errorBody = (200..<300).contains(response.status) ? nil : S3XML.errorBody(response.body)
            let code = errorBody?.code ?? ""
            if response.status >= 500 || response.status == 429 || ["SlowDown", "RequestTimeout", "Throttling", "ThrottlingException"].contains(code) {
                lastCause = "HTTP \(response.status)" + (code.isEmpty ? "" : " \(code)")
                continue
            }
            if response.status == 403 || Self.credentialCodes.contains(code) {
                throw denied(response, errorBody, method: method, key: subject, write: write)
            }
            return response
        }
        throw StorageError(.unavailable, "\(describe(key: subject)): \(method) failed after \(retry.attempts) attempts: \(lastCause)")
    }

    /// What S3 answers when the key, the signature or the clock is wrong.
    private static let credentialCodes: Set<String> = [
        "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidToken", "ExpiredToken", "TokenRefreshRequired",
        "RequestTimeTooSkewed", "AuthorizationHeaderMalformed", "InvalidSecurity", "AccessDenied",
    ]

    private func denied(_ response: S3Response, _ errorBody: S3XML.ErrorBody?, method: String, key: String?,
                        write: Bool) -> StorageError {
        let code = errorBody?.code ?? "HTTP \(response.status)"
        let detail = Self.oneLine(errorBody?.message ?? "")
        let why = detail.isEmpty ? code : "\(code): \(detail)"
        // A valid signature refused a write: this credential may only read.
        if write && code == "AccessDenied" {
            return StorageError(.readOnly, "\(describe(key: key)): the store refused the \(method) for access key \(credentials.accessKeyID), which may only read (\(why))")
        }
        return StorageError(.accessDenied, "\(describe(key: key)): access denied for access key \(credentials.accessKeyID) (\(why))")
    }

    private func unexpected(_ response: S3Response, _ method: String, _ key: String?) -> StorageError {
        let errorBody = S3XML.errorBody(response.body)
        var why = "HTTP \(response.status)"
        if let errorBody { why += " \(errorBody.code)" + (errorBody.message.isEmpty ? "" : ": \(Self.oneLine(errorBody.message))") }
        if response.status == 404 { return StorageError(.notFound, "\(describe(key: key)): \(method) answered \(why)") }
        return StorageError(.badResponse, "\(describe(key: key)): \(method) answered \(why)")
    }

    private static func oneLine(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).joined(separator: " ").prefix(300))
    }
}

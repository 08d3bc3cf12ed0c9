import CCurl

/// One libcurl easy handle: one exchange at a time, and between exchanges the connection it keeps open.
///
/// `@unchecked Sendable`: it moves between threads only through `S3HTTPClient`'s pool, which hands
/// it to one caller at a time under a lock.
final class CurlHandle: @unchecked Sendable {
    private let handle: CurlCalls.Handle
    /// libcurl's detail for the last failure (`CURLOPT_ERRORBUFFER`), e.g. which address refused.
    private let errorText: UnsafeMutablePointer<CChar>

    init() throws(S3TransportFailure) {
        let made: CurlCalls.Handle?
        do {
            made = try CurlCalls.makeHandle()
        } catch {
            throw S3TransportFailure(description: "the S3 backend needs libcurl (\(CurlCalls.libraryNames[0]), Debian's libcurl4), "
                                         + "which cannot be loaded: \(error.reason)", isTransient: false)
        }
        guard let handle = made else {
            throw S3TransportFailure(description: "libcurl could not make a handle", isTransient: false)
        }
        self.handle = handle
        errorText = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        CurlCalls.free(handle)
        errorText.deallocate()
    }

    func exchange(method: String, url: String, headers: [(String, String)], body: UnsafeRawBufferPointer?,
                  timeout: Double, responseLimit: Int) throws(S3TransportFailure) -> S3Response {
        CurlCalls.reset(handle)
        errorText[0] = 0
        let answer = CurlAnswer(limit: responseLimit)
        let context = Unmanaged.passUnretained(answer).toOpaque()

        CurlCalls.set(handle, CURLOPT_NOSIGNAL, 1)
        CurlCalls.set(handle, CURLOPT_URL, url)
        CurlCalls.set(handle, CURLOPT_ERRORBUFFER, pointer: errorText)
        CurlCalls.set(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(timeout * 1000))
        // A stalled exchange (under one byte a second for `timeout` seconds) ends; a slow one does not.
        CurlCalls.set(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        CurlCalls.set(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(timeout)))
        CurlCalls.set(handle, CURLOPT_TIMEOUT_MS, Int(max(timeout * 10, 600) * 1000))
        CurlCalls.set(handle, CURLOPT_WRITEFUNCTION, callback: curlReceiveBody)
        CurlCalls.set(handle, CURLOPT_WRITEDATA, pointer: context)
        CurlCalls.set(handle, CURLOPT_HEADERFUNCTION, callback: curlReceiveHeader)
        CurlCalls.set(handle, CURLOPT_HEADERDATA, pointer: context)

        // No `Expect: 100-continue` round trip before a pack, and no form content type on a PUT.
        var list = CurlCalls.append(nil, "Expect:")
        list = CurlCalls.append(list, "Content-Type:")
        for (name, value) in headers { list = CurlCalls.append(list, "\(name): \(value)") }
        defer { CurlCalls.free(list: list) }
        CurlCalls.set(handle, CURLOPT_HTTPHEADER, list: list)

        let code: CURLcode
        switch method {
        case "GET":
            code = CurlCalls.perform(handle)
        case "HEAD":
            CurlCalls.set(handle, CURLOPT_NOBODY, 1)
            code = CurlCalls.perform(handle)
        default:
            CurlCalls.set(handle, CURLOPT_CUSTOMREQUEST, method)
            if method == "DELETE" && body == nil {
                code = CurlCalls.perform(handle)
            } else {
                // libcurl sends the caller's bytes as they are (POSTFIELDS is not copied), with a
                // Content-Length even when there are none (S3 wants one on every PUT).
                CurlCalls.set(handle, CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body?.count ?? 0))
                CurlCalls.set(handle, CURLOPT_POSTFIELDS, pointer: body?.baseAddress ?? UnsafeRawPointer(errorText))
                code = CurlCalls.perform(handle)
            }
        }
        guard code == CURLE_OK else { throw failure(code, answer) }
        return S3Response(status: CurlCalls.info(handle, CURLINFO_RESPONSE_CODE), headers: answer.headers, body: answer.body)
    }

    private func failure(_ code: CURLcode, _ answer: CurlAnswer) -> S3TransportFailure {
        if answer.overLimit {
            return S3TransportFailure(description: "the answer is longer than the \(answer.limit) bytes it may be", isTransient: false)
        }
        let detail = String(cString: errorText)
        let sentence = CurlCalls.describe(code)
        let description = detail.isEmpty ? sentence : "\(sentence): \(detail)"
        return S3TransportFailure(description: description, isTransient: !Self.permanent.contains(code.rawValue))
    }

    /// Failures another attempt cannot mend: the URL, the protocol, the certificate, memory. Every
    /// other one (refused, reset, timed out, name lookup, a TLS handshake cut short) is the network
    /// or the server, and is tried again.
    private static let permanent: Set<CURLcode.RawValue> = [
        CURLE_UNSUPPORTED_PROTOCOL, CURLE_FAILED_INIT, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN,
        CURLE_OUT_OF_MEMORY, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_PEER_FAILED_VERIFICATION,
        CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
        CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CRL_BADFILE, CURLE_USE_SSL_FAILED,
    ].map(\.rawValue).reduce(into: []) { $0.insert($1) }
}

/// What one exchange brought back, filled by libcurl's callbacks on the exchanging thread.
final class CurlAnswer {
    let limit: Int
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    var overLimit = false

    init(limit: Int) { self.limit = limit }

    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= limit else {
            overLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// One header line as libcurl hands it over (`Name: value\r\n`). A status line starts a new
    /// response (after a redirect or an interim answer), whose headers replace the earlier ones.
    func header(_ line: UnsafeRawBufferPointer) {
        guard let text = String(validating: line, as: UTF8.self) else { return }
        if text.hasPrefix("HTTP/") { headers = [:]; return }
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = text[..<colon].lowercased()
        let value = trimmed(text[text.index(after: colon)...])
        headers[name] = value
        if name == "content-length", let length = Int(value), length > 0 {
            body.reserveCapacity(min(length, limit))
        }
    }
}

private let curlReceiveBody: kura_curl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
    return Unmanaged<CurlAnswer>.fromOpaque(context).takeUnretainedValue().receive(bytes) ? size * count : 0
}

private let curlReceiveHeader: kura_curl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    Unmanaged<CurlAnswer>.fromOpaque(context).takeUnretainedValue().header(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

/// `text` without leading and trailing blanks and line ends.
private func trimmed(_ text: Substring) -> String {
    let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0d || $0 == 0x0a }
    let bytes = text.utf8
    guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else { return "" }
    return String(text[first...last])
}

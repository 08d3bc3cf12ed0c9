import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One answer from the store.
struct S3Response: Sendable {
    let status: Int
    /// Header names lower-cased.
    let headers: [String: String]
    let body: [UInt8]
}

/// Why a request got no answer at all (connection refused or reset, timeout, TLS).
struct S3TransportFailure: Error, Sendable, CustomStringConvertible {
    let description: String
    /// Worth trying again: the connection failed, not the request.
    let isTransient: Bool
}

/// Blocking HTTP over Foundation's URLSession (libcurl underneath on Linux, TLS for https), for a
/// synchronous `Backend`. URLSession is safe to share between threads, so one client serves every
/// upload the engine runs at once.
final class S3HTTPClient: Sendable {
    private let session: URLSession

    init(timeout: Double) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = max(timeout * 10, 600)
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        configuration.httpMaximumConnectionsPerHost = 16
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    func send(method: String, url: URL, headers: [(String, String)], body: [UInt8]?) throws(S3TransportFailure) -> S3Response {
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body) }

        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            outcome.set(data: data, response: response, error: error)
            done.signal()
        }
        task.resume()
        done.wait()
        return try outcome.result()
    }
}

/// What the completion handler hands back to the waiting thread. The handler writes it once, before
/// signalling the semaphore the caller waits on, and the caller reads it only after: the lock makes
/// that ordering visible to the compiler's checker as well as to the CPU.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: URLResponse?
    private var error: (any Error)?

    func set(data: Data?, response: URLResponse?, error: (any Error)?) {
        lock.lock()
        defer { lock.unlock() }
        self.data = data
        self.response = response
        self.error = error
    }

    func result() throws(S3TransportFailure) -> S3Response {
        lock.lock()
        defer { lock.unlock() }
        if let error { throw Self.failure(error) }
        guard let http = response as? HTTPURLResponse else {
            throw S3TransportFailure(description: "no HTTP response", isTransient: true)
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return S3Response(status: http.statusCode, headers: headers, body: data.map { [UInt8]($0) } ?? [])
    }

    private static func failure(_ error: any Error) -> S3TransportFailure {
        let described = (error as NSError).localizedDescription.replacingOccurrences(of: "\n", with: " ")
        guard let urlError = error as? URLError else { return S3TransportFailure(description: described, isTransient: true) }
        switch urlError.code {
        case .badURL, .unsupportedURL, .cancelled, .userAuthenticationRequired,
             .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
             .serverCertificateHasUnknownRoot, .clientCertificateRejected, .clientCertificateRequired:
            return S3TransportFailure(description: described, isTransient: false)
        default:
            // Refused, reset, lost, timed out, DNS, TLS handshake cut short: the network or the server, not us.
            return S3TransportFailure(description: described, isTransient: true)
        }
    }
}

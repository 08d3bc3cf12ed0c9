import CCurl
import Foundation

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

/// Blocking HTTP/1.1 over libcurl (TLS for https), for a synchronous `Backend`. Each request takes
/// an idle libcurl handle, whose connection to the store stays open for the next request, and the
/// calling thread does the exchange itself: a body is sent from the caller's bytes and received
/// straight into the answer's, without the copies and queue hops of Foundation's URLSession (which
/// cost a backup to S3 about as much CPU as the backup itself).
final class S3HTTPClient: Sendable {
    private let timeout: Double
    private let idle = IdleHandles()

    /// `timeout`: seconds to connect, and the longest a request may go without a byte moving.
    init(timeout: Double) {
        self.timeout = timeout
    }

    /// `responseLimit`: the most body bytes accepted; a longer answer is an error, not an allocation.
    func send(method: String, url: String, headers: [(String, String)], body: UnsafeRawBufferPointer?,
              responseLimit: Int) throws(S3TransportFailure) -> S3Response {
        let handle: CurlHandle
        if let reused = idle.take() { handle = reused } else { handle = try CurlHandle() }
        defer { idle.put(handle) }
        return try handle.exchange(method: method, url: url, headers: headers, body: body,
                                   timeout: timeout, responseLimit: responseLimit)
    }
}

/// The handles no request is using. An `NSLock` (a pthread mutex) rather than `Mutex`, whose futex
/// ThreadSanitizer cannot see, so it reported the pool's hand-overs as races.
///
/// `@unchecked Sendable`: `handles` is read and written only with `lock` held.
private final class IdleHandles: @unchecked Sendable {
    private let lock = NSLock()
    private var handles: [CurlHandle] = []

    func take() -> CurlHandle? {
        lock.lock()
        defer { lock.unlock() }
        return handles.popLast()
    }

    func put(_ handle: CurlHandle) {
        lock.lock()
        defer { lock.unlock() }
        handles.append(handle)
    }
}

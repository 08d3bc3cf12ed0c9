/// How often and how patiently an S3 request is tried again after a transient failure (no
/// connection, reset, timeout, 5xx, 429, `SlowDown`): `attempts` tries in all, waiting
/// `initialDelay`, then twice as long each time up to `maximumDelay` (each wait jittered down by up
/// to half, so parallel uploads do not return in lockstep).
public struct S3RetryPolicy: Sendable, Equatable {
    public var attempts: Int
    public var initialDelay: Double
    public var maximumDelay: Double
    /// How long one request may wait for the store to answer (seconds).
    public var requestTimeout: Double

    public init(attempts: Int = 6, initialDelay: Double = 0.5, maximumDelay: Double = 8, requestTimeout: Double = 60) {
        self.attempts = max(1, attempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.requestTimeout = requestTimeout
    }

    public static let standard = S3RetryPolicy()

    /// The wait before try number `attempt + 1` (attempt counts from 1).
    func delay(after attempt: Int) -> Double {
        let full = min(maximumDelay, initialDelay * Double(1 << min(attempt - 1, 30)))
        return full * Double.random(in: 0.5...1)
    }
}

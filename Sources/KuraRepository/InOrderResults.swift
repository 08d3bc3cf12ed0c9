import Foundation

/// Results that workers finish in any order and one consumer takes in order. A producer that does
/// not know the count up front closes the sequence with `end(count:)`, or `fail(_:)`.
///
/// `@unchecked Sendable`: every stored `var` is read and written only with `condition` held (a
/// condition variable, which `Mutex` does not offer); a value crosses from the worker that finishes
/// it to the one consumer that takes it.
final class InOrderResults<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var finished: [Int: Result<Value, Error>] = [:]
    private var count: Int?
    private var failure: Error?

    func finish(_ index: Int, _ result: Result<Value, Error>) {
        condition.lock()
        finished[index] = result
        condition.broadcast()
        condition.unlock()
    }

    func end(count: Int) {
        condition.lock()
        self.count = count
        condition.broadcast()
        condition.unlock()
    }

    func fail(_ error: Error) {
        condition.lock()
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for result `index` and removes it: its value, or nil after the last one; throws the
    /// result's error, or the producer's.
    func take(_ index: Int) throws -> Value? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result = finished.removeValue(forKey: index) { return try result.get() }
            if let failure { throw failure }
            if count == index { return nil }
            condition.wait()
        }
    }

    /// The values no one took, after the consumer stopped early.
    func drain() -> [Value] {
        condition.lock()
        defer { condition.unlock() }
        let left = finished.values.compactMap { try? $0.get() }
        finished.removeAll()
        return left
    }
}

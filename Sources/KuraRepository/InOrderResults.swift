import Foundation

/// Results that workers finish in any order and one consumer takes in order.
final class InOrderResults<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var finished: [Int: Result<Value, Error>] = [:]

    func finish(_ index: Int, _ result: Result<Value, Error>) {
        condition.lock()
        finished[index] = result
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for result `index` and removes it.
    func take(_ index: Int) -> Result<Value, Error> {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result = finished.removeValue(forKey: index) { return result }
            condition.wait()
        }
    }
}

import Foundation

/// A few reusable objects (zstd contexts, pack readers) shared by worker threads.
final class ObjectPool<T> {
    private var items: [T] = []
    private let lock = NSLock()
    private let make: () throws -> T

    init(make: @escaping () throws -> T) { self.make = make }

    func with<R>(_ body: (T) throws -> R) throws -> R {
        lock.lock()
        let item = items.popLast()
        lock.unlock()
        let object = try item ?? make()
        defer {
            lock.lock()
            items.append(object)
            lock.unlock()
        }
        return try body(object)
    }
}

/// Runs `body` for 0..<count on every core and rethrows the first error.
public func parallelFor(_ count: Int, _ body: (Int) throws -> Void) throws {
    if count == 0 { return }
    if count == 1 { try body(0); return }
    let lock = NSLock()
    var firstError: Error?
    DispatchQueue.concurrentPerform(iterations: count) { i in
        do {
            try body(i)
        } catch {
            lock.lock()
            if firstError == nil { firstError = error }
            lock.unlock()
        }
    }
    if let firstError { throw firstError }
}

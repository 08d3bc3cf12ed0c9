import Foundation
import Synchronization

/// A few reusable objects (zstd contexts, pack readers) shared by worker threads. `@unchecked`:
/// `items` and the objects in it are touched only with `lock` held, and an object taken out is used
/// by one thread at a time until it is put back.
final class ObjectPool<T>: @unchecked Sendable {
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
///
/// `body` is not `@Sendable`: callers hand each index its own slot of a buffer, which the compiler
/// cannot see. That contract (index `i` touches only what belongs to `i`, shared state behind its own
/// lock) is the caller's, and `concurrentPerform` returns only after every call has.
public func parallelFor(_ count: Int, _ body: (Int) throws -> Void) throws {
    if count == 0 { return }
    if count == 1 { try body(0); return }
    let firstError = Mutex<(any Error)?>(nil)
    try withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: count) { i in
            do {
                try body(i)
            } catch {
                firstError.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = firstError.withLock({ $0 }) { throw error }
    }
}

import Foundation

/// A bounded hand-over of work between two threads: `put` blocks while `capacity` items wait,
/// `take` blocks while none does; `cancel` releases a blocked producer for good.
final class BatchHandoff<Item> {
    private let condition = NSCondition()
    private var items: [Item] = []
    private let capacity: Int
    private(set) var isCancelled = false

    init(capacity: Int) { self.capacity = capacity }

    /// Queues `item`; returns false (dropping it) once the consumer has cancelled.
    @discardableResult
    func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !isCancelled { condition.wait() }
        guard !isCancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    func take() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    func cancel() {
        condition.lock()
        isCancelled = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

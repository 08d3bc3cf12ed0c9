import Foundation

/// Runs `body` on a thread of its own, outside libdispatch's pool, and returns a group that is
/// done when `body` returns. The pool runs only as many threads as there are cores: a long,
/// CPU-bound producer inside it (the chunker) leaves the workers it feeds one core short, which
/// on two cores cost a fifth of the backup's throughput.
///
/// `body` is released before the group is left: callers pass closures made with
/// `withoutActuallyEscaping`, which traps if anything still holds them when it returns, and the
/// `Thread` object may outlive the wait.
func startDedicatedThread(name: String, _ body: @escaping () -> Void) -> DispatchGroup {
    // `@unchecked Sendable`: `body` is set before the thread starts and cleared by that thread
    // alone; the caller reads nothing of it after `start()`.
    final class Work: @unchecked Sendable {
        var body: (() -> Void)?
        init(_ body: @escaping () -> Void) { self.body = body }
    }
    let work = Work(body)
    let done = DispatchGroup()
    done.enter()
    let thread = Thread {
        work.body?()
        work.body = nil
        done.leave()
    }
    thread.name = name
    thread.start()
    return done
}

import Foundation
import Glibc
import Synchronization

/// What kura undoes when SIGINT or SIGTERM arrives, before it exits 130 or 143: the commands it started
/// are ended (each runs in a process group of its own, so `pg_dump` under `sh -c` ends too), its locks
/// are removed, and its temporary files are deleted. Nothing half-written is visible anyway (packs,
/// index files and snapshots appear by rename), so this is about not leaving a stale lock for the next
/// cron run or a `pg_dump` holding a database snapshot open.
///
/// The two signals are blocked in every thread from `install()` on and taken by one thread with
/// `sigwait(2)`, so the undo work runs as ordinary code, never in a signal handler.
public enum Interruption {
    private struct State {
        var undo: [Int: @Sendable () -> Void] = [:]
        var children: [Int: pid_t] = [:]
        var nextToken = 0
        var signalled = false
    }

    private static let state = Mutex(State())

    /// Blocks SIGINT and SIGTERM and starts the thread that handles them. Call first thing in `main`,
    /// before any other thread exists, so every thread inherits the mask.
    public static func install() {
        var set = Posix.interruptSignals
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let thread = Thread {
            var set = Posix.interruptSignals
            var received: Int32 = 0
            while sigwait(&set, &received) != 0 {}
            interrupted(by: received)
        }
        thread.name = "kura signals"
        thread.start()
    }

    /// Registers work that removes something this process made (a lock, a temporary file); returns a token
    /// for `forget(_:)` once the thing is gone or committed.
    /// Register before creating the thing: after a signal this never returns, so nothing new is made once
    /// the undo work has been collected.
    public static func onInterrupt(_ work: @escaping @Sendable () -> Void) -> Int {
        let token: Int? = state.withLock { state in
            guard !state.signalled else { return nil }
            state.nextToken += 1
            state.undo[state.nextToken] = work
            return state.nextToken
        }
        guard let token else { parkForever() }
        return token
    }

    /// Registers a child whose process group (or, for a child in kura's own group, the child itself) is ended.
    public static func track(child pid: pid_t, ownGroup: Bool) -> Int {
        let token: Int? = state.withLock { state in
            guard !state.signalled else { return nil }
            state.nextToken += 1
            state.children[state.nextToken] = ownGroup ? -pid : pid
            return state.nextToken
        }
        guard let token else {
            // Started while the signal thread was already ending the others.
            kill(ownGroup ? -pid : pid, SIGKILL)
            parkForever()
        }
        return token
    }

    public static func forget(_ token: Int) {
        state.withLock { state in
            state.undo[token] = nil
            state.children[token] = nil
        }
    }

    /// Called by `main` before it reports an error or exits: once a signal has arrived, the failure another
    /// thread sees (its command was killed) is a consequence, not news, and the signal thread decides the
    /// exit status; so this thread waits for it for good.
    public static func yieldIfInterrupted() {
        guard state.withLock({ $0.signalled }) else { return }
        parkForever()
    }

    private static func parkForever() -> Never {
        while true { pause() }
    }

    private static func interrupted(by signal: Int32) {
        let targets = state.withLock { state in
            state.signalled = true
            return Array(state.children.values)
        }
        for target in targets { kill(target, SIGTERM) }
        // Give the commands a moment to end on their own (pg_dump closes its transaction), then make sure.
        // The check must not reap: the thread waiting for the command would then see a clean exit.
        let deadline = Posix.monotonicSeconds + 2
        var alive = targets
        while !alive.isEmpty && Posix.monotonicSeconds < deadline {
            alive = alive.filter { target in
                var info = siginfo_t()
                return waitid(P_PID, id_t(abs(target)), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info._sifields._sigchld.si_pid == 0
            }
            if !alive.isEmpty { usleep(20_000) }
        }
        for target in targets where target < 0 || alive.contains(target) { kill(target, SIGKILL) }
        // Collected only now: other threads went on while the commands ended (a failing backup writes its index),
        // and whatever they registered until the signal is undone too.
        for step in state.withLock({ Array($0.undo.values) }) { step() }
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        let message = "kura: interrupted by \(name): ended \(targets.count) command\(targets.count == 1 ? "" : "s"), removed this run's locks and temporary files\n"
        _ = message.withCString { Glibc.write(2, $0, strlen($0)) }
        _exit(128 + signal)
    }
}

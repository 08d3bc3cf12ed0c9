import Foundation
import KuraSystem
import KuraRepository

/// `KURA_TEST_KILL_AT=N`, for the crash-safety tests only: prune names each of its steps on standard error
/// (`kura: test: prune step N: ...`) and sends itself SIGKILL right after step N (0: never).
/// Debug builds only (KURA_TEST_HOOKS); in a release build `install` does nothing and the variable is unknown.
enum PruneTestHook {
    static func install(on pruner: Pruner) {
        #if KURA_TEST_HOOKS
        guard let text = ProcessInfo.processInfo.environment["KURA_TEST_KILL_AT"], let target = Int(text) else { return }
        var count = 0
        pruner.onStep = { what in
            count += 1
            FileHandle.standardError.write(Data("kura: test: prune step \(count): \(what)\n".utf8))
            if count == target { Posix.killSelf() }
        }
        #endif
    }
}

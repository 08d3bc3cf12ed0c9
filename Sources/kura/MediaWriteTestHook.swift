import Foundation
import KuraSystem

/// `KURA_TEST_KILL_MEDIA_AFTER=BYTES`, for the interruption tests only: media write sends itself
/// SIGKILL once it has handed the device at least BYTES bytes of the set, leaving it part-written.
/// Debug builds only (KURA_TEST_HOOKS); in a release build `check` does nothing and the variable is unknown.
enum MediaWriteTestHook {
    #if KURA_TEST_HOOKS
    private static let limit = ProcessInfo.processInfo.environment["KURA_TEST_KILL_MEDIA_AFTER"].flatMap { Int64($0) }
    #endif

    static func check(written: Int64) {
        #if KURA_TEST_HOOKS
        if let limit, written >= limit { Posix.killSelf() }
        #endif
    }
}

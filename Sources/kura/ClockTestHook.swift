#if KURA_TEST_HOOKS
import Foundation
import KuraCatalog

/// `KURA_NOW=2030-01-01T00:00:00Z`, for tests only: the catalog's clock reads this time. Compiled only into debug
/// builds (Package.swift defines KURA_TEST_HOOKS for them); a release binary does not know the variable.
enum ClockTestHook {
    static func fixedTime() throws -> Date? {
        guard let text = ProcessInfo.processInfo.environment["KURA_NOW"], !text.isEmpty else { return nil }
        guard let fixed = CatalogTime.parse(text) else {
            throw CommandFailure("KURA_NOW '\(text)' is not an ISO 8601 time", exitCode: .usage)
        }
        return fixed
    }
}
#endif

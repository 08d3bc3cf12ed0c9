import ArgumentParser
import KuraCatalog

extension CatalogError: UserFacingError {
    var userMessage: String { message }

    var exitCode: ExitStatus {
        switch code {
        case .ruleRefused: return .catalogRefused
        case .wrongPassword: return .wrongPasswordOrKey
        case .invalid: return .usage
        case .missing: return .catalogNotFound
        case .notFound, .verificationFailed, .storage: return .failure
        }
    }
}

/// Runs a catalog check inside `validate()`, where only a `ValidationError` becomes the parser's usage error (64).
func validating<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as CatalogError {
        throw ValidationError(error.message)
    }
}

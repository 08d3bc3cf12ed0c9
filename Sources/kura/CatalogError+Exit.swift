import KuraCatalog

extension CatalogError: UserFacingError {
    var userMessage: String { message }

    var exitCode: ExitStatus {
        switch code {
        case .ruleRefused: return .catalogRefused
        case .wrongPassword: return .wrongPasswordOrKey
        case .invalid: return .usage
        case .notFound, .verificationFailed, .storage: return .failure
        }
    }
}

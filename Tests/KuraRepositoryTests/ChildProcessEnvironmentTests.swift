import Testing
@testable import KuraRepository

@Suite struct ChildProcessEnvironmentTests {
    @Test func kurasSecretsAreNamedByRuleAndPathsAreNot() {
        for name in ["KURA_PASSWORD", "KURA_NEW_PASSWORD", "KURA_CUSTODIAN_PASSWORD", "KURA_FROM_PASSWORD",
                     "KURA_CUSTODIAN_PASSPHRASE", "KURA_S3_SECRET", "KURA_API_TOKEN"] {
            #expect(ChildProcess.isKuraSecret(name), "\(name)")
        }
        for name in ["KURA_PASSWORD_FILE", "KURA_NEW_PASSWORD_FILE", "KURA_CUSTODIAN_PASSWORD_FILE", "KURA_REPO",
                     "KURA_CATALOG", "KURA_DRILL_DIR", "PGPASSWORD", "AWS_SECRET_ACCESS_KEY", "MY_KURA_PASSWORD"] {
            #expect(!ChildProcess.isKuraSecret(name), "\(name)")
        }
    }
}

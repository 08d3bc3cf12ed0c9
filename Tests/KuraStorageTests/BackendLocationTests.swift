import KuraStorage
import Testing

@Suite struct BackendLocationTests {
    @Test func pathsAreLocal() throws {
        for path in ["/srv/kura", "relative/repo", "./name:with:colons", "/abs/a:b", "repo", "../up", "C"] {
            #expect(try BackendLocation.parse(path) == .local(path: path), "\(path)")
            #expect(try BackendLocation.open(path, environment: [:]) is LocalBackend)
        }
    }

    @Test func s3IsRecognised() throws {
        #expect(try BackendLocation.parse("s3:https://host:9000/bucket/prefix") == .s3(url: "https://host:9000/bucket/prefix"))
        #expect(try BackendLocation.parse("s3:http://127.0.0.1/b") == .s3(url: "http://127.0.0.1/b"))
        let credentials = ["AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret"]
        let backend = try BackendLocation.open("s3:https://host:9000/bucket/prefix", environment: credentials)
        #expect((backend as? S3Backend)?.s3Location.prefix == "prefix")
    }

    @Test func s3WithoutCredentialsIsRefusedBeforeAnyRequest() {
        do {
            _ = try BackendLocation.open("s3:https://host/bucket", environment: ["AWS_ACCESS_KEY_ID": "id"])
            Issue.record("an s3 location opened without a secret key")
        } catch {
            #expect(error.code == .accessDenied)
            #expect(error.message.contains("AWS_SECRET_ACCESS_KEY"))
        }
    }

    @Test func otherSchemesAreRefused() {
        for location in ["sftp:host:/x", "rclone:remote:path", "b2:bucket", "azure:c:/", "gs:b:/", "rest:http://h/", "s3:bucket/x", "x:"] {
            do {
                _ = try BackendLocation.parse(location)
                Issue.record("\(location) was accepted")
            } catch {
                #expect(error.code == .invalidLocation, "\(location)")
                #expect(!error.message.contains("\n"))
            }
        }
        #expect(throws: StorageError.self) { try BackendLocation.parse("") }
    }
}

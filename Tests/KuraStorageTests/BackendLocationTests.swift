import KuraStorage
import Testing

@Suite struct BackendLocationTests {
    @Test func pathsAreLocal() throws {
        for path in ["/srv/kura", "relative/repo", "./name:with:colons", "/abs/a:b", "repo", "../up", "C"] {
            #expect(try BackendLocation.parse(path) == .local(path: path), "\(path)")
            #expect(try BackendLocation.open(path) is LocalBackend)
        }
    }

    @Test func s3IsRecognised() throws {
        #expect(try BackendLocation.parse("s3:https://host:9000/bucket/prefix") == .s3(url: "https://host:9000/bucket/prefix"))
        #expect(try BackendLocation.parse("s3:http://127.0.0.1/b") == .s3(url: "http://127.0.0.1/b"))
        do {
            _ = try BackendLocation.open("s3:https://host/bucket")
            Issue.record("this build opened an s3 location")
        } catch {
            #expect(error.code == .invalidLocation)
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

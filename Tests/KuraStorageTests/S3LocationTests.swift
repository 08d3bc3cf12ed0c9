import Testing
@testable import KuraStorage

@Suite("S3 locations")
struct S3LocationTests {
    @Test("restic's form is parsed into endpoint, bucket and prefix, and keys follow the local layout")
    func parses() throws {
        let location = try S3Location(parsing: "s3:http://127.0.0.1:8333/kura-backups/site/ōsaka/")
        #expect(location.scheme == "http")
        #expect(location.host == "127.0.0.1")
        #expect(location.port == 8333)
        #expect(location.bucket == "kura-backups")
        #expect(location.prefix == "site/ōsaka")
        #expect(location.endpoint == "http://127.0.0.1:8333")
        #expect(location.description == "s3:http://127.0.0.1:8333/kura-backups/site/ōsaka")
        let pack = String(repeating: "ab", count: 32)
        #expect(location.key(ObjectHandle(.data, pack)) == "site/ōsaka/data/ab/\(pack)")
        #expect(location.key(.config) == "site/ōsaka/config")
        #expect(location.key(ObjectHandle(.keys, "k1")) == "site/ōsaka/keys/k1")
        #expect(location.key(ObjectHandle(.index, "i1")) == "site/ōsaka/index/i1")

        let root = try S3Location(parsing: "s3:https://s3.example.com:443/bucket")
        #expect(root.port == nil)
        #expect(root.prefix.isEmpty)
        #expect(root.authority == "s3.example.com")
        #expect(root.key(ObjectHandle(.snapshots, "s1")) == "snapshots/s1")
        #expect(try S3Location(parsing: "s3:http://[::1]:9000/bkt/p").authority == "[::1]:9000")
    }

    @Test("malformed locations are refused as invalid, naming the location",
          arguments: ["s3:ftp://host/bucket", "s3://host/bucket", "s3:http://host", "s3:http://host/",
                      "s3:http://host:99999/bucket", "s3:http://host:/bucket", "s3:http://host:x/bucket",
                      "s3:http:///bucket", "s3:http://host/Bucket_Caps", "s3:http://host/ab",
                      "s3:http://host/bucket//prefix", "s3:http://host/bucket/../up", "s3:http://host/bucket?x=1",
                      "s3:http://user@host/bucket", "sftp:host:/srv", "s3:http://ho st/bucket"])
    func refuses(_ text: String) {
        #expect {
            _ = try S3Location(parsing: text)
        } throws: { error in
            guard let error = error as? StorageError else { return false }
            return error.code == .invalidLocation && error.message.hasPrefix(text + ":") && !error.message.contains("\n")
        }
    }

    @Test("credentials come from the AWS_ variables; a missing key is refused")
    func credentials() throws {
        let full = try S3Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret",
                                                      "AWS_SESSION_TOKEN": "token", "AWS_DEFAULT_REGION": "eu-west-1"])
        #expect(full == S3Credentials(accessKeyID: "id", secretAccessKey: "secret", sessionToken: "token", region: "eu-west-1"))
        #expect(!"\(full)".contains("secret"))
        let plain = try S3Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret"])
        #expect(plain.region == "us-east-1")
        #expect(plain.sessionToken == nil)
        #expect(throws: StorageError.self) { try S3Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "id"]) }
    }
}

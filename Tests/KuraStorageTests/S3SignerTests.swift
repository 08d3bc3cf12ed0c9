import KuraCrypto
import Testing
@testable import KuraStorage

/// The signer against AWS's published Signature Version 4 vectors: the generic test suite
/// ("get-vanilla" and friends: service `service`, 2015-08-30) and the worked S3 examples of
/// AWS's "Authenticating Requests" page (2013-05-24). A single wrong byte anywhere in the
/// canonical request, the key derivation or the encoding changes every signature.
@Suite("S3 Signature Version 4")
struct S3SignerTests {
    static let suite = S3Signer(
        credentials: S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        service: "service")
    static let suiteHeaders = [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")]
    static let unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

    static func suiteSignature(path: String, query: [(String, String)] = []) -> String {
        let authorization = suite.authorization(method: "GET", path: path, query: query, headers: suiteHeaders,
                                                payloadHash: S3Signer.emptyPayloadHash, amzDate: "20150830T123600Z")
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature="))
        return String(authorization.split(separator: "=").last!)
    }

    @Test("get-vanilla and the query and path cases of the AWS test suite")
    func awsTestSuite() {
        #expect(Self.suiteSignature(path: "/") == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(Self.suiteSignature(path: "/", query: [("Param2", "value2"), ("Param1", "value1")])
                == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
        #expect(Self.suiteSignature(path: "/", query: [(Self.unreserved, Self.unreserved)])
                == "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197")
        #expect(Self.suiteSignature(path: "/", query: [("\u{1234}", "bar")])
                == "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04")
        #expect(Self.suiteSignature(path: "/" + Self.unreserved)
                == "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")
        #expect(Self.suiteSignature(path: "/\u{1234}") == "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")
        #expect(Self.suiteSignature(path: "/example space/") == "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741")
    }

    static let s3 = S3Signer(credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                                        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
    static let s3Date = "20130524T000000Z"
    static let s3Host = ("host", "examplebucket.s3.amazonaws.com")

    @Test("AWS's S3 examples: GET with Range, PUT with a signed payload, ListObjects")
    func awsS3Examples() {
        let get = Self.s3.authorization(
            method: "GET", path: "/test.txt", query: [],
            headers: [Self.s3Host, ("range", "bytes=0-9"), ("x-amz-content-sha256", S3Signer.emptyPayloadHash), ("x-amz-date", Self.s3Date)],
            payloadHash: S3Signer.emptyPayloadHash, amzDate: Self.s3Date)
        #expect(get == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")

        let body = Array("Welcome to Amazon S3.".utf8)
        let bodyHash = S3Signer.payloadHash(body)
        #expect(bodyHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let put = Self.s3.authorization(
            method: "PUT", path: "/test$file.text", query: [],
            headers: [Self.s3Host, ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-date", Self.s3Date),
                      ("x-amz-storage-class", "REDUCED_REDUNDANCY"), ("x-amz-content-sha256", bodyHash)],
            payloadHash: bodyHash, amzDate: Self.s3Date)
        #expect(put.hasSuffix("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"))

        let list = Self.s3.authorization(
            method: "GET", path: "/", query: [("max-keys", "2"), ("prefix", "J")],
            headers: [Self.s3Host, ("x-amz-content-sha256", S3Signer.emptyPayloadHash), ("x-amz-date", Self.s3Date)],
            payloadHash: S3Signer.emptyPayloadHash, amzDate: Self.s3Date)
        #expect(list.hasSuffix("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"))
    }

    @Test("SHA-256 and HMAC-SHA-256 through libsodium match FIPS 180-2 and RFC 4231")
    func hashes() {
        #expect(Hex.encode(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.encode(SHA256.hash([])) == S3Signer.emptyPayloadHash)
        // RFC 4231 test case 2 (a key shorter than the block) and 6 (a 131-byte key, longer than the block).
        #expect(Hex.encode(SHA256.hmac(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(Hex.encode(SHA256.hmac(key: [UInt8](repeating: 0xaa, count: 131),
                                       Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("x-amz-date from seconds since 1970")
    func amzDate() {
        #expect(S3Signer.amzDate(secondsSince1970: 1_440_938_160) == "20150830T123600Z")
        #expect(S3Signer.amzDate(secondsSince1970: 0) == "19700101T000000Z")
        #expect(S3Signer.amzDate(secondsSince1970: 951_782_399) == "20000228T235959Z")
        #expect(S3Signer.amzDate(secondsSince1970: 951_782_400) == "20000229T000000Z")
        #expect(S3Signer.amzDate(secondsSince1970: 4_102_444_800) == "21000101T000000Z")
    }
}

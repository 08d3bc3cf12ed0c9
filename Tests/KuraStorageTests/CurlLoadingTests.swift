import CCurl
import Testing

/// libcurl is opened with dlopen when the S3 backend first needs it; a name that does not load gives the
/// loader's reason, which the backend's error then carries.
@Suite struct CurlLoadingTests {
    @Test func aLibraryThatDoesNotLoadGivesTheLoadersReason() {
        var problem: UnsafePointer<CChar>?
        #expect(kura_curl_load("libkura-no-such-library.so.0", &problem) == nil)
        #expect(problem.map { String(cString: $0) }?.contains("libkura-no-such-library.so.0") == true)
    }

    @Test func libcurlLoadsWithEveryFunctionKuraCalls() throws {
        var problem: UnsafePointer<CChar>?
        let api = try #require(kura_curl_load("libcurl.so.4", &problem), "\(problem.map { String(cString: $0) } ?? "")")
        let version = try #require(api.pointee.curl_easy_strerror(CURLE_OK))
        #expect(String(cString: version) == "No error")
    }
}

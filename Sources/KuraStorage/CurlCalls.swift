import CCurl

/// Every call kura makes into libcurl, the HTTP client under the S3 backend. `curl_easy_setopt`
/// and `curl_easy_getinfo` are variadic in C and go through the typed wrappers in CCurl's shim.
enum CurlCalls {
    typealias Handle = UnsafeMutableRawPointer
    typealias HeaderList = UnsafeMutablePointer<curl_slist>

    /// The names libcurl is opened by: its soname since 2006, then the development link.
    static let libraryNames = ["libcurl.so.4", "libcurl.so"]

    /// Why libcurl cannot be used (not installed): the S3 backend needs it, nothing else does.
    struct Unavailable: Error {
        var reason: String
    }

    /// libcurl's functions (`dlopen` and `dlsym`, in CCurl's shim), then `curl_global_init(CURL_GLOBAL_ALL)`,
    /// once per process, before the first handle (libcurl asks that it run before threads use the library).
    nonisolated(unsafe) private static let loaded: Result<UnsafePointer<kura_curl_api>, Unavailable> = {
        var problem: UnsafePointer<CChar>?
        for name in libraryNames {
            guard let api = kura_curl_load(name, &problem) else { continue }
            guard api.pointee.curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK else {
                return .failure(Unavailable(reason: "curl_global_init failed"))
            }
            return .success(api)
        }
        return .failure(Unavailable(reason: problem.map { String(cString: $0) } ?? "\(libraryNames[0]) was not found"))
    }()

    /// The functions, once a handle exists (`makeHandle` loaded them).
    private static var api: UnsafePointer<kura_curl_api> {
        guard case .success(let api) = loaded else { preconditionFailure("libcurl called before a handle was made") }
        return api
    }

    /// `curl_easy_init`, loading libcurl first for the process's first handle; nil when libcurl cannot make one.
    static func makeHandle() throws(Unavailable) -> Handle? {
        switch loaded {
        case .success(let api): return api.pointee.curl_easy_init()
        case .failure(let unavailable): throw unavailable
        }
    }

    /// `curl_easy_cleanup`: closes the handle's connections too.
    static func free(_ handle: Handle) { api.pointee.curl_easy_cleanup(handle) }

    /// `curl_easy_reset`: every option back to its default; the open connections and caches stay.
    static func reset(_ handle: Handle) { api.pointee.curl_easy_reset(handle) }

    /// `curl_easy_perform`: one whole exchange, on the calling thread.
    static func perform(_ handle: Handle) -> CURLcode { api.pointee.curl_easy_perform(handle) }

    /// `curl_easy_setopt` with a `long`.
    @discardableResult
    static func set(_ handle: Handle, _ option: CURLoption, _ value: Int) -> CURLcode {
        kura_curl_set_long(api, handle, option, value)
    }

    /// `curl_easy_setopt` with a `curl_off_t` (a size).
    @discardableResult
    static func set(_ handle: Handle, _ option: CURLoption, offset value: Int64) -> CURLcode {
        kura_curl_set_offset(api, handle, option, curl_off_t(value))
    }

    /// `curl_easy_setopt` with a string, which libcurl copies.
    @discardableResult
    static func set(_ handle: Handle, _ option: CURLoption, _ value: String) -> CURLcode {
        value.withCString { kura_curl_set_pointer(api, handle, option, $0) }
    }

    /// `curl_easy_setopt` with a pointer libcurl keeps without copying (the caller keeps it alive
    /// until the exchange ends).
    @discardableResult
    static func set(_ handle: Handle, _ option: CURLoption, pointer value: UnsafeRawPointer?) -> CURLcode {
        kura_curl_set_pointer(api, handle, option, value)
    }

    /// `curl_easy_setopt` with a header list, which libcurl keeps without copying.
    @discardableResult
    static func set(_ handle: Handle, _ option: CURLoption, list value: HeaderList?) -> CURLcode {
        kura_curl_set_list(api, handle, option, value)
    }

    /// `curl_easy_setopt` with a write or header callback.
    @discardableResult
    static func set(_ handle: Handle, _ option: CURLoption, callback value: kura_curl_data_callback) -> CURLcode {
        kura_curl_set_callback(api, handle, option, value)
    }

    /// `curl_easy_getinfo` for a `long` (the response code).
    static func info(_ handle: Handle, _ info: CURLINFO) -> Int {
        var value = 0
        _ = kura_curl_get_long(api, handle, info, &value)
        return value
    }

    /// `curl_slist_append`: the list with `line` added (libcurl copies the line).
    static func append(_ list: HeaderList?, _ line: String) -> HeaderList? {
        line.withCString { api.pointee.curl_slist_append(list, $0) }
    }

    /// `curl_slist_free_all`.
    static func free(list: HeaderList?) { api.pointee.curl_slist_free_all(list) }

    /// `curl_easy_strerror`: libcurl's sentence for a code.
    static func describe(_ code: CURLcode) -> String {
        api.pointee.curl_easy_strerror(code).map { String(cString: $0) } ?? "libcurl error \(code.rawValue)"
    }
}

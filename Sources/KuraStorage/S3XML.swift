/// The little of S3's XML kura reads: error bodies and ListObjectsV2 pages. `package`: the fuzz target
/// (KuraFuzzTargets) feeds it hostile bodies, as a compromised or broken store could send.
///
/// Read with `XMLElementReader`, not Foundation's XMLParser: swift-corelibs-foundation leaks an error
/// object for every malformed document (found by the `s3xml` fuzz target) and keeps per-process
/// parser state, so parses had to take turns.
package enum S3XML {
    /// `<Error><Code>…</Code><Message>…</Message></Error>`
    package struct ErrorBody: Sendable {
        package let code: String
        package let message: String
    }

    /// One page of `ListObjectsV2`.
    package struct ListPage: Sendable {
        package var objects: [(key: String, size: Int64)] = []
        package var isTruncated = false
        package var continuationToken: String?
    }

    package static func errorBody(_ bytes: [UInt8]) -> ErrorBody? {
        // An error body is a small XML document; anything else (an HTML page, an object's bytes) is not one.
        guard bytes.count <= 1 << 16, bytes.first(where: { ![9, 10, 13, 32].contains($0) }) == UInt8(ascii: "<") else { return nil }
        guard let elements = XMLElementReader.collect(bytes, path: ["Error"], fields: ["Code", "Message"]),
              let first = elements.first, let code = first["Code"], !code.isEmpty else { return nil }
        return ErrorBody(code: code, message: first["Message"] ?? "")
    }

    /// nil when the body is not a `ListBucketResult`.
    package static func listPage(_ bytes: [UInt8]) -> ListPage? {
        guard let results = XMLElementReader.collect(bytes, path: ["ListBucketResult"], fields: ["IsTruncated", "NextContinuationToken"]),
              let result = results.first,
              let contents = XMLElementReader.collect(bytes, path: ["ListBucketResult", "Contents"], fields: ["Key", "Size"]) else { return nil }
        var page = ListPage()
        page.isTruncated = result["IsTruncated"] == "true"
        page.continuationToken = result["NextContinuationToken"].flatMap { $0.isEmpty ? nil : $0 }
        for entry in contents {
            guard let key = entry["Key"], let sizeText = entry["Size"], let size = Int64(sizeText), size >= 0 else { return nil }
            page.objects.append((key, size))
        }
        return page
    }
}

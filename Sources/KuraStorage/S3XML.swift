import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Synchronization

/// swift-corelibs-foundation's XMLParser keeps per-process parser state in libxml2 callbacks: two
/// parsers on two threads at once crash (a restore's readers hit this when several requests fail
/// together). One parse at a time; S3's XML bodies are small.
private let parsing = Mutex(())

/// The little of S3's XML kura reads: error bodies and ListObjectsV2 pages. `package`: the fuzz target
/// (KuraFuzzTargets) feeds it hostile bodies, as a compromised or broken store could send.
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
        let elements = Collector(path: ["Error"], fields: ["Code", "Message"]).run(bytes)
        guard let first = elements.first, let code = first["Code"], !code.isEmpty else { return nil }
        return ErrorBody(code: code, message: first["Message"] ?? "")
    }

    /// nil when the body is not a `ListBucketResult`.
    package static func listPage(_ bytes: [UInt8]) -> ListPage? {
        let top = Collector(path: ["ListBucketResult"], fields: ["IsTruncated", "NextContinuationToken"])
        let results = top.run(bytes)
        guard let result = results.first else { return nil }
        var page = ListPage()
        page.isTruncated = result["IsTruncated"] == "true"
        page.continuationToken = result["NextContinuationToken"].flatMap { $0.isEmpty ? nil : $0 }
        for entry in Collector(path: ["ListBucketResult", "Contents"], fields: ["Key", "Size"]).run(bytes) {
            guard let key = entry["Key"], let sizeText = entry["Size"], let size = Int64(sizeText), size >= 0 else { return nil }
            page.objects.append((key, size))
        }
        return page
    }
}

/// Collects the text of `fields` inside every element at `path` (from the root).
private final class Collector: NSObject, XMLParserDelegate {
    private let path: [String]
    private let fields: Set<String>
    private var stack: [String] = []
    private var current: [String: String]?
    private var text = ""
    private var found: [[String: String]] = []

    init(path: [String], fields: Set<String>) {
        self.path = path
        self.fields = fields
    }

    func run(_ bytes: [UInt8]) -> [[String: String]] {
        let parser = XMLParser(data: Data(bytes))
        // Namespace processing crashes corelibs-foundation's parser on some bodies (Swift 6.3); S3 puts its
        // elements in one default namespace, so the plain names are the same.
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        let parsed = parsing.withLock { _ in parser.parse() }
        guard parsed else { return [] }
        return found
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        stack.append(elementName)
        if stack == path { current = [:] }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if stack.count == path.count + 1, stack.dropLast().elementsEqual(path), fields.contains(elementName) {
            current?[elementName] = text
        }
        if stack == path, let current { found.append(current); self.current = nil }
        stack.removeLast()
        text = ""
    }
}

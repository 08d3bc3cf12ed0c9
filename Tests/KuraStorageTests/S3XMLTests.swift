import Testing
@testable import KuraStorage

/// S3's answers are bytes from a store kura does not trust: read strictly, and never more than asked.
@Suite struct S3XMLTests {
    static let page = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- as AWS and SeaweedFS write it -->
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
          <Name>kura</Name><Prefix>site/</Prefix><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys>
          <IsTruncated>true</IsTruncated>
          <NextContinuationToken>c2l0ZS9kYXRh+/=</NextContinuationToken>
          <Contents><Key>site/data/ab/ab01</Key><LastModified>2026-12-01T03:00:00.000Z</LastModified><Size>16777216</Size></Contents>
          <Contents><Key>site/&#x5927;&#38442;/a&amp;b&lt;c&gt;&quot;d&apos;</Key><Size>0</Size><Owner><ID>x</ID></Owner></Contents>
          <Contents><Key><![CDATA[site/keys/<raw>&]]></Key><Size>451</Size><StorageClass/></Contents>
        </ListBucketResult>
        """

    @Test func aListingPageGivesItsKeysSizesAndToken() throws {
        let page = try #require(S3XML.listPage(Array(Self.page.utf8)))
        #expect(page.objects.map(\.key) == ["site/data/ab/ab01", "site/大阪/a&b<c>\"d'", "site/keys/<raw>&"])
        #expect(page.objects.map(\.size) == [16_777_216, 0, 451])
        #expect(page.isTruncated)
        #expect(page.continuationToken == "c2l0ZS9kYXRh+/=")
    }

    @Test func anErrorBodyGivesItsCodeAndMessage() throws {
        let body = "\n<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce your request rate &amp; retry.</Message><Resource>/kura</Resource></Error>"
        let error = try #require(S3XML.errorBody(Array(body.utf8)))
        #expect(error.code == "SlowDown")
        #expect(error.message == "Reduce your request rate & retry.")
        #expect(S3XML.errorBody(Array("<html><body>502 Bad Gateway</body></html>".utf8)) == nil)
        #expect(S3XML.errorBody(Array("not xml".utf8)) == nil)
    }

    @Test(arguments: [
        "<ListBucketResult><Contents><Key>a</Key><Size>1</Size></Contents>",                         // unclosed
        "<ListBucketResult><Contents><Key>a</Size></Contents></ListBucketResult>",                   // mismatched
        "<ListBucketResult></ListBucketResult><ListBucketResult></ListBucketResult>",                // two roots
        "<ListBucketResult></ListBucketResult>trailing",                                             // text outside
        "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><ListBucketResult><Name>&a;</Name></ListBucketResult>",   // entities
        "<ListBucketResult><Contents><Key>&bogus;</Key><Size>1</Size></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>&#0;</Key><Size>1</Size></Contents></ListBucketResult>",
        "<ListBucketResult xmlns=\"x><Contents/></ListBucketResult>",                                // open quote
        "<ListBucketResult xmlnsh\"=ttp://s3/\"></ListBucketResult>",                                // the fuzzer's
        "<ListBucketResult><Contents><Key>a</Key><Size>-1</Size></Contents></ListBucketResult>",     // negative size
        "<ListBucketResult><Contents><Key>a</Key></Contents></ListBucketResult>",                    // no size
        "<ListBucketResult><![CDATA[never closed</ListBucketResult>",
        "",
    ])
    func aMalformedListingIsNoPage(_ body: String) {
        #expect(S3XML.listPage(Array(body.utf8)) == nil)
    }

    @Test func aKeyThatIsNotUTF8OrNestingTooDeepIsNoPage() {
        let invalid = Array("<ListBucketResult><Contents><Key>".utf8) + [0xff, 0xfe] + Array("</Key><Size>1</Size></Contents></ListBucketResult>".utf8)
        #expect(S3XML.listPage(invalid) == nil)
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        #expect(S3XML.listPage(Array(("<ListBucketResult>" + deep + "</ListBucketResult>").utf8)) == nil)
    }

    @Test func anEmptyPageIsAPageWithNoObjects() throws {
        let page = try #require(S3XML.listPage(Array("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>".utf8)))
        #expect(page.objects.isEmpty)
        #expect(!page.isTruncated)
        #expect(page.continuationToken == nil)
    }
}

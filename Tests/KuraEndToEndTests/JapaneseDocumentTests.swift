import Foundation
import Testing

/// Issue 15 item 11: the certificate of sanitization, the exposure report of a lost medium and `kura report` in
/// Japanese with LANG=ja_JP.UTF-8 or --lang ja, times in JST; English stays the default and --lang en wins.
@Suite struct JapaneseDocumentTests {
    /// Runs kura on the fixture's catalog with the clock at the fixture's `now` and the given locale variables.
    static func kura(_ f: CatalogFixture, _ arguments: [String], locale: [String: String], as custodian: String? = nil) throws -> KuraResult {
        var environment = ["KURA_CATALOG": f.catalogPath].merging(locale) { $1 }
        if let now = f.now { environment["KURA_NOW"] = now }
        if let custodian { environment["KURA_CUSTODIAN_PASSWORD"] = CatalogFixture.passphrase(of: custodian) }
        let result = try Kura.run(arguments + (custodian.map { ["--as", $0] } ?? []), environment: environment)
        #expect(result.status == 0, "kura \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    static let japanese = ["LANG": "ja_JP.UTF-8"]

    /// The Japanese certificate's headings and field names (NIST SP 800-88's fields).
    static let certificateLabels = [
        "媒体廃棄証明書", "NIST SP 800-88", "実施者", "媒体情報", "媒体識別番号", "資産管理番号", "機密区分",
        "廃棄方法（NIST SP 800-88: Clear/Purge/Destroy）", "使用した手法", "検証方法", "廃棄後の機密区分", "実施日時",
        "確認者（検証結果の確認）", "確認日時", "廃棄の申請と承認", "申請者", "承認者", "監査ログ上の位置", "発行日時",
    ]

    @Test func theCertificateIsJapaneseUnderAJapaneseLocaleWithJSTTimes() throws {
        let f = try CatalogCertificateTests.disposedTape()   // every step at 2031-02-03T04:05:06Z
        let text = try Self.kura(f, ["media", "certificate", "HUL123456"], locale: Self.japanese).output
        let html = try Self.kura(f, ["media", "certificate", "HUL123456", "--format", "html"], locale: Self.japanese).output
        for label in Self.certificateLabels {
            #expect(text.contains(label), "text lacks \(label)")
            #expect(html.contains(label), "html lacks \(label)")
        }
        // 04:05:06 UTC is 13:05:06 in Tokyo; no UTC time is left on the Japanese certificate.
        for document in [text, html] {
            #expect(document.contains("2031年2月3日 13:05:06（日本標準時 +09:00）"))
            #expect(!document.contains("2031-02-03T04:05:06Z"))
            #expect(!document.contains("Certificate of Sanitization") && !document.contains("Person Performing Sanitization"))
            // What was recorded is printed as recorded; fixed catalog values are translated.
            for value in ["HUL123456", "CRM001L9", "PN-7781", "Fujifilm", "shred", "HSM Powerline 2.1", "carol", "dave",
                          "retention over", "破壊（Destroy）", "リサイクル業者", "廃棄済み（disposed）"] {
                #expect(document.contains(value), "lacks \(value)")
            }
        }
        #expect(html.contains("<html lang=\"ja\">"))
        #expect(html.contains("font: 9.5pt/1.35 \"Noto Sans CJK JP\""))
        #expect(html.contains("<div class=\"seal\"><span>印</span></div>"))

        // Labels line up by display width: each value of a section starts in the same terminal column.
        let media = text.components(separatedBy: "\n媒体情報\n")[1].components(separatedBy: "\n\n")[0]
            .split(separator: "\n").dropFirst().map(String.init)
        let columns = Set(media.map { line -> Int in
            let label = line.prefix { $0 != "：" }
            let rest = line.dropFirst(label.count + 1).prefix { $0 == " " }
            return Self.width(String(label)) + 2 + rest.count
        })
        #expect(media.count == 10 && columns.count == 1, "\(media)")
    }

    @Test func langOptionWinsOverTheLocaleBothWays() throws {
        let f = try CatalogCertificateTests.disposedTape()
        let ja = try Self.kura(f, ["media", "certificate", "HUL123456", "--lang", "ja"], locale: ["LANG": "C.UTF-8"]).output
        #expect(ja.hasPrefix("媒体廃棄証明書\n") && ja.contains("+09:00"))
        let en = try Self.kura(f, ["media", "certificate", "HUL123456", "--lang", "en", "--format", "html"], locale: Self.japanese).output
        #expect(en.contains("<html lang=\"en\">") && en.contains("Certificate of Sanitization") && en.contains("2031-02-03T04:05:06Z"))
        #expect(!en.contains("媒体廃棄証明書") && !en.contains("+09:00") && !en.contains("class=\"seal\""))
        // LC_ALL overrides LANG, as POSIX says; no locale at all is English.
        let cLocale = try Self.kura(f, ["media", "certificate", "HUL123456"], locale: ["LC_ALL": "C", "LANG": "ja_JP.UTF-8"]).output
        #expect(cLocale.hasPrefix("CERTIFICATE OF SANITIZATION\n"))
        let plain = try Self.kura(f, ["media", "certificate", "HUL123456"], locale: [:]).output
        #expect(plain.hasPrefix("CERTIFICATE OF SANITIZATION\n") && plain.contains("2031-02-03T04:05:06Z"))
        let messages = try Self.kura(f, ["media", "certificate", "HUL123456"], locale: ["LC_MESSAGES": "ja_JP.UTF-8"]).output
        #expect(messages.hasPrefix("媒体廃棄証明書\n"))
        // JSON is data, never translated.
        let json = try Self.kura(f, ["media", "certificate", "HUL123456", "--json"], locale: Self.japanese).output
        #expect(json.contains("\"2031-02-03T04:05:06.000Z\"") && !json.contains("媒体"))
        let bad = try Kura.run(["media", "certificate", "HUL123456", "--lang", "fr"], environment: ["KURA_CATALOG": f.catalogPath])
        #expect(bad.status == 64 && bad.stderr.contains("--lang"))
    }

    @Test func theExposureReportAndTheComplianceReportAreJapanese() throws {
        let f = try CatalogFixture()
        f.now = "2031-05-06T22:30:00Z"
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "L1", "--type", "LTO-9", "--as", "alice"])
        try f.ok(["media", "record-set", "L1", "--repository-id", "repo-crm", "--snapshot", "abc123", "--source", "stdin:顧客.sql",
                  "--bytes", "987654", "--retain-until", "2035-01-01", "--written-at", "2031-05-01T00:00:00Z", "--key-slot", "slot9",
                  "--as", "alice"])
        let lost = try Self.kura(f, ["media", "lost", "L1", "--note", "配送されず"], locale: Self.japanese, as: "bob").output
        for expected in ["紛失媒体の情報漏えい影響報告書：媒体 L1", "媒体の種類", "機密区分", "最後に確認された場所", "バックアップセット",
                         "1 件、合計 987654 バイト", "stdin:顧客.sql", "2031年5月1日 09:00:00（日本標準時 +09:00）、保存期限 2035-01-01",
                         "暗号化", "slot9", "保護の状況", "XChaCha20-Poly1305", "パスフレーズなしで媒体から読み取れるのは"] {
            #expect(lost.contains(expected), "exposure report lacks \(expected): \(lost)")
        }
        #expect(!lost.contains("EXPOSURE REPORT") && !lost.contains("protection:"))

        let report = try Kura.run(["report"], environment: ["KURA_CATALOG": f.catalogPath, "KURA_NOW": f.now!, "LANG": "ja_JP.UTF-8"])
        #expect(report.status == 1, "a lost medium makes report exit 1")
        for expected in ["kura コンプライアンス報告書（作成日時 2031年5月7日 07:30:00（日本標準時 +09:00））", "バックアップ対象：",
                         "状態別の媒体数：lost 1", "保管場所別の媒体数：", "未完了の廃棄：なし", "紛失媒体：L1", "最新の棚卸し：なし",
                         "監査ログ：改ざんなし", "管理者の本人性は自己申告です"] {
            #expect(report.output.contains(expected), "report lacks \(expected): \(report.output)")
        }
        // Why it exits 1 is said in Japanese too, under the same "stale:" prefix scripts look for.
        #expect(report.stderr.contains("stale: 媒体 L1 は紛失しています"), "\(report.stderr)")
        let stale = try Kura.run(["report", "--max-backup-age", "1d"], environment: ["KURA_CATALOG": f.catalogPath, "KURA_NOW": f.now!,
                                                                                 "LANG": "ja_JP.UTF-8"])
        #expect(stale.stderr.contains("カタログに成功したバックアップの記録がありません") && !stale.stderr.contains("no successful backup"),
                "\(stale.stderr)")
        let english = try Kura.run(["report", "--lang", "en"], environment: ["KURA_CATALOG": f.catalogPath, "KURA_NOW": f.now!,
                                                                          "LANG": "ja_JP.UTF-8"])
        #expect(english.output.hasPrefix("kura compliance report, 2031-05-06T22:30:00Z\n"))
        #expect(english.output.contains("lost media: L1") && !english.output.contains("紛失"))
        #expect(english.stderr.contains("stale: medium L1 is lost"), "\(english.stderr)")
    }

    /// Terminal columns, East Asian Wide characters two.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ((0x2E80...0xFFEF).contains($1.value) ? 2 : 1) }
    }
}

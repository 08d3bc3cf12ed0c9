import KuraCatalog

/// Every word of `kura report`'s text, per language. Names, serials, states and catalog details are printed as recorded.
struct ReportTextStrings: Sendable {
    var language: DocumentLanguage
    var heading: @Sendable (_ generatedAt: String) -> String
    var sources, noneRecorded, none: String
    var sourceLabel: @Sendable (_ name: String, _ host: String, _ repository: String) -> String
    var retired: @Sendable (_ by: String, _ at: String, _ reason: String?) -> String
    var lastBackup, lastDrill, newestCopy: String
    var backup: @Sendable (_ time: String, _ age: String, _ snapshot: String, _ size: String) -> String
    var newerBackup: @Sendable (_ snapshot: String, _ time: String, _ result: String) -> String
    var drill: @Sendable (_ time: String, _ age: String, _ id: Int64, _ snapshot: String, _ from: String, _ seconds: Double, _ by: String) -> String
    var fromRepository: String
    var fromMedium: @Sendable (_ serial: String) -> String
    var copy: @Sendable (_ time: String, _ age: String, _ repository: String, _ snapshot: String) -> String
    var failedDrill: @Sendable (_ id: Int64, _ time: String, _ detail: String?) -> String
    var mediaByState, mediaByLocation, pendingDisposals, lostMedia, lastInventories: String
    var inTransitLongerThan: @Sendable (_ age: String) -> String
    var disposal: @Sendable (_ serial: String, _ requestedBy: String, _ at: String, _ approvedBy: String?, _ performedBy: String?) -> String
    var transit: @Sendable (_ serial: String, _ from: String, _ to: String, _ courier: String, _ sentBy: String, _ at: String, _ hours: Int) -> String
    var inventory: @Sendable (_ location: String, _ at: String, _ by: String, _ problems: [String]) -> String
    var missing, unexpected, misplaced: String
    var auditIntact: @Sendable (_ events: Int64, _ head: String) -> String
    var auditFailed: @Sendable (_ problem: String) -> String
    var identities: @Sendable (CustodianIdentities) -> String
    var custodianCertificate: @Sendable (_ name: String, _ subject: String?) -> String
    var age: @Sendable (_ seconds: Int64?) -> String
    /// After a heading that ends in a colon, before its value; between the items of a list.
    var gap, listSeparator: String

    static func `for`(_ language: DocumentLanguage) -> ReportTextStrings { language == .ja ? japanese : english }

    static let english = ReportTextStrings(
        language: .en,
        heading: { "kura compliance report, \($0)" },
        sources: "sources:", noneRecorded: "none recorded", none: "none",
        sourceLabel: { name, host, repository in "\(name) (host \(host), repository \(repository))" },
        retired: { by, at, reason in " (retired by \(by) at \(at)" + (reason.map { ": \($0)" } ?? "") + ")" },
        lastBackup: "last successful backup: ", lastDrill: "last passed drill:      ", newestCopy: "newest copy elsewhere:  ",
        backup: { time, age, snapshot, size in "\(time) (\(age)), snapshot \(snapshot), \(size)" },
        newerBackup: { snapshot, time, result in "newer backup \(snapshot) at \(time) was \(result)" },
        drill: { time, age, id, snapshot, from, seconds, by in
            "\(time) (\(age)), drill \(id) of snapshot \(snapshot) from \(from), " + String(format: "%.2f s", seconds) + " by \(by)" },
        fromRepository: "the repository", fromMedium: { "medium \($0)" },
        copy: { time, age, repository, snapshot in "snapshot of \(time) (\(age)) in repository \(repository) as \(snapshot)" },
        failedDrill: { id, time, detail in "drill \(id) at \(time) FAILED" + (detail.map { ": \($0)" } ?? "") },
        mediaByState: "media by state:", mediaByLocation: "media by location:", pendingDisposals: "pending disposals:",
        lostMedia: "lost media:", lastInventories: "last inventories:",
        inTransitLongerThan: { "media in transit for longer than \($0):" },
        disposal: { serial, requestedBy, at, approvedBy, performedBy in
            "medium \(serial): requested by \(requestedBy) at \(at)" + (approvedBy.map { ", approved by \($0)" } ?? ", not approved")
                + (performedBy.map { ", sanitized by \($0), awaiting validation" } ?? "") },
        transit: { serial, from, to, courier, sentBy, at, hours in
            "medium \(serial): \(from) -> \(to) with \(courier), sent by \(sentBy) at \(at) (\(hours) h)" },
        inventory: { location, at, by, problems in
            "\(location) at \(at) by \(by): " + (problems.isEmpty ? "no discrepancies" : problems.joined(separator: "; ")) },
        missing: "missing", unexpected: "unexpected", misplaced: "misplaced",
        auditIntact: { events, head in "audit log: intact, \(events) events, head \(head)" },
        auditFailed: { "audit log: DOES NOT VERIFY: \($0)" },
        identities: { "custodian identities: \($0.summary); \($0.consequence)" },
        custodianCertificate: { name, subject in "\(name): certificate \(subject ?? "none")" },
        age: { seconds in
            guard let seconds else { return "age unknown" }
            if seconds < 120 { return "\(seconds) s ago" }
            if seconds < 7200 { return "\(seconds / 60) min ago" }
            if seconds < 172_800 { return "\(seconds / 3600) h ago" }
            return "\(seconds / 86_400) days ago"
        },
        gap: " ", listSeparator: ", ")

    static let japanese = ReportTextStrings(
        language: .ja,
        heading: { "kura コンプライアンス報告書（作成日時 \($0)）" },
        sources: "バックアップ対象：", noneRecorded: "記録なし", none: "なし",
        sourceLabel: { name, host, repository in "\(name)（ホスト \(host)、リポジトリ \(repository)）" },
        retired: { by, at, reason in "（\(at) に \(by) が対象から除外" + (reason.map { "：\($0)" } ?? "") + "）" },
        lastBackup: "最後に成功したバックアップ：", lastDrill: "最後に合格したリストア訓練：", newestCopy: "別リポジトリへの最新の複製：",
        backup: { time, age, snapshot, size in "\(time)（\(age)）、スナップショット \(snapshot)、\(size)" },
        newerBackup: { snapshot, time, result in "より新しいバックアップ \(snapshot)（\(time)）の結果：\(result)" },
        drill: { time, age, id, snapshot, from, seconds, by in
            "\(time)（\(age)）、訓練 \(id)、スナップショット \(snapshot)、復元元 \(from)、所要 " + String(format: "%.2f", seconds)
                + " 秒、実施者 \(by)" },
        fromRepository: "リポジトリ", fromMedium: { "媒体 \($0)" },
        copy: { time, age, repository, snapshot in "\(time) のスナップショット（\(age)）、リポジトリ \(repository) に \(snapshot) として保存" },
        failedDrill: { id, time, detail in "リストア訓練 \(id)（\(time)）は失敗" + (detail.map { "：\($0)" } ?? "") },
        mediaByState: "状態別の媒体数：", mediaByLocation: "保管場所別の媒体数：", pendingDisposals: "未完了の廃棄：",
        lostMedia: "紛失媒体：", lastInventories: "最新の棚卸し：",
        inTransitLongerThan: { "輸送期間が \($0) を超えた媒体：" },
        disposal: { serial, requestedBy, at, approvedBy, performedBy in
            "媒体 \(serial)：\(at) に \(requestedBy) が申請、" + (approvedBy.map { "\($0) が承認済み" } ?? "未承認")
                + (performedBy.map { "、\($0) が消去を実施、確認待ち" } ?? "") },
        transit: { serial, from, to, courier, sentBy, at, hours in
            "媒体 \(serial)：\(from) → \(to)（輸送業者 \(courier)）、\(at) に \(sentBy) が発送（\(hours) 時間経過）" },
        inventory: { location, at, by, problems in
            "\(location)（\(at)、実施者 \(by)）：" + (problems.isEmpty ? "差異なし" : problems.joined(separator: "／")) },
        missing: "所在不明", unexpected: "想定外の媒体", misplaced: "保管場所の相違",
        auditIntact: { events, head in "監査ログ：改ざんなし、イベント \(events) 件、末尾ハッシュ \(head)" },
        auditFailed: { "監査ログ：検証に失敗：\($0)" },
        identities: { SanitizationCertificate.Strings.japanese.identityStatement($0) },
        custodianCertificate: { name, subject in "\(name)：証明書 \(subject ?? "なし")" },
        age: { seconds in
            guard let seconds else { return "経過時間不明" }
            if seconds < 120 { return "\(seconds) 秒前" }
            if seconds < 7200 { return "\(seconds / 60) 分前" }
            if seconds < 172_800 { return "\(seconds / 3600) 時間前" }
            return "\(seconds / 86_400) 日前"
        },
        gap: "", listSeparator: "、")
}

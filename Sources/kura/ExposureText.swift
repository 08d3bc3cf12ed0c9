import KuraCatalog

/// The exposure report of a lost medium as text, with every word of it per language in `Strings`.
struct ExposureText {
    struct Strings: Sendable {
        var language: DocumentLanguage
        var title: @Sendable (_ serial: String, _ barcode: String?) -> String
        var type, classification, lastKnownAt, backupSets, sources, written, bytes, encrypted, onHold, protectionLabel: String
        var setsSummary: @Sendable (_ count: Int, _ bytes: Int64) -> String
        var setLine: @Sendable (_ repository: String, _ snapshots: String) -> String
        var notRecorded: String
        var writtenValue: @Sendable (_ written: String, _ retainUntil: String) -> String
        var encryptedValue: @Sendable (_ key: String, _ slots: [String]) -> String
        var holdValue: @Sendable (_ reason: String, _ id: Int64, _ placedBy: String) -> String
        var showsOnly: String
        /// After a meaning's field, and after a row's label.
        var colon, labelColon: String
        var protection: @Sendable (ExposureReport) -> String
        /// What each field a medium shows in the clear means, keyed by the medium format's English text; a meaning
        /// not listed is printed in English.
        var meanings: [String: String]

        static func `for`(_ language: DocumentLanguage) -> Strings { language == .ja ? japanese : english }

        static let english = Strings(
            language: .en,
            title: { serial, barcode in "EXPOSURE REPORT: medium \(serial)" + (barcode.map { " (barcode \($0))" } ?? "") },
            type: "type", classification: "classification", lastKnownAt: "last known at", backupSets: "backup sets",
            sources: "sources", written: "written", bytes: "bytes", encrypted: "encrypted", onHold: "on hold", protectionLabel: "protection",
            setsSummary: { count, bytes in "\(count), \(bytes) bytes in all" },
            setLine: { repository, snapshots in "repository \(repository), snapshot \(snapshots)" },
            notRecorded: "not recorded",
            writtenValue: { written, until in "\(written); retain until \(until)" },
            encryptedValue: { key, slots in "yes; opened only by \(key)" + (slots.isEmpty ? "" : " (key slots \(slots.joined(separator: ", ")))") },
            holdValue: { reason, id, by in "\(reason) (hold \(id) by \(by))" },
            showsOnly: "without the passphrase the medium shows only:", colon: ": ", labelColon: ":",
            protection: { $0.protection },
            meanings: [:])

        static let japanese = Strings(
            language: .ja,
            title: { serial, barcode in "紛失媒体の情報漏えい影響報告書：媒体 \(serial)" + (barcode.map { "（バーコード \($0)）" } ?? "") },
            type: "媒体の種類", classification: "機密区分", lastKnownAt: "最後に確認された場所", backupSets: "バックアップセット",
            sources: "バックアップ対象", written: "書込み日時", bytes: "容量（バイト）", encrypted: "暗号化", onHold: "保全措置（ホールド）",
            protectionLabel: "保護の状況",
            setsSummary: { count, bytes in "\(count) 件、合計 \(bytes) バイト" },
            setLine: { repository, snapshots in "リポジトリ \(repository)、スナップショット \(snapshots)" },
            notRecorded: "記録なし",
            writtenValue: { written, until in "\(written)、保存期限 \(until)" },
            encryptedValue: { key, slots in "あり。復号できるのは \(key) のみ" + (slots.isEmpty ? "" : "（鍵スロット \(slots.joined(separator: "、"))）") },
            holdValue: { reason, id, by in "\(reason)（ホールド \(id)、設定者 \(by)）" },
            showsOnly: "パスフレーズなしで媒体から読み取れるのは次の情報のみです：", colon: "：", labelColon: "：",
            protection: { report in
                report.backupSets.isEmpty ? "台帳には、この媒体上のバックアップセットの記録がありません。"
                    : "kura が書き込むバックアップセットはすべて暗号化されています。各パックはそれぞれ固有の乱数鍵により "
                    + "XChaCha20-Poly1305 で暗号化され、パック鍵はリポジトリの X25519 公開鍵で封印されています。データを読み出せるのは、"
                    + "上記リポジトリのいずれかの完全な鍵スロットを開くパスフレーズを持つ者だけです。パスフレーズなしで媒体から読み取れるのは "
                    + report.mediumReveals.map { "\($0.source) \($0.field)" }.joined(separator: "、") + " のみです。"
            },
            meanings: [
                "the string kura-medium": "文字列 kura-medium",
                "the label's format version": "ラベル形式のバージョン",
                "the set's name (random)": "セット名（乱数）",
                "the medium's serial": "媒体のシリアル番号",
                "the medium's barcode": "媒体のバーコード",
                "the repository's id": "リポジトリ ID",
                "one entry per snapshot in the set": "セット内のスナップショットごとに1項目",
                "the snapshot's id": "スナップショット ID",
                "when the snapshot was taken": "スナップショットの取得日時",
                "how many bytes its backup read": "そのバックアップが読み込んだバイト数",
                "how many packs the set holds": "セット内のパック数",
                "the set's size in bytes": "セットの容量（バイト）",
                "when the set was written": "セットの書込み日時",
                "until when the set is kept": "セットの保存期限",
                "the repository's full key slots: id, creation time, Argon2id limits and salt, and the master key encrypted under "
                    + "the passphrase (one offline guess costs one Argon2id run)":
                    "リポジトリの完全な鍵スロット：ID、作成日時、Argon2id のパラメータとソルト、パスフレーズで暗号化されたマスター鍵"
                    + "（オフラインでの推測1回ごとに Argon2id の計算1回が必要）",
                "the sealed details (who wrote the set, each snapshot's host, paths and tags): ciphertext":
                    "封印された詳細情報（書込み者、各スナップショットのホスト・パス・タグ）：暗号文",
                "the label's MAC: reveals nothing": "ラベルの MAC：情報は漏れない",
                "the set's name and the ids of its snapshots, index and packs": "セット名と、スナップショット・インデックス・パックの ID",
                "the size of every snapshot file, index and pack, the bytes of tree blobs per pack, and the time of writing":
                    "各スナップショットファイル・インデックス・パックの容量、パックごとのツリーブロブのバイト数、書込み日時",
                "the repository's id, chunker sizes, compression level and pack size": "リポジトリ ID、チャンク分割のサイズ、圧縮レベル、パックサイズ",
            ])
    }

    let report: ExposureReport
    let language: DocumentLanguage

    var text: String {
        let s = Strings.for(language)
        let m = report.medium
        var rows: [(label: String, value: String, indent: Int)] = [
            (s.type, m.mediaType, 2), (s.classification, m.classification, 2),
            (s.lastKnownAt, m.location + (m.destination.map { " -> \($0)" } ?? ""), 2),
            (s.backupSets, s.setsSummary(report.backupSets.count, report.totalBytes), 2),
        ]
        var lines = [s.title(m.serial, m.barcode)]
        func flush() {
            // The English report's columns (values at 19 and 20) are the minimum; longer labels push them right.
            let width = max(rows.map { Self.width($0.label) }.max() ?? 0, rows.first?.indent == 6 ? 12 : 15)
            for row in rows {
                lines.append(String(repeating: " ", count: row.indent) + row.label + s.labelColon
                    + String(repeating: " ", count: width - Self.width(row.label) + 1) + row.value)
            }
            rows = []
        }
        flush()
        for copy in report.backupSets {
            lines.append("  - " + s.setLine(copy.repositoryID, copy.snapshotIDs.values.joined(separator: ", ")))
            rows = [(s.sources, copy.sources.values.isEmpty ? s.notRecorded : copy.sources.values.joined(separator: ", "), 6),
                    (s.written, s.writtenValue(language.time(copy.writtenAt), copy.retainUntil), 6),
                    (s.bytes, String(copy.bytes), 6),
                    (s.encrypted, s.encryptedValue(copy.keyDescription, copy.keySlotIDs.values), 6)]
            flush()
        }
        rows = report.activeHolds.map { (s.onHold, s.holdValue($0.reason, $0.id, $0.placedBy), 2) }
        flush()
        if !report.mediumReveals.isEmpty { lines.append("  " + s.showsOnly) }
        for item in report.mediumReveals {
            lines.append("    \(item.source) \(item.field)\(s.colon)\(s.meanings[item.meaning] ?? item.meaning)")
        }
        rows = [(s.protectionLabel, s.protection(report), 2)]
        flush()
        return lines.joined(separator: "\n")
    }

    /// Terminal columns: East Asian Wide characters take two.
    static func width(_ text: String) -> Int { SanitizationCertificate.displayWidth(text) }
}

extension SanitizationCertificate {
    /// Every word the certificate prints, per language. The values the catalog records in English (states,
    /// methods, "not recorded") are translated through `values`; names, serials, reasons and notes are printed
    /// as they were recorded.
    public struct Strings: Sendable {
        public var language: DocumentLanguage
        public var htmlLanguage: String
        public var fontStack: String
        public var title: String
        public var standard: String
        public var performerSection, mediaSection, sanitizationSection, destinationSection: String
        public var performerSignatureSection, validationSection, authorizationSection, identitiesSection, auditSection: String
        public var name, personTitle, organization, location, phone: String
        public var signature, publicKey, performedAt, validatedAt, signedAt: String
        public var make, model, serial, barcode, propertyNumber, mediaType, source, classification, dataBackedUp, backupLocation: String
        public var methodType, methodUsed, methodDetails, tool, verification, postClassification, notes: String
        public var destination, catalogState: String
        public var disposalID, reason, requestedBy, requesterSignature, approvedBy, approverSignature: String
        public var custodianIdentities, trustAnchor, requesterCertificate, approverCertificate, performerCertificate, validatorCertificate: String
        public var request, approval, sanitizationRecord, validation, logHead, issuedAt: String
        public var sealLabel: String?
        public var footer: String
        /// The line under the title: medium, outcome, method type, technique.
        public var summary: @Sendable (_ serial: String, _ outcome: String, _ methodType: String, _ technique: String) -> String
        public var signerIdentities: @Sendable (_ summary: String) -> String
        public var identitySummary: @Sendable (CustodianIdentities) -> String
        public var identityStatement: @Sendable (CustodianIdentities) -> String
        public var noAnchor: String
        public var certificateOf: @Sendable (_ name: String, _ subject: String?) -> String
        public var person: @Sendable (_ name: String, _ title: String, _ organization: String, _ date: String) -> String
        public var position: @Sendable (_ event: Int64, _ name: String, _ hash: String) -> String
        public var head: @Sendable (_ events: Int64, _ hash: String) -> String
        /// The medium's history section (backup sets, amendments, withdrawn requests): title, the empty case, one event.
        public var historySection: String
        public var noHistory: (label: String, value: String)
        public var historyEvent: @Sendable (_ event: Int64, _ date: String, _ what: String, _ signer: String) -> (String, String)
        /// Fixed values the catalog records in English, translated; anything else is printed as recorded.
        public var values: [String: String]

        public func value(_ text: String) -> String { values[text] ?? text }

        public static func `for`(_ language: DocumentLanguage) -> Strings {
            switch language {
            case .en: english
            case .ja: japanese
            }
        }

        public static let english = Strings(
            language: .en, htmlLanguage: "en", fontStack: "\"DejaVu Sans\", \"Liberation Sans\", Arial, sans-serif",
            title: "Certificate of Sanitization",
            standard: "NIST SP 800-88 Rev. 1, Appendix G; ISO/IEC 27001 A.7.10, A.7.14",
            performerSection: "Person Performing Sanitization", mediaSection: "Media Information",
            sanitizationSection: "Sanitization Details", destinationSection: "Media Destination",
            performerSignatureSection: "Performer's Signature", validationSection: "Validation",
            authorizationSection: "Disposal Authorization", identitiesSection: "Signer Identities", auditSection: "Audit Log Position",
            name: "Name", personTitle: "Title", organization: "Organization", location: "Location", phone: "Phone",
            signature: "Signature (Ed25519)", publicKey: "Signer's Public Key", performedAt: "Date", validatedAt: "Date", signedAt: "Date",
            make: "Make/Vendor", model: "Model Number", serial: "Serial Number", barcode: "Barcode",
            propertyNumber: "Media Property Number", mediaType: "Media Type", source: "Source", classification: "Classification",
            dataBackedUp: "Data Backed Up", backupLocation: "Backup Location",
            methodType: "Method Type", methodUsed: "Method Used", methodDetails: "Method Details", tool: "Tool Used (incl. version)",
            verification: "Verification Method", postClassification: "Post-Sanitization Classification", notes: "Notes",
            destination: "Destination", catalogState: "Catalog State",
            disposalID: "Disposal ID", reason: "Reason", requestedBy: "Requested By", requesterSignature: "Requester's Signature",
            approvedBy: "Approved By", approverSignature: "Approver's Signature",
            custodianIdentities: "Custodian Identities", trustAnchor: "Trust Anchor",
            requesterCertificate: "Requester's Certificate", approverCertificate: "Approver's Certificate",
            performerCertificate: "Performer's Certificate", validatorCertificate: "Validator's Certificate",
            request: "Request", approval: "Approval", sanitizationRecord: "Sanitization Record", validation: "Validation",
            logHead: "Log Head When Issued", issuedAt: "Issued At",
            sealLabel: nil,
            footer: "Each signature is an Ed25519 signature of the named audit-log event's canonical bytes "
                + "(man kura-catalog(5)); `kura audit verify` checks them all.",
            summary: { serial, outcome, type, technique in "Medium \(serial): \(outcome) after \(type.lowercased()) (\(technique))" },
            signerIdentities: { "Signer identities: \($0)" },
            identitySummary: { $0.summary },
            identityStatement: { $0.statement },
            noAnchor: "none (self-asserted identities)",
            certificateOf: { name, subject in "\(name): \(subject ?? "none (self-asserted)")" },
            person: { name, title, organization, date in "\(name), \(title), \(organization), on \(date)" },
            position: { event, name, hash in "event \(event) by \(name), hash \(hash)" },
            head: { events, hash in "event \(events), hash \(hash)" },
            historySection: "Medium History (backup sets, corrections, withdrawn requests)",
            noHistory: ("Events", "none"),
            historyEvent: { event, date, what, signer in ("Event \(event), \(date)", "\(what) (signed by \(signer))") },
            values: [:])

        public static let japanese = Strings(
            language: .ja, htmlLanguage: "ja",
            fontStack: "\"Noto Sans CJK JP\", \"Noto Sans JP\", \"IPAexGothic\", \"IPAGothic\", \"Hiragino Kaku Gothic ProN\", "
                + "\"Yu Gothic\", \"Meiryo\", sans-serif",
            title: "媒体廃棄証明書",
            standard: "NIST SP 800-88 Rev. 1 付録G 準拠、ISO/IEC 27001 A.7.10・A.7.14",
            performerSection: "実施者", mediaSection: "媒体情報",
            sanitizationSection: "廃棄（データ消去）の詳細", destinationSection: "媒体の引渡し先",
            performerSignatureSection: "実施者の署名", validationSection: "確認者（検証結果の確認）",
            authorizationSection: "廃棄の申請と承認", identitiesSection: "署名者の本人確認", auditSection: "監査ログ上の位置",
            name: "氏名", personTitle: "役職", organization: "所属", location: "所在地", phone: "電話番号",
            signature: "電子署名（Ed25519）", publicKey: "署名者の公開鍵", performedAt: "実施日時", validatedAt: "確認日時", signedAt: "署名日時",
            make: "製造元", model: "型番", serial: "媒体識別番号（シリアル番号）", barcode: "バーコード",
            propertyNumber: "資産管理番号", mediaType: "媒体の種類", source: "バックアップ対象", classification: "機密区分",
            dataBackedUp: "データのバックアップ", backupLocation: "バックアップの保管先",
            methodType: "廃棄方法（NIST SP 800-88: Clear/Purge/Destroy）", methodUsed: "使用した手法", methodDetails: "手法の詳細",
            tool: "使用ツール（バージョンを含む）", verification: "検証方法", postClassification: "廃棄後の機密区分", notes: "備考",
            destination: "引渡し先", catalogState: "台帳上の状態",
            disposalID: "廃棄番号", reason: "廃棄理由", requestedBy: "申請者", requesterSignature: "申請者の電子署名",
            approvedBy: "承認者", approverSignature: "承認者の電子署名",
            custodianIdentities: "管理者の本人性", trustAnchor: "トラストアンカー（認証局）",
            requesterCertificate: "申請者の証明書", approverCertificate: "承認者の証明書",
            performerCertificate: "実施者の証明書", validatorCertificate: "確認者の証明書",
            request: "申請", approval: "承認", sanitizationRecord: "廃棄の記録", validation: "検証結果の確認",
            logHead: "発行時のログ末尾", issuedAt: "発行日時",
            sealLabel: "印",
            footer: "各電子署名は、記載の監査ログイベントの正規化バイト列に対する Ed25519 署名です"
                + "（man kura-catalog(5) 参照）。`kura audit verify` ですべての署名を検証できます。",
            summary: { serial, outcome, type, technique in
                "媒体 \(serial)：廃棄方法 \(japaneseValues[type] ?? type)、手法 \(technique)、台帳上の状態は「\(japaneseValues[outcome] ?? outcome)」" },
            signerIdentities: { "署名者の本人性：\($0)" },
            identitySummary: { $0.authority.map { "組織の認証局 \($0) により保証" } ?? "自己申告（認証局による保証なし）" },
            identityStatement: { identities in
                identities.anchored
                    ? "管理者の本人性は組織の認証局 \(identities.authority ?? "") により保証されています。各管理者は同認証局が発行した証明書で登録し、その秘密鍵の所持を証明しています。"
                    : "管理者の本人性は自己申告です。この台帳にはトラストアンカーがないため、二人の管理者が別人であることを認証局は保証していません。"
            },
            noAnchor: "なし（自己申告の本人性）",
            certificateOf: { name, subject in "\(name)：\(subject ?? "なし（自己申告）")" },
            person: { name, title, organization, date in "\(name)（\(organization) \(title)）、\(date)" },
            position: { event, name, hash in "イベント \(event)（署名者 \(name)）、ハッシュ \(hash)" },
            head: { events, hash in "イベント \(events)、ハッシュ \(hash)" },
            historySection: "媒体の履歴（バックアップセット、訂正、取り下げた申請）",
            noHistory: ("イベント", "なし"),
            historyEvent: { event, date, what, signer in ("イベント \(event)、\(date)", "\(what)（署名者 \(signer)）") },
            values: japaneseValues)

        static let japaneseValues: [String: String] = [
            "Clear": "消去（Clear）", "Purge": "除去（Purge）", "Destroy": "破壊（Destroy）",
            "internal-reuse": "組織内で再利用", "external-reuse": "組織外へ譲渡して再利用", "recycler": "リサイクル業者",
            "manufacturer": "製造元へ返却", "other": "その他",
            "sanitized": "消去済み（sanitized）", "disposed": "廃棄済み（disposed）",
            "not recorded": "記録なし", "none": "なし", "none recorded": "記録なし", "Yes": "あり",
            "no backup set recorded": "バックアップセットの記録なし",
            "Unknown (no backup set recorded on this medium)": "不明（この媒体にバックアップセットの記録なし）",
        ]
    }
}

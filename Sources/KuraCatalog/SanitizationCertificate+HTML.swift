extension SanitizationCertificate {
    /// The certificate as one self-contained HTML page laid out for A4 paper.
    public var html: String { html(.en) }

    /// The certificate in `language` as one self-contained HTML page for A4 paper; the Japanese one names a CJK
    /// font stack and has a box for the company seal (印).
    public func html(_ language: DocumentLanguage) -> String {
        let s = Strings.for(language)
        let headline = headline(s)
        let keyLabels: Set<String> = [s.signature, s.publicKey, s.requesterSignature, s.approverSignature, s.logHead,
                                      s.request, s.approval, s.sanitizationRecord, s.validation]
        var body = ""
        for section in sections(s) {
            body += "<section>\n<h2>\(Self.escape(section.title))</h2>\n<table>\n"
            for field in section.fields {
                let isKey = keyLabels.contains(field.label)
                body += "<tr><th>\(Self.escape(field.label))</th><td\(isKey ? " class=\"key\"" : "")>"
                    + "\(Self.escape(field.value))</td></tr>\n"
            }
            body += "</table>\n</section>\n"
        }
        let seal = s.sealLabel.map { "<div class=\"seal\"><span>\(Self.escape($0))</span></div>\n" } ?? ""
        return """
        <!DOCTYPE html>
        <html lang="\(s.htmlLanguage)">
        <head>
        <meta charset="utf-8">
        <title>\(Self.escape(s.title)) — \(Self.escape(media.serial))</title>
        <style>
        @page { size: A4; margin: 14mm 14mm 16mm 14mm; }
        * { box-sizing: border-box; }
        body { font: 9.5pt/1.35 \(s.fontStack); color: #000; margin: 0; }
        header { border-bottom: 2px solid #000; margin-bottom: 4mm; padding-bottom: 2mm; display: flex; gap: 4mm; align-items: flex-start; }
        header .heading { flex: 1; min-width: 0; }
        .seal { flex: none; width: 24mm; height: 24mm; border: 0.8pt solid #000; position: relative; }
        .seal span { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; font-size: 14pt; color: #999; }
        h1 { font-size: 16pt; margin: 0; }
        header p { margin: 1mm 0 0; }
        section { break-inside: avoid; page-break-inside: avoid; margin-bottom: 3mm; }
        h2 { font-size: 10.5pt; margin: 0 0 1mm; padding: 0.8mm 2mm; background: #e6e6e6;
             -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        table { width: 100%; border-collapse: collapse; table-layout: fixed; }
        th, td { border: 0.5pt solid #999; padding: 0.8mm 2mm; vertical-align: top; text-align: left; }
        th { width: 52mm; font-weight: 600; }
        td.key { font: 7.5pt/1.3 "DejaVu Sans Mono", "Liberation Mono", \(language == .ja ? "\"Noto Sans Mono CJK JP\", " : "")monospace; word-break: break-all; }
        footer { margin-top: 4mm; font-size: 8pt; color: #333; }
        </style>
        </head>
        <body>
        <header>
        <div class="heading">
        <h1>\(Self.escape(s.title))</h1>
        <p>\(Self.escape(s.standard))</p>
        <p><strong>\(Self.escape(headline.summary))</strong></p>
        <p>\(Self.escape(headline.identities))</p>
        </div>
        \(seal)</header>
        \(body)<footer>\(Self.escape(s.footer))</footer>
        </body>
        </html>

        """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

extension SanitizationCertificate {
    /// The certificate as one self-contained HTML page laid out for A4 paper.
    public var html: String {
        var body = ""
        for section in sections {
            body += "<section>\n<h2>\(Self.escape(section.title))</h2>\n<table>\n"
            for field in section.fields {
                let isKey = field.label.contains("Signature") || field.label.contains("Public Key") || field.label.contains("Log")
                    || field.value.contains("hash ")
                body += "<tr><th>\(Self.escape(field.label))</th><td\(isKey ? " class=\"key\"" : "")>"
                    + "\(Self.escape(field.value))</td></tr>\n"
            }
            body += "</table>\n</section>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(Self.title) — \(Self.escape(media.serial))</title>
        <style>
        @page { size: A4; margin: 14mm 14mm 16mm 14mm; }
        * { box-sizing: border-box; }
        body { font: 9.5pt/1.35 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #000; margin: 0; }
        header { border-bottom: 2px solid #000; margin-bottom: 4mm; padding-bottom: 2mm; }
        h1 { font-size: 16pt; margin: 0; }
        header p { margin: 1mm 0 0; }
        section { break-inside: avoid; page-break-inside: avoid; margin-bottom: 3mm; }
        h2 { font-size: 10.5pt; margin: 0 0 1mm; padding: 0.8mm 2mm; background: #e6e6e6;
             -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        table { width: 100%; border-collapse: collapse; table-layout: fixed; }
        th, td { border: 0.5pt solid #999; padding: 0.8mm 2mm; vertical-align: top; text-align: left; }
        th { width: 52mm; font-weight: 600; }
        td.key { font: 7.5pt/1.3 "DejaVu Sans Mono", "Liberation Mono", monospace; word-break: break-all; }
        footer { margin-top: 4mm; font-size: 8pt; color: #333; }
        </style>
        </head>
        <body>
        <header>
        <h1>\(Self.title)</h1>
        <p>\(Self.escape(Self.standard))</p>
        <p><strong>Medium \(Self.escape(media.serial))</strong> — \(Self.escape(outcome)) after \
        \(Self.escape(sanitization.methodType.lowercased())) (\(Self.escape(sanitization.methodUsed)))</p>
        <p>Signer identities: \(Self.escape(identities.summary))</p>
        </header>
        \(body)<footer>Each signature is an Ed25519 signature of the named audit-log event's canonical bytes \
        (man kura-catalog(5)); `kura audit verify` checks them all.</footer>
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

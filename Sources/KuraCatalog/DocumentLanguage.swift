import Foundation

/// The language of the documents kura prints for people (certificate, exposure report, compliance report):
/// English unless `--lang` or the locale (LC_ALL, LC_MESSAGES, LANG, as POSIX orders them) says Japanese.
/// Japanese documents give times in Japan Standard Time; JSON is never localized.
public enum DocumentLanguage: String, Sendable, CaseIterable {
    case en
    case ja

    /// The first of LC_ALL, LC_MESSAGES and LANG that is set and not empty decides; `ja`, `ja_JP.UTF-8`, … are Japanese.
    public static func from(environment: [String: String]) -> DocumentLanguage {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        return locale == "ja" || locale.hasPrefix("ja_") || locale.hasPrefix("ja.") ? .ja : .en
    }

    /// Where the document's times are given: UTC for English (as the catalog stores them), Asia/Tokyo for Japanese.
    public var timeZone: TimeZone {
        switch self {
        case .en: TimeZone(identifier: "UTC")!
        case .ja: TimeZone(identifier: "Asia/Tokyo")!
        }
    }

    /// A catalog time (`2025-04-01T00:30:00Z`) as this language writes it: unchanged in English,
    /// `2025年4月1日 09:30:00（日本標準時 +09:00）` in Japanese. Text that is not a time is returned as it is.
    public func time(_ catalogTime: String) -> String {
        guard self == .ja, let date = CatalogTime.parse(catalogTime) else { return catalogTime }
        return time(date)
    }

    public func time(_ date: Date) -> String {
        switch self {
        case .en:
            return CatalogTime.format(date)
        case .ja:
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let offset = timeZone.secondsFromGMT(for: date)
            let zone = (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", abs(offset) / 3600, abs(offset) % 3600 / 60)
            return String(format: "%d年%d月%d日 %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
                + "（日本標準時 \(zone)）"
        }
    }
}

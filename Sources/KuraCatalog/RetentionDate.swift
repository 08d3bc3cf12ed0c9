import Foundation

/// The retain-until date of a backup set, from the options that give it: strict dates, never in the past, and a
/// bounded number of days, so a typo cannot make a set disposable at once or overflow into nonsense.
public enum RetentionDate {
    public static let defaultDays = 90
    /// 100 years: longer than any retention law asks for, short enough to stay a real date.
    public static let maximumDays = 36_500

    /// `text` as a date, or `.invalid` naming the option and the value.
    public static func parse(_ text: String, option: String) throws -> Date {
        guard let date = CatalogTime.parse(text) else {
            throw CatalogError(.invalid, "\(option) '\(text)' is not a valid date: give \(CatalogTime.syntax)")
        }
        return date
    }

    /// Checks `--retain-days` without a clock.
    public static func checkDays(_ days: Int) throws {
        guard (0...maximumDays).contains(days) else {
            throw CatalogError(.invalid, "--retain-days \(days) is out of range: give 0 to \(maximumDays) days")
        }
    }

    /// The retain-until date of a set written at `now`: `--retain-until` (which must not be in the past), else
    /// `--retain-days` (default 90) from now.
    public static func resolve(until text: String?, days: Int?, now: Date) throws -> Date {
        if let text {
            let date = try parse(text, option: "--retain-until")
            guard date >= now else {
                throw CatalogError(.invalid, "--retain-until '\(text)' is in the past (it is now \(CatalogTime.format(now)))")
            }
            return date
        }
        let days = days ?? defaultDays
        try checkDays(days)
        return now.addingTimeInterval(Double(days) * 86_400)
    }

    /// For a set recorded by hand: `--written-at` (default now) must not be in the future, and `--retain-until`
    /// must not be before it; a retain-until in the past is accepted only for a set given an earlier written-at
    /// (recording history), never for one written now.
    public static func resolveRecorded(until text: String, writtenAt written: String?, now: Date) throws -> (retainUntil: Date, writtenAt: Date) {
        let until = try parse(text, option: "--retain-until")
        guard let written else {
            guard until >= now else {
                throw CatalogError(.invalid, "--retain-until '\(text)' is in the past (it is now \(CatalogTime.format(now))); "
                    + "for a set written earlier, give its --written-at")
            }
            return (until, now)
        }
        let writtenAt = try parse(written, option: "--written-at")
        guard writtenAt <= now.addingTimeInterval(CatalogTime.allowedSkew) else {
            throw CatalogError(.invalid, "--written-at '\(written)' is in the future (it is now \(CatalogTime.format(now)))")
        }
        guard until >= writtenAt else {
            throw CatalogError(.invalid, "--retain-until '\(text)' is before --written-at '\(written)'")
        }
        return (until, writtenAt)
    }
}

import Foundation
import KuraRepository

/// Reads labels without the passphrase.
public enum MediumInspector {
    /// One set found on a medium: where it starts, its label when that decodes, and why it is not
    /// complete (nil when it is).
    public struct SetOnMedium: Sendable {
        public var offset: Int64
        public var label: MediumLabel?
        public var problem: String?
        /// Where bytes that belong to no set follow a complete set's archive (a part of a block an
        /// interrupted write left), or nil.
        public var junk: Int64?
        public var isComplete: Bool { problem == nil && label != nil }
    }

    /// Every set on a medium, complete or not, read in one pass.
    public struct Survey: Sendable {
        public var device: String
        public var sets: [SetOnMedium] = []
        /// The labels of the complete sets, in order.
        public var labels: [MediumLabel] { sets.filter(\.isComplete).compactMap(\.label) }
        /// One line for each set that is not complete, saying that readers skip it.
        public var skipped: [String] { sets.filter { !$0.isComplete }.map { MediumInspector.skipMessage(device: device, $0) } }
    }

    /// The label of the first set on the medium.
    public static func firstLabel(device: String) throws -> MediumLabel {
        try MediumStream(device: device).firstLabel().1
    }

    /// Reads the whole medium once (its data too: a set an interrupted write left partial is found
    /// only by reading through it) and says where each set starts and whether it is complete.
    public static func survey(device: String) throws -> Survey {
        let stream = try MediumStream(device: device)
        var survey = Survey(device: device)
        var label: MediumLabel? = try stream.firstLabel().1
        while true {
            let offset = stream.setOffset
            if let current = label {
                let problem = try stream.checkRest(of: current)
                survey.sets.append(SetOnMedium(offset: offset, label: current, problem: problem, junk: stream.junkOffset))
            } else {
                _ = try stream.finishSet()
            }
            guard try stream.nextSet() else { return survey }
            do {
                label = try stream.firstLabel().1
            } catch let error as MediaError where error.code != .device {
                label = nil
                survey.sets.append(SetOnMedium(offset: stream.setOffset, label: nil, problem: "its label does not read (\(error.message))"))
            }
        }
    }

    static func skipMessage(device: String, _ set: SetOnMedium) -> String {
        "\(device): skipping the incomplete set \(set.label?.set ?? "") at byte \(set.offset) (an interrupted write?): \(set.problem ?? "")"
    }

    /// The labels of every complete set on the medium (a whole read on a tape).
    public static func labels(device: String) throws -> [MediumLabel] {
        try survey(device: device).labels
    }

    /// The first set's label, authenticated with the key its slots open with `password`.
    public static func firstLabel(device: String, password: String) throws -> MediumLabel {
        let label = try firstLabel(device: device)
        return try label.authenticated(with: try label.openKey(password: password))
    }

    /// The labels of every complete set, each authenticated with the key its slots open with
    /// `password` and with its sealed details; throws `.unauthenticLabel` for a label changed after writing.
    public static func labels(device: String, password: String) throws -> [MediumLabel] {
        try authenticate(try labels(device: device), password: password)
    }

    public static func authenticate(_ labels: [MediumLabel], password: String) throws -> [MediumLabel] {
        var keys: [String: MasterKey] = [:]
        return try labels.map { label in
            let key = try keys[label.repositoryID] ?? label.openKey(password: password)
            keys[label.repositoryID] = key
            return try label.authenticated(with: key)
        }
    }

    /// The newest snapshot the labels list, by snapshot time, leaving out those dated more than
    /// `Snapshot.futureSkew` after `now`: what 'latest' means on a medium.
    public static func newest(in labels: [MediumLabel], now: Date = Date()) -> (label: MediumLabel, snapshot: MediumLabel.SnapshotSummary)? {
        var best: (label: MediumLabel, snapshot: MediumLabel.SnapshotSummary, time: Date)?
        for label in labels {
            for s in label.snapshots {
                guard let time = Snapshot.parseTime(s.time), time.timeIntervalSince(now) <= Snapshot.futureSkew,
                      time > best?.time ?? .distantPast else { continue }
                best = (label, s, time)
            }
        }
        return best.map { ($0.label, $0.snapshot) }
    }

    /// Whether `device` is a regular file (or not there yet) rather than a tape or block device.
    public static func isFile(device: String) -> Bool { DeviceCalls.isRegularFileOrMissing(device) }

    /// The size of a file, 0 when there is none.
    public static func fileSize(device: String) -> Int64 { DeviceCalls.size(device) ?? 0 }

    /// Whether `device` holds anything at all (a missing or empty file holds nothing).
    public static func isBlank(device: String) -> Bool {
        guard DeviceCalls.isRegularFileOrMissing(device) else { return false }
        return (DeviceCalls.size(device) ?? 0) == 0
    }
}

import KuraRepository

/// Reads labels without the passphrase.
public enum MediumInspector {
    /// The label of the first set on the medium.
    public static func firstLabel(device: String) throws -> MediumLabel {
        try MediumStream(device: device).firstLabel().1
    }

    /// The labels of every set on the medium, skipping their data (a whole read on a tape). A
    /// truncated medium yields the labels before the cut.
    public static func labels(device: String) throws -> [MediumLabel] {
        let stream = try MediumStream(device: device)
        var labels = [try stream.firstLabel().1]
        do {
            while let next = try MediumRestore.skipToNextLabel(stream) { labels.append(next) }
        } catch let error as MediaError where error.code == .truncated {
            return labels
        }
        return labels
    }

    /// The first set's label, authenticated with the key its slots open with `password`.
    public static func firstLabel(device: String, password: String) throws -> MediumLabel {
        let label = try firstLabel(device: device)
        return try label.authenticated(with: try label.openKey(password: password))
    }

    /// The labels of every set, each authenticated with the key its slots open with `password`
    /// and with its sealed details; throws `.unauthenticLabel` for a label changed after writing.
    public static func labels(device: String, password: String) throws -> [MediumLabel] {
        var keys: [String: MasterKey] = [:]
        return try labels(device: device).map { label in
            let key = try keys[label.repositoryID] ?? label.openKey(password: password)
            keys[label.repositoryID] = key
            return try label.authenticated(with: key)
        }
    }

    /// Whether `device` is a regular file (or not there yet) rather than a tape or block device.
    public static func isFile(device: String) -> Bool { DeviceCalls.isRegularFileOrMissing(device) }

    /// Whether `device` holds anything at all (a missing or empty file holds nothing).
    public static func isBlank(device: String) -> Bool {
        guard DeviceCalls.isRegularFileOrMissing(device) else { return false }
        return (DeviceCalls.size(device) ?? 0) == 0
    }
}

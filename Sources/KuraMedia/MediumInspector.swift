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

    /// Whether `device` is a regular file (or not there yet) rather than a tape or block device.
    public static func isFile(device: String) -> Bool { DeviceCalls.isRegularFileOrMissing(device) }

    /// Whether `device` holds anything at all (a missing or empty file holds nothing).
    public static func isBlank(device: String) -> Bool {
        guard DeviceCalls.isRegularFileOrMissing(device) else { return false }
        return (DeviceCalls.size(device) ?? 0) == 0
    }
}

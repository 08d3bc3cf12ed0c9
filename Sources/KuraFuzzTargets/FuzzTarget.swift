import Foundation

/// The parsers of bytes kura did not write itself in this process, one libFuzzer target each.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A pack file's trailer and encrypted header, the decrypted entry list, and blobs read through it.
    case pack
    /// An index file, raw and as a decrypted body.
    case index
    /// A snapshot file, raw and as decrypted JSON.
    case snapshot
    /// A tree blob (`Tree.decode`, with its name and shape checks).
    case tree
    /// A key slot (JSON) and the master key JSON inside one.
    case keySlot = "keyslot"
    /// The repository's `config`.
    case config
    /// A medium's set label (`label.json`) and the key slots it carries.
    case label
    /// A whole medium: the pax stream cut into sets (`MediumSegments`), read by libarchive.
    case medium
    /// An S3 store's answer: a ListObjectsV2 page and an error body (`S3XML`), as a hostile store could send.
    case s3xml
    /// The host's files cache (`FilesCache`): any format it reads, then a backup's pass over it and the file it saves.
    case filesCache = "filescache"

    /// The target `KURA_FUZZ_TARGET` names (for the libFuzzer binary), nil when it names none.
    public static let selected: FuzzTarget? = ProcessInfo.processInfo.environment["KURA_FUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:))

    /// Runs one input through the target's parsers; whether they accepted it (the seeds should be). Errors are
    /// the expected answer to hostile bytes and are dropped: only a crash, a hang or a leak is a finding.
    @discardableResult
    public func run(_ data: [UInt8]) -> Bool {
        let harness = FuzzHarness.shared
        switch self {
        case .pack: return harness.pack(data)
        case .index: return harness.index(data)
        case .snapshot: return harness.snapshot(data)
        case .tree: return harness.tree(data)
        case .keySlot: return harness.keySlot(data)
        case .config: return harness.config(data)
        case .label: return harness.label(data)
        case .medium: return harness.medium(data)
        case .s3xml: return harness.s3xml(data)
        case .filesCache: return harness.filesCache(data)
        }
    }
}

/// The machine kura runs on, as snapshots and machine events in the catalog name it.
public enum LocalHost {
    /// `gethostname(2)`.
    public static var name: String { Posix.hostname }
}

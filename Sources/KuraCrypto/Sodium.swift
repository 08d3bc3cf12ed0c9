/// libsodium as a whole.
public enum Sodium {
    /// Runs `sodium_init` (once per process); throws `.initializationFailed` when libsodium cannot start.
    /// The CLI calls it before any command, so that failure is an error message and exit 1, not a trap.
    public static func initialize() throws { try SodiumCalls.ensureInitialized() }

    /// The version of the libsodium kura runs with.
    public static var version: String { SodiumCalls.version }
}

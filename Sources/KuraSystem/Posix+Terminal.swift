#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Posix {
    /// Standard input, output and error.
    public static let standardInput: Int32 = STDIN_FILENO
    public static let standardOutput: Int32 = STDOUT_FILENO
    public static let standardError: Int32 = STDERR_FILENO

    /// `isatty(3)`
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Asks for a secret on the controlling terminal without echo (`getpass(3)`); nil without a terminal.
    /// glibc keeps the answer in a buffer of its own until the next call; it is wiped (`explicit_bzero(3)`)
    /// once copied.
    public static func readPassphrase(prompt: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 || access("/dev/tty", R_OK) == 0 && isatty(STDERR_FILENO) == 1,
              let raw = getpass(prompt) else { return nil }
        defer { explicit_bzero(raw, strlen(raw)) }
        return String(cString: raw)
    }
}

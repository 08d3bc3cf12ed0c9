/// Core dumps of kura: one would hold the passwords and keys kura has in memory.
public enum CoreDumps {
    /// Turns them off for the rest of this process; the CLI does it before it reads anything.
    public static func disable() throws { try Posix.disableCoreDumps() }
}

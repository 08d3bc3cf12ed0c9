/// Wiping key material once it is no longer needed (`sodium_memzero`).
///
/// What this can and cannot promise: a wipe zeroes the one buffer it is given. Swift arrays are
/// copy-on-write, so wiping an array whose storage another value still shares zeroes a fresh copy and
/// leaves the shared storage as it was (for the other holder, which still needs it); the caller that
/// wipes must hold the last reference. Copies Swift makes on its own (a `String` holding a password,
/// the hex text a key was decoded from, an array that grew and moved, values the optimizer spilled)
/// are not reachable from here and are not wiped. kura wipes what it owns (derived keys, opened secret
/// keys, pack and snapshot keys, decrypted key slots, password bytes it read) and disables core dumps
/// (`CoreDumps.disable`) so that what remains cannot be written to disk by a crash. Buffers are not
/// `mlock`ed: these keys live in small arrays on pages shared with other heap objects, which a lock
/// would pin for the allocator's lifetime; swap is the one place they could still reach a disk.
public enum SecureMemory {
    /// Zeroes `buffer`.
    public static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        SodiumCalls.memzero(buffer)
    }

    /// Zeroes the bytes of `bytes` in place, keeping its length.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { SodiumCalls.memzero($0) }
    }

    /// Zeroes `bytes` if there are any.
    public static func wipe(_ bytes: inout [UInt8]?) {
        if bytes != nil { wipe(&bytes!) }
    }
}

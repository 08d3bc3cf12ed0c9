import KuraSystem

/// KuraSystem's `Device` calls, with their `SystemError` turned into `MediaError(.device)` (the message
/// stays "cannot WHAT PATH: reason").
enum DeviceCalls {
    private static func media<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SystemError {
            throw MediaError(.device, error.message)
        }
    }

    static func isRegularFileOrMissing(_ path: String) -> Bool { Device.isRegularFileOrMissing(path) }
    static func size(_ path: String) -> Int64? { Device.size(path) }
    static func close(_ fd: Int32) { Device.close(fd) }

    static func openForWriting(_ path: String, append: Bool) throws -> Int32 {
        try media { try Device.openForWriting(path, append: append) }
    }

    static func openForWriting(_ path: String, at offset: Int64) throws -> Int32 {
        try media { try Device.openForWriting(path, at: offset) }
    }

    static func openForReading(_ path: String) throws -> Int32 { try media { try Device.openForReading(path) } }

    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        try media { try Device.read(fd, into: buffer, path: path) }
    }

    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        try media { try Device.writeAll(fd, buffer, path: path) }
    }

    static func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int, path: String) throws {
        try media { try Device.pread(fd, into: buffer, offset: offset, path: path) }
    }

    static func regularFileOffset(_ fd: Int32) -> Int64? { Device.regularFileOffset(fd) }
    static func startWriteback(_ fd: Int32, offset: Int64, count: Int64) { Device.startWriteback(fd, offset: offset, count: count) }
    static func flush(_ fd: Int32, device: String) throws { try media { try Device.flush(fd, device: device) } }
    static func scratchFile() throws -> Int32 { try media { try Device.scratchFile() } }

    static func seek(_ fd: Int32, to offset: Int64, path: String) throws {
        try media { try Device.seek(fd, to: offset, path: path) }
    }

    static func truncate(_ fd: Int32, to length: Int64, path: String) throws {
        try media { try Device.truncate(fd, to: length, path: path) }
    }
}

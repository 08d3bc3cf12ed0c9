import KuraSystem

extension Posix {
    /// `preadFully`, with a file that ends before the bytes asked for reported as damage: a pack
    /// shorter than its header or index says has lost bytes.
    static func preadOrDamaged(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int, path: String) throws {
        do {
            try preadFully(fd, into: buffer, offset: offset, path: path)
        } catch let error as SystemError where error.code == .shortFile {
            throw RepositoryError(.damaged, error.message)
        }
    }
}

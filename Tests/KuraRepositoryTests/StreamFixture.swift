import KuraRepository

extension Repository {
    /// Saves `data` as one stream, as a `--stdin` backup would, and returns its chunk ids.
    func saveAsStream(_ data: [UInt8]) throws -> [BlobID] {
        let saver = try BlobSaver(repository: self, index: try loadIndex())
        var offset = 0
        let (ids, _) = try saver.saveStream(read: { buffer in
            let n = min(buffer.count, data.count - offset)
            data[offset..<(offset + n)].withUnsafeBytes { buffer.copyMemory(from: $0) }
            offset += n
            return n
        })
        try saver.flush()
        return ids
    }
}

/// The most one zstd frame can decompress to, from its block headers (RFC 8878, section 3.1.1): a raw or RLE
/// block regenerates the size its header gives, a compressed block at most 128 KiB. Unlike the content size in
/// the frame header (and `ZSTD_decompressBound`, which trusts it), this follows the bytes that are really there.
enum ZstdFrame {
    static let maximumBlockSize: UInt64 = 128 << 10

    /// nil when `frame` is not one whole zstd frame.
    static func contentBound(_ frame: UnsafeRawBufferPointer) -> UInt64? {
        guard frame.count >= 6, frame[0] == 0x28, frame[1] == 0xb5, frame[2] == 0x2f, frame[3] == 0xfd else { return nil }
        let descriptor = frame[4]
        let singleSegment = descriptor & 0x20 != 0
        let contentSizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][Int(descriptor >> 6)]
        let dictionaryBytes = [0, 1, 2, 4][Int(descriptor & 3)]
        var position = 5 + (singleSegment ? 0 : 1) + dictionaryBytes + contentSizeBytes
        var bound: UInt64 = 0
        while position + 3 <= frame.count {
            let header = Int(frame[position]) | Int(frame[position + 1]) << 8 | Int(frame[position + 2]) << 16
            let size = header >> 3
            position += 3
            switch (header >> 1) & 3 {
            case 0: bound += UInt64(size); position += size
            case 1: bound += UInt64(size); position += 1
            case 2: bound += maximumBlockSize; position += size
            default: return nil
            }
            if header & 1 != 0 { return position <= frame.count ? bound : nil }
        }
        return nil
    }
}

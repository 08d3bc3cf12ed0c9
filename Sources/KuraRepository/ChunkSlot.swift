import Foundation
import KuraCompression
import KuraCrypto

/// One chunk's buffers on its way through `BlobSaver.saveStream`: the plaintext the producer cut,
/// and an output region where a worker leaves the compressed (or raw) payload with room before it
/// for the nonce and after it for the tag, so the pack writer seals it in place. Slots are reused
/// for the whole backup, so a long stream costs no allocation per chunk and no more memory than
/// the slots in flight.
///
/// `@unchecked Sendable`: a slot has one owner at a time (the producer, then one worker, then the
/// pack writer, then the pool) and passes between them through `ChunkSlotPool`'s condition or a
/// queue, which order the writes before the next owner's reads. The compiler cannot express that
/// hand-off for a class that owns raw buffers.
final class ChunkSlot: @unchecked Sendable {
    let plaintext: UnsafeMutableRawBufferPointer
    let output: UnsafeMutableRawBufferPointer
    var length = 0
    var id = BlobID.zero
    /// The repository or this session already holds `id`: nothing to compress or write.
    var isStored = false
    var isCompressed = false
    var payloadLength = 0
    var error: Error?

    init(maxChunk: Int) {
        plaintext = .allocate(byteCount: maxChunk, alignment: 64)
        output = .allocate(byteCount: AEAD.nonceBytes + max(ZstdCompressor.bound(maxChunk), maxChunk) + AEAD.tagBytes,
                           alignment: 64)
    }

    deinit {
        plaintext.deallocate()
        output.deallocate()
    }

    var chunk: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: plaintext[..<length]) }
    var payload: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: output[AEAD.nonceBytes..<(AEAD.nonceBytes + payloadLength)])
    }
    var compressionRoom: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: output[AEAD.nonceBytes..<(output.count - AEAD.tagBytes)])
    }
    /// `nonce || ciphertext || tag` once sealed.
    var sealed: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: output[..<(AEAD.nonceBytes + payloadLength + AEAD.tagBytes)])
    }
    var sealedLength: Int { AEAD.nonceBytes + payloadLength + AEAD.tagBytes }

    func reset() {
        length = 0
        id = .zero
        isStored = false
        isCompressed = false
        payloadLength = 0
        error = nil
    }
}

/// A fixed set of `ChunkSlot`s: `take` blocks while all are in flight, which is what bounds the
/// pipeline's memory; `cancel` releases a blocked producer for good.
///
/// `@unchecked Sendable`: every stored `var` is touched only with `condition` held.
final class ChunkSlotPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var free: [ChunkSlot] = []
    private var created = 0
    private let capacity: Int
    private let maxChunk: Int
    private var isCancelled = false

    init(capacity: Int, maxChunk: Int) {
        self.capacity = capacity
        self.maxChunk = maxChunk
    }

    /// A free slot, or nil once cancelled. Slots are allocated on first need, up to `capacity`.
    func take() -> ChunkSlot? {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty && created >= capacity && !isCancelled { condition.wait() }
        if isCancelled { return nil }
        if let slot = free.popLast() { return slot }
        created += 1
        return ChunkSlot(maxChunk: maxChunk)
    }

    func give(_ slot: ChunkSlot) {
        slot.reset()
        condition.lock()
        free.append(slot)
        condition.signal()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        isCancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Makes the pool usable again after a cancelled stream.
    func reopen() {
        condition.lock()
        isCancelled = false
        condition.unlock()
    }
}

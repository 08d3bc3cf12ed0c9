import Testing
@testable import KuraCrypto

@Suite struct SecureMemoryTests {
    @Test func wipeZeroesAnArrayInPlaceAndKeepsItsLength() {
        var key = RandomBytes.generate(32)
        key[0] = 0xA5  // not all zero to begin with, whatever the random bytes were
        let storage = key.withUnsafeBytes { UnsafeRawPointer($0.baseAddress!) }
        SecureMemory.wipe(&key)
        #expect(key == [UInt8](repeating: 0, count: 32))
        #expect(key.withUnsafeBytes { UnsafeRawPointer($0.baseAddress!) } == storage)  // the same buffer, not a copy
    }

    @Test func wipeZeroesARawBufferAndAnOptionalArray() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0x5A)
        SecureMemory.wipe(buffer)
        #expect(buffer.allSatisfy { $0 == 0 })
        SecureMemory.wipe(UnsafeMutableRawBufferPointer(start: nil, count: 0))  // nothing to wipe is not an error

        var secret: [UInt8]? = [1, 2, 3]
        SecureMemory.wipe(&secret)
        #expect(secret == [0, 0, 0])
        var none: [UInt8]? = nil
        SecureMemory.wipe(&none)
        #expect(none == nil)
    }

    /// The limit the doc comment states: a copy that still shares the storage keeps its bytes.
    @Test func wipingOneCopyLeavesAnotherHoldersBytes() {
        var key: [UInt8] = [9, 8, 7, 6]
        let other = key
        SecureMemory.wipe(&key)
        #expect(key == [0, 0, 0, 0] && other == [9, 8, 7, 6])
    }

    @Test func libsodiumIsInitialized() throws {
        try Sodium.initialize()
        #expect(SodiumCalls.initialized)
    }
}

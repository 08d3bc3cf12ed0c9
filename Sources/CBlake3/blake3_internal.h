// What the files of CBlake3 share: the constants of the specification (section 2) and the
// "hash many inputs side by side" primitive each level implements.
#ifndef KURA_BLAKE3_INTERNAL_H
#define KURA_BLAKE3_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    KB3_BLOCK_LEN = 64,
    KB3_CHUNK_LEN = 1024,
    KB3_CHUNK_START = 1 << 0,
    KB3_CHUNK_END = 1 << 1,
    KB3_PARENT = 1 << 2,
    KB3_ROOT = 1 << 3,
    KB3_KEYED_HASH = 1 << 4,
};

/// The initialization vector: the first eight words of SHA-256's.
static const uint32_t KB3_IV[8] = {
    0x6A09E667u, 0xBB67AE85u, 0x3C6EF372u, 0xA54FF53Au, 0x510E527Fu, 0x9B05688Cu, 0x1F83D9ABu, 0x5BE0CD19u,
};

/// Which message word each of the 16 G inputs of round r reads: row 0 is the identity, and each row
/// is the one before it put through the specification's permutation (2,6,3,10,7,0,4,13,1,11,12,5,9,14,15,8).
static const uint8_t KB3_SCHEDULE[7][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
    {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
    {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
    {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
    {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
    {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
};

static inline uint32_t kb3_load32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void kb3_store32(uint8_t *p, uint32_t w) {
    p[0] = (uint8_t)w; p[1] = (uint8_t)(w >> 8); p[2] = (uint8_t)(w >> 16); p[3] = (uint8_t)(w >> 24);
}

/// The compression function: chaining value `cv` (8 words), one 64-byte block of which `block_len`
/// bytes are message (the rest zero), the 64-bit counter and the flags; `cv` becomes the first half of
/// the output (the new chaining value, or the first 32 bytes of a root's output).
void kb3_compress(uint32_t cv[8], const uint8_t block[KB3_BLOCK_LEN], uint32_t block_len,
                  uint64_t counter, uint32_t flags);

/// Hashes `count` inputs, each `blocks` full blocks long and stored one after the other, writing each
/// one's 32-byte chaining value to `out` (32 bytes apart, in order). Every input starts from `key`;
/// input i has counter `counter + i` when `increment_counter`, else `counter`; every block has `flags`,
/// the first also `flags_start`, the last also `flags_end`. Chunks: 16 blocks, counter = chunk index,
/// CHUNK_START and CHUNK_END. Parents: 1 block (two child chaining values), counter 0, PARENT.
/// Each level reads every input of a batch before writing its outputs, so `out` may equal `input`.
typedef void (*kb3_hash_many_fn)(const uint8_t *input, size_t count, size_t blocks, const uint32_t key[8],
                                 uint64_t counter, bool increment_counter, uint32_t flags,
                                 uint32_t flags_start, uint32_t flags_end, uint8_t *out);

void kb3_hash_many_portable(const uint8_t *input, size_t count, size_t blocks, const uint32_t key[8],
                            uint64_t counter, bool increment_counter, uint32_t flags,
                            uint32_t flags_start, uint32_t flags_end, uint8_t *out);

#if defined(__x86_64__) || defined(__i386__)
#define KB3_X86 1
void kb3_hash_many_sse41(const uint8_t *input, size_t count, size_t blocks, const uint32_t key[8],
                         uint64_t counter, bool increment_counter, uint32_t flags,
                         uint32_t flags_start, uint32_t flags_end, uint8_t *out);
void kb3_hash_many_avx2(const uint8_t *input, size_t count, size_t blocks, const uint32_t key[8],
                        uint64_t counter, bool increment_counter, uint32_t flags,
                        uint32_t flags_start, uint32_t flags_end, uint8_t *out);
void kb3_hash_many_avx512(const uint8_t *input, size_t count, size_t blocks, const uint32_t key[8],
                          uint64_t counter, bool increment_counter, uint32_t flags,
                          uint32_t flags_start, uint32_t flags_end, uint8_t *out);
#endif

#endif

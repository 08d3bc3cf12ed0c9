// The portable level: the compression function of the BLAKE3 specification (section 2.2) in plain C,
// and chunks and parents hashed one after another with it.
#include "blake3_internal.h"

static inline uint32_t rotr32(uint32_t w, unsigned c) {
    return (w >> c) | (w << (32 - c));
}

/// The quarter-round G of the specification, mixing two message words into state words a, b, c, d.
static inline void g(uint32_t s[16], int a, int b, int c, int d, uint32_t mx, uint32_t my) {
    s[a] = s[a] + s[b] + mx;
    s[d] = rotr32(s[d] ^ s[a], 16);
    s[c] = s[c] + s[d];
    s[b] = rotr32(s[b] ^ s[c], 12);
    s[a] = s[a] + s[b] + my;
    s[d] = rotr32(s[d] ^ s[a], 8);
    s[c] = s[c] + s[d];
    s[b] = rotr32(s[b] ^ s[c], 7);
}

/// One round: G on the four columns, then on the four diagonals, reading the message through row `r`
/// of the schedule (so the message itself is never moved).
static inline void round_fn(uint32_t s[16], const uint32_t m[16], const uint8_t *r) {
    g(s, 0, 4, 8, 12, m[r[0]], m[r[1]]);
    g(s, 1, 5, 9, 13, m[r[2]], m[r[3]]);
    g(s, 2, 6, 10, 14, m[r[4]], m[r[5]]);
    g(s, 3, 7, 11, 15, m[r[6]], m[r[7]]);
    g(s, 0, 5, 10, 15, m[r[8]], m[r[9]]);
    g(s, 1, 6, 11, 12, m[r[10]], m[r[11]]);
    g(s, 2, 7, 8, 13, m[r[12]], m[r[13]]);
    g(s, 3, 4, 9, 14, m[r[14]], m[r[15]]);
}

void kb3_compress(uint32_t cv[8], const uint8_t block[KB3_BLOCK_LEN], uint32_t block_len,
                  uint64_t counter, uint32_t flags) {
    uint32_t m[16];
    for (int i = 0; i < 16; i++) m[i] = kb3_load32(block + 4 * i);
    uint32_t s[16] = {
        cv[0], cv[1], cv[2], cv[3], cv[4], cv[5], cv[6], cv[7],
        KB3_IV[0], KB3_IV[1], KB3_IV[2], KB3_IV[3],
        (uint32_t)counter, (uint32_t)(counter >> 32), block_len, flags,
    };
    for (int r = 0; r < 7; r++) round_fn(s, m, KB3_SCHEDULE[r]);
    for (int i = 0; i < 8; i++) cv[i] = s[i] ^ s[i + 8];
}

void kb3_hash_many_portable(const uint8_t *input, size_t count, size_t blocks, const uint32_t key[8],
                            uint64_t counter, bool increment_counter, uint32_t flags,
                            uint32_t flags_start, uint32_t flags_end, uint8_t *out) {
    for (size_t i = 0; i < count; i++) {
        const uint8_t *in = input + i * blocks * KB3_BLOCK_LEN;
        uint32_t cv[8];
        for (int w = 0; w < 8; w++) cv[w] = key[w];
        for (size_t b = 0; b < blocks; b++) {
            uint32_t f = flags | (b == 0 ? flags_start : 0) | (b + 1 == blocks ? flags_end : 0);
            kb3_compress(cv, in + b * KB3_BLOCK_LEN, KB3_BLOCK_LEN, counter, f);
        }
        for (int w = 0; w < 8; w++) kb3_store32(out + 32 * i + 4 * w, cv[w]);
        if (increment_counter) counter++;
    }
}

// The AVX-512 level: 16 inputs at once (512-bit vectors), then the AVX2 level for what is left (every
// CPU with AVX-512F has AVX2). AVX-512F rotates a word in one instruction and has 32 vector registers,
// so a block's 16 state and 16 message vectors all stay in registers. Each function carries its own
// target attribute, so the package needs no -mavx512f; callers check the CPU first
// (kura_blake3_level_supported).
#include "blake3_internal.h"

#ifdef KB3_X86
#include <immintrin.h>

#define KB3_LANES 16
#define KB3_TARGET __attribute__((target("avx512f")))
#define KB3_NAME(x) avx512_##x
typedef __m512i kb3_vec;

KB3_TARGET static inline kb3_vec kb3_set1(uint32_t w) { return _mm512_set1_epi32((int)w); }
KB3_TARGET static inline kb3_vec kb3_load_words(const uint32_t *w) { return _mm512_loadu_si512((const void *)w); }
KB3_TARGET static inline kb3_vec kb3_add(kb3_vec a, kb3_vec b) { return _mm512_add_epi32(a, b); }
KB3_TARGET static inline kb3_vec kb3_xor(kb3_vec a, kb3_vec b) { return _mm512_xor_si512(a, b); }
KB3_TARGET static inline kb3_vec kb3_rotr16(kb3_vec x) { return _mm512_ror_epi32(x, 16); }
KB3_TARGET static inline kb3_vec kb3_rotr12(kb3_vec x) { return _mm512_ror_epi32(x, 12); }
KB3_TARGET static inline kb3_vec kb3_rotr8(kb3_vec x) { return _mm512_ror_epi32(x, 8); }
KB3_TARGET static inline kb3_vec kb3_rotr7(kb3_vec x) { return _mm512_ror_epi32(x, 7); }

/// Rows r[0..15] (16 words each) become columns: word i of row j ends in lane j of r[i].
KB3_TARGET static inline void transpose16(kb3_vec r[16]) {
    // Within each 128-bit quarter, 4x4 blocks are transposed: afterwards u[4k + c] holds, in quarter q,
    // column 4q + c of rows 4k to 4k + 3.
    kb3_vec t[16], u[16];
    for (int k = 0; k < 8; k++) {
        t[2 * k] = _mm512_unpacklo_epi32(r[2 * k], r[2 * k + 1]);
        t[2 * k + 1] = _mm512_unpackhi_epi32(r[2 * k], r[2 * k + 1]);
    }
    for (int k = 0; k < 4; k++) {
        u[4 * k] = _mm512_unpacklo_epi64(t[4 * k], t[4 * k + 2]);
        u[4 * k + 1] = _mm512_unpackhi_epi64(t[4 * k], t[4 * k + 2]);
        u[4 * k + 2] = _mm512_unpacklo_epi64(t[4 * k + 1], t[4 * k + 3]);
        u[4 * k + 3] = _mm512_unpackhi_epi64(t[4 * k + 1], t[4 * k + 3]);
    }
    // Then, for each c, the four vectors u[c], u[4 + c], u[8 + c], u[12 + c] are a 4x4 matrix of
    // quarters, transposed with two rounds of quarter shuffles.
    for (int c = 0; c < 4; c++) {
        kb3_vec ab_low = _mm512_shuffle_i32x4(u[c], u[4 + c], 0x44);      // a0 a1 b0 b1
        kb3_vec ab_high = _mm512_shuffle_i32x4(u[c], u[4 + c], 0xEE);     // a2 a3 b2 b3
        kb3_vec cd_low = _mm512_shuffle_i32x4(u[8 + c], u[12 + c], 0x44); // c0 c1 d0 d1
        kb3_vec cd_high = _mm512_shuffle_i32x4(u[8 + c], u[12 + c], 0xEE);
        r[c] = _mm512_shuffle_i32x4(ab_low, cd_low, 0x88);       // a0 b0 c0 d0
        r[4 + c] = _mm512_shuffle_i32x4(ab_low, cd_low, 0xDD);   // a1 b1 c1 d1
        r[8 + c] = _mm512_shuffle_i32x4(ab_high, cd_high, 0x88);
        r[12 + c] = _mm512_shuffle_i32x4(ab_high, cd_high, 0xDD);
    }
}

/// A block is 16 words, one vector: input j's block is row j.
KB3_TARGET static inline void kb3_load_message(const uint8_t *block, size_t stride, kb3_vec m[16]) {
    for (int j = 0; j < 16; j++) m[j] = _mm512_loadu_si512((const void *)(block + j * stride));
    transpose16(m);
}

/// The 8 chaining-value rows, padded to 16, transposed: lane j's value is the low half of row j.
KB3_TARGET static inline void kb3_store_cvs(kb3_vec h[8], uint8_t *out) {
    kb3_vec r[16];
    for (int i = 0; i < 8; i++) {
        r[i] = h[i];
        r[8 + i] = _mm512_setzero_si512();
    }
    transpose16(r);
    for (int j = 0; j < 16; j++) _mm256_storeu_si256((__m256i *)(out + 32 * j), _mm512_castsi512_si256(r[j]));
}

#define KB3_HASH_MANY kb3_hash_many_avx512
#define KB3_FALLBACK kb3_hash_many_avx2
#include "blake3_lanes_template.h"
#endif

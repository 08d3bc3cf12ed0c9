// The AVX2 level: 8 inputs at once (256-bit vectors), then the SSE4.1 level for what is left (every
// CPU with AVX2 has SSE4.1). Each function carries its own target attribute, so the package needs no
// -mavx2; callers check the CPU first (kura_blake3_level_supported).
#include "blake3_internal.h"

#ifdef KB3_X86
#include <immintrin.h>

#define KB3_LANES 8
#define KB3_TARGET __attribute__((target("avx2")))
#define KB3_NAME(x) avx2_##x
typedef __m256i kb3_vec;

KB3_TARGET static inline kb3_vec kb3_set1(uint32_t w) { return _mm256_set1_epi32((int)w); }
KB3_TARGET static inline kb3_vec kb3_load_words(const uint32_t *w) { return _mm256_loadu_si256((const __m256i *)w); }
KB3_TARGET static inline kb3_vec kb3_add(kb3_vec a, kb3_vec b) { return _mm256_add_epi32(a, b); }
KB3_TARGET static inline kb3_vec kb3_xor(kb3_vec a, kb3_vec b) { return _mm256_xor_si256(a, b); }
KB3_TARGET static inline kb3_vec kb3_rotr16(kb3_vec x) {
    return _mm256_shuffle_epi8(x, _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
                                                   2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13));
}
KB3_TARGET static inline kb3_vec kb3_rotr8(kb3_vec x) {
    return _mm256_shuffle_epi8(x, _mm256_setr_epi8(1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12,
                                                   1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12));
}
KB3_TARGET static inline kb3_vec kb3_rotr12(kb3_vec x) { return _mm256_or_si256(_mm256_srli_epi32(x, 12), _mm256_slli_epi32(x, 20)); }
KB3_TARGET static inline kb3_vec kb3_rotr7(kb3_vec x) { return _mm256_or_si256(_mm256_srli_epi32(x, 7), _mm256_slli_epi32(x, 25)); }

/// Rows r[0..7] (8 words each) become columns: word i of row j ends in lane j of r[i].
KB3_TARGET static inline void transpose8(kb3_vec r[8]) {
    // Pairs of rows interleaved by word, then by pairs of words: each 128-bit half now holds
    // a 4x4 block transposed (rows 0-3 or 4-7; columns 0-3 in the low halves, 4-7 in the high).
    kb3_vec t0 = _mm256_unpacklo_epi32(r[0], r[1]), t1 = _mm256_unpackhi_epi32(r[0], r[1]);
    kb3_vec t2 = _mm256_unpacklo_epi32(r[2], r[3]), t3 = _mm256_unpackhi_epi32(r[2], r[3]);
    kb3_vec t4 = _mm256_unpacklo_epi32(r[4], r[5]), t5 = _mm256_unpackhi_epi32(r[4], r[5]);
    kb3_vec t6 = _mm256_unpacklo_epi32(r[6], r[7]), t7 = _mm256_unpackhi_epi32(r[6], r[7]);
    kb3_vec u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
    kb3_vec u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
    kb3_vec u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
    kb3_vec u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);
    // Then the halves are paired up: rows 0-3 with rows 4-7 of the same column.
    r[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
    r[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
    r[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
    r[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
    r[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
    r[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
    r[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
    r[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
}

KB3_TARGET static inline void kb3_load_message(const uint8_t *block, size_t stride, kb3_vec m[16]) {
    for (int half = 0; half < 2; half++) {
        for (int j = 0; j < 8; j++) m[8 * half + j] = _mm256_loadu_si256((const __m256i *)(block + j * stride + 32 * half));
        transpose8(&m[8 * half]);
    }
}

KB3_TARGET static inline void kb3_store_cvs(kb3_vec h[8], uint8_t *out) {
    transpose8(h);
    for (int j = 0; j < 8; j++) _mm256_storeu_si256((__m256i *)(out + 32 * j), h[j]);
}

#define KB3_HASH_MANY kb3_hash_many_avx2
#define KB3_FALLBACK kb3_hash_many_sse41
#include "blake3_lanes_template.h"
#endif

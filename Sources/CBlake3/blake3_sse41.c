// The SSE4.1 level: 4 inputs at once (128-bit vectors), then the portable level for what is left.
// Each function carries its own target attribute, so the package needs no -msse4.1; callers check
// the CPU first (kura_blake3_level_supported).
#include "blake3_internal.h"

#ifdef KB3_X86
#include <immintrin.h>

#define KB3_LANES 4
#define KB3_TARGET __attribute__((target("sse4.1")))
#define KB3_NAME(x) sse41_##x
typedef __m128i kb3_vec;

KB3_TARGET static inline kb3_vec kb3_set1(uint32_t w) { return _mm_set1_epi32((int)w); }
KB3_TARGET static inline kb3_vec kb3_load_words(const uint32_t *w) { return _mm_loadu_si128((const __m128i *)w); }
KB3_TARGET static inline kb3_vec kb3_add(kb3_vec a, kb3_vec b) { return _mm_add_epi32(a, b); }
KB3_TARGET static inline kb3_vec kb3_xor(kb3_vec a, kb3_vec b) { return _mm_xor_si128(a, b); }
KB3_TARGET static inline kb3_vec kb3_rotr16(kb3_vec x) {
    return _mm_shuffle_epi8(x, _mm_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13));
}
KB3_TARGET static inline kb3_vec kb3_rotr8(kb3_vec x) {
    return _mm_shuffle_epi8(x, _mm_setr_epi8(1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12));
}
KB3_TARGET static inline kb3_vec kb3_rotr12(kb3_vec x) { return _mm_or_si128(_mm_srli_epi32(x, 12), _mm_slli_epi32(x, 20)); }
KB3_TARGET static inline kb3_vec kb3_rotr7(kb3_vec x) { return _mm_or_si128(_mm_srli_epi32(x, 7), _mm_slli_epi32(x, 25)); }

/// Rows a, b, c, d (4 words each) become columns.
KB3_TARGET static inline void transpose4(kb3_vec *a, kb3_vec *b, kb3_vec *c, kb3_vec *d) {
    kb3_vec ab_low = _mm_unpacklo_epi32(*a, *b), cd_low = _mm_unpacklo_epi32(*c, *d);
    kb3_vec ab_high = _mm_unpackhi_epi32(*a, *b), cd_high = _mm_unpackhi_epi32(*c, *d);
    *a = _mm_unpacklo_epi64(ab_low, cd_low);
    *b = _mm_unpackhi_epi64(ab_low, cd_low);
    *c = _mm_unpacklo_epi64(ab_high, cd_high);
    *d = _mm_unpackhi_epi64(ab_high, cd_high);
}

KB3_TARGET static inline void kb3_load_message(const uint8_t *block, size_t stride, kb3_vec m[16]) {
    for (int q = 0; q < 4; q++) {
        for (int j = 0; j < 4; j++) m[4 * q + j] = _mm_loadu_si128((const __m128i *)(block + j * stride + 16 * q));
        transpose4(&m[4 * q], &m[4 * q + 1], &m[4 * q + 2], &m[4 * q + 3]);
    }
}

KB3_TARGET static inline void kb3_store_cvs(kb3_vec h[8], uint8_t *out) {
    transpose4(&h[0], &h[1], &h[2], &h[3]);
    transpose4(&h[4], &h[5], &h[6], &h[7]);
    for (int j = 0; j < 4; j++) {
        _mm_storeu_si128((__m128i *)(out + 32 * j), h[j]);
        _mm_storeu_si128((__m128i *)(out + 32 * j + 16), h[4 + j]);
    }
}

#define KB3_HASH_MANY kb3_hash_many_sse41
#define KB3_FALLBACK kb3_hash_many_portable
#include "blake3_lanes_template.h"
#endif

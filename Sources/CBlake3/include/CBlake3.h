// Keyed BLAKE3 (keyed_hash mode, 32-byte key, 32-byte output) of one message held in memory.
// kura's own implementation, written from the BLAKE3 specification (BLAKE3-team/BLAKE3-specs).
#ifndef KURA_CBLAKE3_H
#define KURA_CBLAKE3_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How many chunks one compression step handles side by side.
typedef enum {
    KURA_BLAKE3_PORTABLE = 0, ///< plain C, one chunk at a time
    KURA_BLAKE3_SSE41 = 1,    ///< SSE4.1, 4 chunks at once (then plain C for the rest)
    KURA_BLAKE3_AVX2 = 2,     ///< AVX2, 8 chunks at once (then SSE4.1, then plain C)
    KURA_BLAKE3_AVX512 = 3,   ///< AVX-512F, 16 chunks at once (then AVX2, SSE4.1, plain C)
} kura_blake3_level;

/// 1 when this CPU (and its operating system) can run `level`, 0 otherwise.
int kura_blake3_level_supported(kura_blake3_level level);

/// The fastest level this CPU can run: the one `kura_blake3_keyed_hash` uses.
kura_blake3_level kura_blake3_best_level(void);

/// The keyed hash computed at `level`; returns 0, or -1 (and writes nothing) when the CPU cannot run it.
int kura_blake3_keyed_hash_at_level(kura_blake3_level level, const uint8_t key[32],
                                    const void *message, size_t length, uint8_t out[32]);

/// The keyed hash at the fastest level this CPU runs.
void kura_blake3_keyed_hash(const uint8_t key[32], const void *message, size_t length, uint8_t out[32]);

#ifdef __cplusplus
}
#endif

#endif

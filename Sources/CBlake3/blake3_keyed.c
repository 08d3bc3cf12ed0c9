// keyed_hash of one message: chunks hashed side by side at the chosen level, then the tree of
// parents above them (the specification's section 2.1), level by level, also side by side.
#include "CBlake3.h"
#include "blake3_internal.h"

#include <string.h>

/// Chunks are hashed in groups of this many (a power of two): a group that more input follows is a
/// complete subtree, reduced to one chaining value with its chunk values held on the stack (8 KiB).
enum { GROUP_CHUNKS = 256 };

/// Deep enough for 2^64 bytes: one entry per bit of the number of groups.
enum { MAX_DEPTH = 64 };

typedef struct {
    uint32_t key[8];
    kb3_hash_many_fn hash_many;
} hasher;

static void key_words(const uint8_t key[32], uint32_t words[8]) {
    for (int i = 0; i < 8; i++) words[i] = kb3_load32(key + 4 * i);
}

static void store_words(const uint32_t words[8], uint8_t out[32]) {
    for (int i = 0; i < 8; i++) kb3_store32(out + 4 * i, words[i]);
}

/// The last chunk of a message: partial blocks are zero-padded, block_len says how many bytes are
/// message; `root_flag` is KB3_ROOT when this chunk is the whole message.
static void last_chunk(const hasher *h, const uint8_t *input, size_t length, uint64_t chunk_index,
                       uint32_t root_flag, uint8_t out[32]) {
    uint32_t cv[8];
    memcpy(cv, h->key, sizeof cv);
    size_t blocks = length == 0 ? 1 : (length + KB3_BLOCK_LEN - 1) / KB3_BLOCK_LEN;
    for (size_t b = 0; b < blocks; b++) {
        size_t offset = b * KB3_BLOCK_LEN, take = length - offset < KB3_BLOCK_LEN ? length - offset : KB3_BLOCK_LEN;
        uint8_t block[KB3_BLOCK_LEN] = {0};
        if (take > 0) memcpy(block, input + offset, take);
        uint32_t flags = KB3_KEYED_HASH | (b == 0 ? KB3_CHUNK_START : 0)
                       | (b + 1 == blocks ? (KB3_CHUNK_END | root_flag) : 0);
        kb3_compress(cv, block, (uint32_t)take, chunk_index, flags);
    }
    store_words(cv, out);
}

static void parent(const hasher *h, const uint8_t left[32], const uint8_t right[32], uint32_t root_flag, uint8_t out[32]) {
    uint8_t block[KB3_BLOCK_LEN];
    memcpy(block, left, 32);
    memcpy(block + 32, right, 32);
    uint32_t cv[8];
    memcpy(cv, h->key, sizeof cv);
    kb3_compress(cv, block, KB3_BLOCK_LEN, 0, KB3_KEYED_HASH | KB3_PARENT | root_flag);
    store_words(cv, out);
}

/// The chaining values of the chunks of `input` (1 to GROUP_CHUNKS chunks; only the last may be
/// partial), the first being chunk `chunk_index`. Returns how many.
static size_t chunk_values(const hasher *h, const uint8_t *input, size_t length, uint64_t chunk_index, uint8_t *cvs) {
    size_t full = length / KB3_CHUNK_LEN, offset = full * KB3_CHUNK_LEN;
    h->hash_many(input, full, KB3_CHUNK_LEN / KB3_BLOCK_LEN, h->key, chunk_index, true,
                 KB3_KEYED_HASH, KB3_CHUNK_START, KB3_CHUNK_END, cvs);
    if (offset == length) return full;
    last_chunk(h, input + offset, length - offset, chunk_index + full, 0, cvs + 32 * full);
    return full + 1;
}

/// Replaces `count` sibling chaining values by their parents, pairwise from the left (an odd one out
/// moves up unchanged: the tree's left subtrees are complete), until at most two are left.
static size_t reduce_to_two(const hasher *h, uint8_t *cvs, size_t count) {
    while (count > 2) {
        size_t pairs = count / 2;
        h->hash_many(cvs, pairs, 1, h->key, 0, false, KB3_KEYED_HASH | KB3_PARENT, 0, 0, cvs);
        if (count % 2 == 1) memmove(cvs + 32 * pairs, cvs + 32 * (count - 1), 32);
        count = pairs + count % 2;
    }
    return count;
}

static void keyed_hash(const hasher *h, const uint8_t *input, size_t length, uint8_t out[32]) {
    if (length <= KB3_CHUNK_LEN) {
        last_chunk(h, input, length, 0, KB3_ROOT, out);
        return;
    }
    uint8_t stack[MAX_DEPTH][32];
    size_t depth = 0;
    uint64_t groups = 0;
    uint8_t cvs[GROUP_CHUNKS * 32];
    const size_t group_bytes = (size_t)GROUP_CHUNKS * KB3_CHUNK_LEN;

    // Whole groups that more input follows: each is a complete subtree. Like binary addition, a new
    // group's value merges with the stack's top while the count of groups so far has trailing zeros.
    while (length > group_bytes) {
        h->hash_many(input, GROUP_CHUNKS, KB3_CHUNK_LEN / KB3_BLOCK_LEN, h->key, groups * GROUP_CHUNKS, true,
                     KB3_KEYED_HASH, KB3_CHUNK_START, KB3_CHUNK_END, cvs);
        reduce_to_two(h, cvs, GROUP_CHUNKS);
        uint8_t value[32];
        parent(h, cvs, cvs + 32, 0, value);
        groups++;
        for (uint64_t g = groups; (g & 1) == 0; g >>= 1) parent(h, stack[--depth], value, 0, value);
        memcpy(stack[depth++], value, 32);
        input += group_bytes;
        length -= group_bytes;
    }

    // The rest (1 byte to a whole group), then the stack folded onto it from the top; the last parent is the root.
    size_t count = reduce_to_two(h, cvs, chunk_values(h, input, length, groups * GROUP_CHUNKS, cvs));
    if (depth == 0) {
        parent(h, cvs, cvs + 32, KB3_ROOT, out); // more than one chunk, so count is 2
        return;
    }
    uint8_t value[32];
    if (count == 2) parent(h, cvs, cvs + 32, 0, value);
    else memcpy(value, cvs, 32);
    while (depth > 1) parent(h, stack[--depth], value, 0, value);
    parent(h, stack[0], value, KB3_ROOT, out);
}

int kura_blake3_level_supported(kura_blake3_level level) {
    switch (level) {
    case KURA_BLAKE3_PORTABLE:
        return 1;
#ifdef KB3_X86
    case KURA_BLAKE3_SSE41:
        __builtin_cpu_init();
        return __builtin_cpu_supports("sse4.1") ? 1 : 0;
    case KURA_BLAKE3_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("sse4.1") ? 1 : 0;
    case KURA_BLAKE3_AVX512:
        // The runtime's check includes the operating system's saving of the 512-bit registers (XCR0).
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("sse4.1") ? 1 : 0;
#endif
    default:
        return 0;
    }
}

kura_blake3_level kura_blake3_best_level(void) {
    if (kura_blake3_level_supported(KURA_BLAKE3_AVX512)) return KURA_BLAKE3_AVX512;
    if (kura_blake3_level_supported(KURA_BLAKE3_AVX2)) return KURA_BLAKE3_AVX2;
    if (kura_blake3_level_supported(KURA_BLAKE3_SSE41)) return KURA_BLAKE3_SSE41;
    return KURA_BLAKE3_PORTABLE;
}

int kura_blake3_keyed_hash_at_level(kura_blake3_level level, const uint8_t key[32],
                                    const void *message, size_t length, uint8_t out[32]) {
    if (!kura_blake3_level_supported(level)) return -1;
    hasher h;
    key_words(key, h.key);
    switch (level) {
#ifdef KB3_X86
    case KURA_BLAKE3_AVX512: h.hash_many = kb3_hash_many_avx512; break;
    case KURA_BLAKE3_AVX2: h.hash_many = kb3_hash_many_avx2; break;
    case KURA_BLAKE3_SSE41: h.hash_many = kb3_hash_many_sse41; break;
#endif
    default: h.hash_many = kb3_hash_many_portable; break;
    }
    keyed_hash(&h, (const uint8_t *)message, length, out);
    return 0;
}

void kura_blake3_keyed_hash(const uint8_t key[32], const void *message, size_t length, uint8_t out[32]) {
    kura_blake3_keyed_hash_at_level(kura_blake3_best_level(), key, message, length, out);
}

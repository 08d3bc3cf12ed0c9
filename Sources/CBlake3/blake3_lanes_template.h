// The body every SIMD level shares: N inputs hashed side by side, one input per vector lane
// (the specification's section 5.3, "SIMD across chunks"). The including file defines, for its
// instruction set: KB3_LANES, KB3_TARGET (a per-function target attribute), KB3_NAME(x), the vector
// type kb3_vec, kb3_set1, kb3_add, kb3_xor, kb3_rotr16, kb3_rotr12, kb3_rotr8, kb3_rotr7,
// kb3_load_message (16 message words of one block of every input, transposed: word i of input j
// in lane j of m[i]), kb3_store_cvs (the reverse transposition, for the 8 chaining-value words),
// KB3_HASH_MANY (the name of this level's kb3_hash_many_fn) and KB3_FALLBACK (the level below, for
// the fewer than KB3_LANES inputs left over). Only x86 files include it.

// G (the specification's quarter-round) on four disjoint sets of state words a, b, c, d at once, each
// step done for all four before the next: the four chains are independent, so the CPU overlaps them.
#define KB3_FOR4 _Pragma("GCC unroll 4") for (int i = 0; i < 4; i++)
KB3_TARGET static inline __attribute__((always_inline))
void KB3_NAME(g4)(kb3_vec v[16], const int a[4], const int b[4], const int c[4], const int d[4],
                  const kb3_vec x[4], const kb3_vec y[4]) {
    KB3_FOR4 v[a[i]] = kb3_add(kb3_add(v[a[i]], v[b[i]]), x[i]);
    KB3_FOR4 v[d[i]] = kb3_rotr16(kb3_xor(v[d[i]], v[a[i]]));
    KB3_FOR4 v[c[i]] = kb3_add(v[c[i]], v[d[i]]);
    KB3_FOR4 v[b[i]] = kb3_rotr12(kb3_xor(v[b[i]], v[c[i]]));
    KB3_FOR4 v[a[i]] = kb3_add(kb3_add(v[a[i]], v[b[i]]), y[i]);
    KB3_FOR4 v[d[i]] = kb3_rotr8(kb3_xor(v[d[i]], v[a[i]]));
    KB3_FOR4 v[c[i]] = kb3_add(v[c[i]], v[d[i]]);
    KB3_FOR4 v[b[i]] = kb3_rotr7(kb3_xor(v[b[i]], v[c[i]]));
}
#undef KB3_FOR4

/// One round: G on the four columns, then on the four diagonals, reading the message through row `r`
/// of the schedule (so the message itself is never moved).
KB3_TARGET static inline __attribute__((always_inline))
void KB3_NAME(round)(kb3_vec v[16], const kb3_vec m[16], const uint8_t *r) {
    static const int column_a[4] = {0, 1, 2, 3}, column_b[4] = {4, 5, 6, 7};
    static const int column_c[4] = {8, 9, 10, 11}, column_d[4] = {12, 13, 14, 15};
    static const int diagonal_b[4] = {5, 6, 7, 4}, diagonal_c[4] = {10, 11, 8, 9}, diagonal_d[4] = {15, 12, 13, 14};
    const kb3_vec column_x[4] = {m[r[0]], m[r[2]], m[r[4]], m[r[6]]};
    const kb3_vec column_y[4] = {m[r[1]], m[r[3]], m[r[5]], m[r[7]]};
    KB3_NAME(g4)(v, column_a, column_b, column_c, column_d, column_x, column_y);
    const kb3_vec diagonal_x[4] = {m[r[8]], m[r[10]], m[r[12]], m[r[14]]};
    const kb3_vec diagonal_y[4] = {m[r[9]], m[r[11]], m[r[13]], m[r[15]]};
    KB3_NAME(g4)(v, column_a, diagonal_b, diagonal_c, diagonal_d, diagonal_x, diagonal_y);
}

/// KB3_LANES inputs of `blocks` blocks each, `stride` bytes apart, side by side.
KB3_TARGET static void KB3_NAME(hash_lanes)(const uint8_t *input, size_t blocks, size_t stride,
                                            const uint32_t key[8], uint64_t counter, bool increment_counter,
                                            uint32_t flags, uint32_t flags_start, uint32_t flags_end,
                                            uint8_t *out) {
    uint32_t counter_low[KB3_LANES], counter_high[KB3_LANES];
    for (int j = 0; j < KB3_LANES; j++) {
        uint64_t c = counter + (increment_counter ? (uint64_t)j : 0);
        counter_low[j] = (uint32_t)c;
        counter_high[j] = (uint32_t)(c >> 32);
    }
    kb3_vec h[8];
    for (int i = 0; i < 8; i++) h[i] = kb3_set1(key[i]);
    const kb3_vec t0 = kb3_load_words(counter_low), t1 = kb3_load_words(counter_high);
    const kb3_vec block_len = kb3_set1(KB3_BLOCK_LEN);
    for (size_t b = 0; b < blocks; b++) {
        uint32_t f = flags | (b == 0 ? flags_start : 0) | (b + 1 == blocks ? flags_end : 0);
        kb3_vec m[16];
        kb3_load_message(input + b * KB3_BLOCK_LEN, stride, m);
        kb3_vec v[16] = {
            h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
            kb3_set1(KB3_IV[0]), kb3_set1(KB3_IV[1]), kb3_set1(KB3_IV[2]), kb3_set1(KB3_IV[3]),
            t0, t1, block_len, kb3_set1(f),
        };
        KB3_NAME(round)(v, m, KB3_SCHEDULE[0]);
        KB3_NAME(round)(v, m, KB3_SCHEDULE[1]);
        KB3_NAME(round)(v, m, KB3_SCHEDULE[2]);
        KB3_NAME(round)(v, m, KB3_SCHEDULE[3]);
        KB3_NAME(round)(v, m, KB3_SCHEDULE[4]);
        KB3_NAME(round)(v, m, KB3_SCHEDULE[5]);
        KB3_NAME(round)(v, m, KB3_SCHEDULE[6]);
        for (int i = 0; i < 8; i++) h[i] = kb3_xor(v[i], v[i + 8]);
    }
    kb3_store_cvs(h, out);
}


/// `kb3_hash_many_fn` at this level: KB3_LANES inputs at a time, the rest one level down.
KB3_TARGET void KB3_HASH_MANY(const uint8_t *input, size_t count, size_t blocks, const uint32_t key[8],
                        uint64_t counter, bool increment_counter, uint32_t flags,
                        uint32_t flags_start, uint32_t flags_end, uint8_t *out) {
    size_t stride = blocks * KB3_BLOCK_LEN;
    while (count >= KB3_LANES) {
        KB3_NAME(hash_lanes)(input, blocks, stride, key, counter, increment_counter, flags, flags_start, flags_end, out);
        input += KB3_LANES * stride;
        out += KB3_LANES * 32;
        count -= KB3_LANES;
        if (increment_counter) counter += KB3_LANES;
    }
    KB3_FALLBACK(input, count, blocks, key, counter, increment_counter, flags, flags_start, flags_end, out);
}

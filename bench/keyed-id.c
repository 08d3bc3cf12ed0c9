// bench/keyed-id.c — single-thread throughput of the keyed chunk-id candidates (issue 16 item 1).
// Built and run by bench/keyed-id; see that script for what each line means.
//
// Usage: keyed-id-bench SECONDS RUNS CANDIDATE...
//   CANDIDATE: blake2b | hmac-sha256 | blake3-portable | blake3-sse41 | blake3-avx2 | blake3-avx512
// Prints, per candidate and message size (1 MiB, 4 KiB): the best of RUNS runs, each hashing
// messages for at least SECONDS of this thread's CPU time, in GB/s (10^9 bytes) of thread CPU
// time and of wall time.
#include "CBlake3.h"

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { BUFFER = 1 << 20 };

typedef struct {
    const char *name;
    int blake3_level; // -1: not BLAKE3
} candidate;

static EVP_MAC_CTX *hmac;
static uint8_t key[32];
static volatile uint8_t sink;

static double now(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void hash_one(const candidate *c, const uint8_t *message, size_t length, uint8_t out[32]) {
    if (c->blake3_level >= 0) {
        kura_blake3_keyed_hash_at_level((kura_blake3_level)c->blake3_level, key, message, length, out);
    } else if (strcmp(c->name, "blake2b") == 0) {
        crypto_generichash(out, 32, message, length, key, sizeof key); // kura's keyed-blake2b-256 today
    } else {
        size_t written = 0;
        // Re-initialized with the key already set, as a chunker hashing chunk after chunk would.
        if (!EVP_MAC_init(hmac, NULL, 0, NULL) || !EVP_MAC_update(hmac, message, length)
            || !EVP_MAC_final(hmac, out, &written, 32) || written != 32) {
            fprintf(stderr, "keyed-id-bench: HMAC-SHA-256 failed\n");
            exit(1);
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: keyed-id-bench SECONDS RUNS CANDIDATE...\n");
        return 64;
    }
    double seconds = atof(argv[1]);
    int runs = atoi(argv[2]);
    if (sodium_init() < 0) return 1;
    randombytes_buf(key, sizeof key);
    uint8_t *buffer = malloc(BUFFER);
    randombytes_buf(buffer, BUFFER);

    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0), OSSL_PARAM_construct_end() };
    hmac = mac ? EVP_MAC_CTX_new(mac) : NULL;
    if (!hmac || !EVP_MAC_init(hmac, key, sizeof key, params)) {
        fprintf(stderr, "keyed-id-bench: OpenSSL has no HMAC-SHA-256\n");
        return 1;
    }

    // The BLAKE3 levels must agree before any is timed.
    uint8_t reference[32], other[32];
    kura_blake3_keyed_hash_at_level(KURA_BLAKE3_PORTABLE, key, buffer, BUFFER, reference);
    for (int level = KURA_BLAKE3_SSE41; level <= KURA_BLAKE3_AVX512; level++) {
        if (kura_blake3_keyed_hash_at_level((kura_blake3_level)level, key, buffer, BUFFER, other) == 0
            && memcmp(reference, other, 32) != 0) {
            fprintf(stderr, "keyed-id-bench: BLAKE3 level %d disagrees with the portable level\n", level);
            return 1;
        }
    }

    const size_t sizes[] = { 1 << 20, 4 << 10 };
    for (int a = 3; a < argc; a++) {
        candidate c = { argv[a], -1 };
        if (strcmp(c.name, "blake3-portable") == 0) c.blake3_level = KURA_BLAKE3_PORTABLE;
        else if (strcmp(c.name, "blake3-sse41") == 0) c.blake3_level = KURA_BLAKE3_SSE41;
        else if (strcmp(c.name, "blake3-avx2") == 0) c.blake3_level = KURA_BLAKE3_AVX2;
        else if (strcmp(c.name, "blake3-avx512") == 0) c.blake3_level = KURA_BLAKE3_AVX512;
        else if (strcmp(c.name, "blake2b") != 0 && strcmp(c.name, "hmac-sha256") != 0) {
            fprintf(stderr, "keyed-id-bench: unknown candidate %s\n", c.name);
            return 64;
        }
        if (c.blake3_level >= 0 && !kura_blake3_level_supported((kura_blake3_level)c.blake3_level)) {
            printf("%s\tunsupported on this CPU\n", c.name);
            continue;
        }
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            size_t length = sizes[s];
            double best_cpu = 0, best_wall = 0;
            for (int run = 0; run < runs; run++) {
                double cpu0 = now(CLOCK_THREAD_CPUTIME_ID), wall0 = now(CLOCK_MONOTONIC), cpu = 0;
                size_t bytes = 0, offset = 0;
                uint8_t out[32];
                while ((cpu = now(CLOCK_THREAD_CPUTIME_ID) - cpu0) < seconds) {
                    for (int i = 0; i < 16; i++) {
                        hash_one(&c, buffer + offset, length, out);
                        sink ^= out[0];
                        bytes += length;
                        offset = (offset + length) % BUFFER;
                    }
                }
                double wall = now(CLOCK_MONOTONIC) - wall0;
                double rate_cpu = (double)bytes / cpu / 1e9, rate_wall = (double)bytes / wall / 1e9;
                if (rate_cpu > best_cpu) best_cpu = rate_cpu;
                if (rate_wall > best_wall) best_wall = rate_wall;
            }
            printf("%s\t%zu\t%.3f\t%.3f\n", c.name, length, best_cpu, best_wall);
            fflush(stdout);
        }
    }
    EVP_MAC_CTX_free(hmac);
    EVP_MAC_free(mac);
    free(buffer);
    return 0;
}

// bench/cdc-sim.c — FastCDC exactly as man/kura-repository.5 CHUNKING states it, but with a random Gear
// table instead of the keyed one: prints the length of each chunk of FILE, one a line. Used by bench/sizes-sim.
// Build: cc -O2 -o cdc-sim cdc-sim.c. Usage: cdc-sim FILE MIN AVG MAX SEED
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
static uint64_t s;
static uint64_t next(void) { s += 0x9e3779b97f4a7c15ULL; uint64_t z = s; z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL; z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL; return z ^ (z >> 31); }
int main(int argc, char **argv) {
    int fd = open(argv[1], O_RDONLY); struct stat st; fstat(fd, &st);
    const uint8_t *d = mmap(0, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    size_t mn = atol(argv[2]), avg = atol(argv[3]), mx = atol(argv[4]); s = atol(argv[5]);
    uint64_t G[256]; for (int i = 0; i < 256; i++) G[i] = next();
    int b = 0; while ((1UL << b) < avg) b++;
    int bs = b + 2 < 63 ? b + 2 : 63, bl = b - 2 > 1 ? b - 2 : 1;
    uint64_t MS = ~0ULL << (64 - bs), ML = ~0ULL << (64 - bl);
    size_t pos = 0, total = st.st_size;
    while (pos < total) {
        size_t n = total - pos, len;
        if (n <= mn) len = n;
        else {
            size_t m = n < mx ? n : mx, a = avg < m ? avg : m, i; uint64_t h = 0; len = m;
            const uint8_t *p = d + pos;
            for (i = mn; i < a; i++) { h = (h << 1) + G[p[i]]; if (!(h & MS)) { len = i + 1; goto done; } }
            for (i = a; i < m; i++) { h = (h << 1) + G[p[i]]; if (!(h & ML)) { len = i + 1; goto done; } }
        }
        done:
        printf("%zu\n", len); pos += len;
    }
    return 0;
}

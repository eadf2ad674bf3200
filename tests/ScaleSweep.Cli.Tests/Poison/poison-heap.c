/* LD_PRELOAD shim for the determinism tests: every block libtorch allocates (posix_memalign) starts as NaN
 * bytes, and every block of 256 bytes or more is overwritten with NaN bytes when freed. A kernel that reads
 * memory before writing it, or after it was freed, then produces NaN in every run instead of once in a while. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

static int (*next_posix_memalign)(void **, size_t, size_t);
static void (*next_free)(void *);

int posix_memalign(void **block, size_t alignment, size_t size)
{
    if (!next_posix_memalign) next_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign");
    int status = next_posix_memalign(block, alignment, size);
    if (status == 0 && *block) memset(*block, 0xFF, size);
    return status;
}

void free(void *block)
{
    if (!next_free) next_free = dlsym(RTLD_NEXT, "free");
    if (block) {
        size_t size = malloc_usable_size(block);
        if (size >= 256) memset(block, 0xFF, size);
    }
    next_free(block);
}

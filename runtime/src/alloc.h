/* alloc.h - every allocation librtk makes goes through these names.
 *
 * In the library (and in every normal build) they are the C library's own
 * functions, inline: no cost at all. Built with RTK_ALLOC_FAULTS (the
 * rtk_faults test library only, runtime/CMakeLists.txt) they go through
 * alloc_faults.c, which counts allocations, the memory still live, the
 * call sites reached, and can make a chosen allocation fail
 * (alloc_faults.h; tests/test_alloc_faults.cpp). Frees go through rtk__free
 * / rtk__munmap so that the live count is exact. */
#ifndef RTK_ALLOC_H
#define RTK_ALLOC_H

#include <stdlib.h>
#include <sys/mman.h>

#ifdef RTK_ALLOC_FAULTS

void *rtk__fault_malloc(size_t n, const char *file, int line);
void *rtk__fault_calloc(size_t n, size_t size, const char *file, int line);
void *rtk__fault_realloc(void *p, size_t n, const char *file, int line);
void *rtk__fault_aligned_alloc(size_t align, size_t n, const char *file,
                               int line);
void *rtk__fault_mmap(size_t n, const char *file, int line);
void rtk__fault_free(void *p);
void rtk__fault_munmap(void *p, size_t n);

#define rtk__malloc(n) rtk__fault_malloc((n), __FILE__, __LINE__)
#define rtk__calloc(n, s) rtk__fault_calloc((n), (s), __FILE__, __LINE__)
#define rtk__realloc(p, n) rtk__fault_realloc((p), (n), __FILE__, __LINE__)
#define rtk__aligned_alloc(a, n) \
    rtk__fault_aligned_alloc((a), (n), __FILE__, __LINE__)
/* An anonymous private read-write mapping of n bytes; MAP_FAILED if none. */
#define rtk__mmap(n) rtk__fault_mmap((n), __FILE__, __LINE__)
#define rtk__free(p) rtk__fault_free(p)
#define rtk__munmap(p, n) rtk__fault_munmap((p), (n))

#else

static inline void *rtk__malloc(size_t n) { return malloc(n); }
static inline void *rtk__calloc(size_t n, size_t s) { return calloc(n, s); }
static inline void *rtk__realloc(void *p, size_t n) { return realloc(p, n); }
static inline void *rtk__aligned_alloc(size_t a, size_t n)
{
    return aligned_alloc(a, n);
}
static inline void *rtk__mmap(size_t n)
{
    return mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                -1, 0);
}
static inline void rtk__free(void *p) { free(p); }
static inline void rtk__munmap(void *p, size_t n) { munmap(p, n); }

#endif

#endif /* RTK_ALLOC_H */

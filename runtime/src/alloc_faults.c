/* alloc_faults.c - the allocator of the rtk_faults test library
 * (RTK_ALLOC_FAULTS, alloc.h): the C library's functions plus counting,
 * call-site recording and planned failures (alloc_faults.h). Never part of
 * librtk. A failure is injected before the real call, so nothing leaks
 * from it; a planned failure of mmap returns MAP_FAILED. */
#include "alloc.h"
#include "alloc_faults.h"

#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define MAX_SITES 128

static atomic_long count, failures, live;
static atomic_long live_bytes; /* malloc_usable_size of each live block */
static atomic_long fail_at = -1;
static atomic_int persist;

static pthread_mutex_t sites_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    const char *file;
    int line;
    char name[96];
} sites[MAX_SITES];
static int nsites;

void rtk_test_alloc_reset(void)
{
    atomic_store(&fail_at, -1);
    atomic_store(&persist, 0);
    atomic_store(&count, 0);
    atomic_store(&failures, 0);
    pthread_mutex_lock(&sites_mu);
    nsites = 0;
    pthread_mutex_unlock(&sites_mu);
}

void rtk_test_alloc_fail_at(long k, int p)
{
    atomic_store(&persist, p);
    atomic_store(&fail_at, k < 0 ? -1 : atomic_load(&count) + k);
}

long rtk_test_alloc_count(void) { return atomic_load(&count); }
long rtk_test_alloc_failures(void) { return atomic_load(&failures); }
long rtk_test_alloc_live(void) { return atomic_load(&live); }
long rtk_test_alloc_live_bytes(void) { return atomic_load(&live_bytes); }

int rtk_test_alloc_sites(void)
{
    pthread_mutex_lock(&sites_mu);
    int n = nsites;
    pthread_mutex_unlock(&sites_mu);
    return n;
}

const char *rtk_test_alloc_site(int i)
{
    pthread_mutex_lock(&sites_mu);
    const char *s = i >= 0 && i < nsites ? sites[i].name : NULL;
    pthread_mutex_unlock(&sites_mu);
    return s;
}

static void note_site(const char *file, int line)
{
    pthread_mutex_lock(&sites_mu);
    int i = 0;
    while (i < nsites && !(sites[i].line == line && strcmp(sites[i].file, file) == 0))
        i++;
    if (i == nsites && nsites < MAX_SITES) {
        const char *base = strrchr(file, '/');
        sites[i].file = file;
        sites[i].line = line;
        snprintf(sites[i].name, sizeof sites[i].name, "%s:%d",
                 base ? base + 1 : file, line);
        nsites++;
    }
    pthread_mutex_unlock(&sites_mu);
}

/* Count one allocation at file:line; true if it is to fail. */
static int should_fail(const char *file, int line)
{
    note_site(file, line);
    long n = atomic_fetch_add(&count, 1);
    long at = atomic_load(&fail_at);
    if (at < 0 || n < at || (n > at && !atomic_load(&persist)))
        return 0;
    atomic_fetch_add(&failures, 1);
    return 1;
}

static void *counted(void *p)
{
    if (p) {
        atomic_fetch_add(&live, 1);
        atomic_fetch_add(&live_bytes, (long)malloc_usable_size(p));
    }
    return p;
}

void *rtk__fault_malloc(size_t n, const char *file, int line)
{
    return should_fail(file, line) ? NULL : counted(malloc(n));
}

void *rtk__fault_calloc(size_t n, size_t size, const char *file, int line)
{
    return should_fail(file, line) ? NULL : counted(calloc(n, size));
}

void *rtk__fault_realloc(void *p, size_t n, const char *file, int line)
{
    if (should_fail(file, line))
        return NULL; /* p is untouched, as realloc leaves it */
    long was = p ? (long)malloc_usable_size(p) : 0;
    void *q = realloc(p, n);
    if (!p)
        return counted(q);
    if (q) /* moved or resized: the old block's bytes are gone */
        atomic_fetch_add(&live_bytes, (long)malloc_usable_size(q) - was);
    else if (n == 0) /* realloc(p, 0) freed p */
        atomic_fetch_sub(&live, 1), atomic_fetch_sub(&live_bytes, was);
    return q;
}

void *rtk__fault_aligned_alloc(size_t align, size_t n, const char *file,
                               int line)
{
    return should_fail(file, line) ? NULL : counted(aligned_alloc(align, n));
}

void *rtk__fault_mmap(size_t n, const char *file, int line)
{
    if (should_fail(file, line))
        return MAP_FAILED;
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
        atomic_fetch_add(&live, 1);
        atomic_fetch_add(&live_bytes, (long)n);
    }
    return p;
}

void rtk__fault_free(void *p)
{
    if (p) {
        atomic_fetch_sub(&live, 1);
        atomic_fetch_sub(&live_bytes, (long)malloc_usable_size(p));
    }
    free(p);
}

void rtk__fault_munmap(void *p, size_t n)
{
    if (p) {
        atomic_fetch_sub(&live, 1);
        atomic_fetch_sub(&live_bytes, (long)n);
    }
    munmap(p, n);
}

/* alloc_faults.h - the control of the test allocator (alloc_faults.c).
 * Only the rtk_faults library (librtk built with RTK_ALLOC_FAULTS, for
 * tests) has these; librtk itself has none of them.
 *
 * Every allocation librtk makes (malloc, calloc, realloc, aligned_alloc,
 * mmap: alloc.h) is counted in call order from the last
 * rtk_test_alloc_reset(). Any thread may call these; the counters are
 * atomic. */
#ifndef RTK_ALLOC_FAULTS_H
#define RTK_ALLOC_FAULTS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Forget the counts, sites and failure plan (the live count is kept: it
 * is memory, not history). */
void rtk_test_alloc_reset(void);
/* Make allocation number k (0 = the next one) fail, and, if `persist`,
 * every one after it too; k < 0: none fails. */
void rtk_test_alloc_fail_at(long k, int persist);
/* Allocations attempted since the reset (failed ones included). */
long rtk_test_alloc_count(void);
/* How many allocations were made to fail since the reset. */
long rtk_test_alloc_failures(void);
/* Blocks librtk holds right now (allocated, not freed). */
long rtk_test_alloc_live(void);
/* Bytes those blocks hold (malloc_usable_size; a mapping's length). */
long rtk_test_alloc_live_bytes(void);
/* Distinct call sites (file:line) that allocated since the reset, and
 * the i-th of them as "file:line" (NULL past the end). */
int rtk_test_alloc_sites(void);
const char *rtk_test_alloc_site(int i);

#ifdef __cplusplus
}
#endif

#endif /* RTK_ALLOC_FAULTS_H */

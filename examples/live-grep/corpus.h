/* corpus.h - live-grep's generated corpus: n lines of words from a small
 * vocabulary, the same for the same seed, and counting the lines that
 * contain a string. */
#ifndef LIVE_GREP_CORPUS_H
#define LIVE_GREP_CORPUS_H

#include <stddef.h>
#include <stdint.h>

typedef struct corpus {
    char *text;     /* the lines, each NUL-terminated */
    size_t *start;  /* offset of line i in text */
    size_t n;
} corpus_t;

/* 0, or -1 when out of memory. O(n). */
int corpus_make(corpus_t *c, size_t n, uint64_t seed);
void corpus_free(corpus_t *c);

/* Lines in [from, from + n) that contain q ("" matches all). O(bytes). */
long corpus_count(const corpus_t *c, size_t from, size_t n, const char *q);

#endif

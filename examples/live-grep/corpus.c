/* corpus.c - see corpus.h. Lines are 4-12 words of a 32-word vocabulary,
 * drawn by xorshift64*; about 60 bytes a line. */
#define _GNU_SOURCE
#include "corpus.h"

#include <stdlib.h>
#include <string.h>

static const char *const words[32] = {
    "alpha", "buffer", "cursor", "delta", "editor", "frame", "gap",
    "hello", "input", "jump", "key", "line", "merge", "node", "open",
    "parse", "query", "render", "search", "token", "undo", "view",
    "world", "xor", "yank", "zoom", "event", "timer", "task", "loop",
    "stall", "grep"};

static uint64_t next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

int corpus_make(corpus_t *c, size_t n, uint64_t seed)
{
    memset(c, 0, sizeof *c);
    size_t cap = n * 64 + 1, used = 0;
    c->text = malloc(cap);
    c->start = malloc((n ? n : 1) * sizeof *c->start);
    if (!c->text || !c->start) {
        corpus_free(c);
        return -1;
    }
    uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 1;
    for (size_t i = 0; i < n; i++) {
        int nw = 4 + (int)(next(&s) % 9);
        if (used + (size_t)nw * 8 + 1 > cap) {
            cap *= 2;
            char *t = realloc(c->text, cap);
            if (!t) {
                corpus_free(c);
                return -1;
            }
            c->text = t;
        }
        c->start[i] = used;
        for (int w = 0; w < nw; w++) {
            const char *word = words[next(&s) % 32];
            size_t len = strlen(word);
            memcpy(c->text + used, word, len);
            used += len;
            c->text[used++] = w + 1 < nw ? ' ' : 0;
        }
    }
    c->n = n;
    return 0;
}

void corpus_free(corpus_t *c)
{
    free(c->text);
    free(c->start);
    memset(c, 0, sizeof *c);
}

long corpus_count(const corpus_t *c, size_t from, size_t n, const char *q)
{
    long k = 0;
    for (size_t i = from; i < from + n && i < c->n; i++)
        k += strstr(c->text + c->start[i], q) != NULL;
    return k;
}

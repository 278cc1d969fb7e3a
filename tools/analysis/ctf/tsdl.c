/* tsdl.c - CTF 1.8 metadata (TSDL) as LTTng-UST 2.x writes it, parsed into
 * the type tree of tsdl.h.
 *
 * A recursive-descent parser over tsdl_lex.c's tokens. Every allocation
 * goes to one arena (freed as a whole by rtt_tsdl_free), so a failure
 * anywhere longjmps back to rtt_tsdl_parse with the message set and
 * nothing leaks. Named types (typealias, typedef, `struct NAME`,
 * `enum NAME`, `variant NAME`) live in one table for the parse; their type
 * nodes are shared by every use. A variant's tag and a sequence's length
 * are resolved to the index of a member declared before them in the same
 * struct. Garbage is bounded: nesting depth 32, 4096 named types, 4096
 * members per struct, 65536 enum labels (and env keys, clocks, streams,
 * events), identifiers and strings of 4096 bytes, 64 MiB of text.
 * Cost: O(text size): names (types, a struct's members) are found through
 * hash indexes.
 */
#define _POSIX_C_SOURCE 200809L
#include "tsdl.h"

#include "metadata_text.h"
#include "tsdl_lex.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32
#define MAX_NAMED 4096
#define MAX_ITEMS 65536 /* enum labels, env keys, clocks, events, ... */
#define MAX_MEMBERS 4096 /* of a struct or variant */
#define MAX_STR 4096
#define MAX_WORDS 8     /* words of a type name: `unsigned long int` */
#define MAX_WORD 256    /* bytes of one of them */
#define MAX_DIMS 8      /* [..] suffixes of one declarator */
#define MAX_ARRAY (1ull << 30)
#define MAX_NODES 65536 /* a type written out: see rtt_type.nodes */

typedef struct arena {
    void **p;
    size_t n, cap;
} arena_t;

typedef struct named {
    char *name; /* "uint32_t", "unsigned long", "struct X", "enum X" */
    rtt_type_t *type;
    char *tag; /* a variant's <tag> given with the name, or NULL */
} named_t;

/* Names to small integers: open addressing in a power-of-two table kept
 * at most half full, in the arena. */
typedef struct nameidx {
    struct slot {
        const char *name;
        int i;
    } *s;
    size_t cap, n;
} nameidx_t;

typedef struct parser {
    rtt_lex_t lx;
    rtt_ctf_meta_t *m;
    arena_t *ar;
    named_t *named;
    size_t nnamed, capnamed;
    nameidx_t named_idx;
    size_t capenv, capclocks, capstreams, capevents;
    int depth;
    const char *block; /* the top-level block being read, for EOF errors */
    int block_line;
    char *err;
    size_t errlen;
    jmp_buf fail;
} parser_t;

static void fail(parser_t *p, int line, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "metadata line %d: %s", line, what);
    longjmp(p->fail, 1);
}

static void *alloc(parser_t *p, size_t n)
{
    arena_t *a = p->ar;
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        void **np = realloc(a->p, cap * sizeof *np);
        if (!np)
            fail(p, p->lx.tok.line, "out of memory");
        a->p = np;
        a->cap = cap;
    }
    void *q = calloc(1, n ? n : 1);
    if (!q)
        fail(p, p->lx.tok.line, "out of memory");
    a->p[a->n++] = q;
    return q;
}

/* Room for one more item of size sz in *arr (n items, *cap room). */
static void *grow(parser_t *p, void *arr, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return arr;
    if (n >= MAX_ITEMS)
        fail(p, p->lx.tok.line, "more than %d items in one block", MAX_ITEMS);
    size_t nc = *cap ? *cap * 2 : 8;
    void *na = alloc(p, nc * sz);
    if (n)
        memcpy(na, arr, n * sz);
    *cap = nc;
    return na;
}

static char *strndup_arena(parser_t *p, const char *s, size_t n)
{
    char *d = alloc(p, n + 1);
    memcpy(d, s, n);
    return d;
}

/* ---- tokens ------------------------------------------------------------ */

static const rtt_tok_t *tok(parser_t *p)
{
    if (p->lx.tok.kind == RTT_TOK_ERROR)
        fail(p, p->lx.tok.line, "%.*s", (int)p->lx.tok.n, p->lx.tok.s);
    if (p->lx.tok.n > MAX_STR)
        fail(p, p->lx.tok.line, "token longer than %d bytes", MAX_STR);
    return &p->lx.tok;
}

static void next(parser_t *p)
{
    rtt_lex_next(&p->lx);
    tok(p);
}

static void unexpected(parser_t *p, const char *want)
{
    const rtt_tok_t *t = tok(p);
    if (t->kind == RTT_TOK_END) {
        if (p->block)
            fail(p, t->line, "end of metadata inside the %s block of line %d",
                 p->block, p->block_line);
        fail(p, t->line, "unexpected end of metadata");
    }
    fail(p, t->line, "expected %s, found '%.*s'", want,
         (int)(t->n > 40 ? 40 : t->n), t->s);
}

static int accept(parser_t *p, const char *s)
{
    if (!rtt_lex_is(&p->lx, s))
        return 0;
    next(p);
    return 1;
}

static void expect(parser_t *p, const char *s)
{
    if (!accept(p, s)) {
        char want[16];
        snprintf(want, sizeof want, "'%s'", s);
        unexpected(p, want);
    }
}

static char *ident(parser_t *p)
{
    if (tok(p)->kind != RTT_TOK_IDENT)
        unexpected(p, "a name");
    char *s = strndup_arena(p, p->lx.tok.s, p->lx.tok.n);
    next(p);
    return s;
}

/* a.b.c (an attribute name, a clock path, a tag path) */
static char *path(parser_t *p)
{
    char buf[MAX_STR + 1];
    size_t n = 0;
    do {
        if (tok(p)->kind != RTT_TOK_IDENT)
            unexpected(p, "a name");
        if (n + p->lx.tok.n + 1 > MAX_STR)
            fail(p, p->lx.tok.line, "name longer than %d bytes", MAX_STR);
        if (n)
            buf[n++] = '.';
        memcpy(buf + n, p->lx.tok.s, p->lx.tok.n);
        n += p->lx.tok.n;
        next(p);
    } while (accept(p, "."));
    return strndup_arena(p, buf, n);
}

static char *string(parser_t *p)
{
    if (tok(p)->kind != RTT_TOK_STRING)
        unexpected(p, "a quoted string");
    const char *s = p->lx.tok.s;
    size_t n = p->lx.tok.n, o = 0;
    char *d = alloc(p, n + 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            i++;
            d[o++] = s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i];
        } else {
            d[o++] = s[i];
        }
    }
    next(p);
    return d;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* An unsigned number; neg set when written with a leading '-'. */
static uint64_t number(parser_t *p, int *neg)
{
    *neg = accept(p, "-");
    if (!*neg)
        accept(p, "+");
    const rtt_tok_t *t = tok(p);
    if (t->kind != RTT_TOK_NUM)
        unexpected(p, "a number");
    size_t i = 0, n = t->n;
    while (n > 1 && (t->s[n - 1] == 'u' || t->s[n - 1] == 'U' ||
                     t->s[n - 1] == 'l' || t->s[n - 1] == 'L'))
        n--;
    unsigned base = 10;
    if (n > 2 && t->s[0] == '0' && (t->s[1] == 'x' || t->s[1] == 'X'))
        base = 16, i = 2;
    else if (n > 1 && t->s[0] == '0')
        base = 8, i = 1;
    uint64_t v = 0;
    for (; i < n; i++) {
        int d = hexval(t->s[i]);
        d = d < 0 ? 99 : d;
        if ((unsigned)d >= base)
            fail(p, t->line, "bad number '%.*s'", (int)t->n, t->s);
        if (v > (UINT64_MAX - (unsigned)d) / base)
            fail(p, t->line, "number out of range '%.*s'", (int)t->n, t->s);
        v = v * base + (unsigned)d;
    }
    next(p);
    return v;
}

static uint64_t unsigned_num(parser_t *p, uint64_t max)
{
    int line = tok(p)->line, neg;
    uint64_t v = number(p, &neg);
    if ((neg && v) || v > max)
        fail(p, line, "number out of range");
    return v;
}

/* A signed value, or the bits of an unsigned one above INT64_MAX. */
static int64_t signed_num(parser_t *p)
{
    int line = tok(p)->line, neg;
    uint64_t v = number(p, &neg);
    if (neg && v > (uint64_t)INT64_MAX + 1)
        fail(p, line, "number out of range");
    return neg ? (int64_t)(0 - v) : (int64_t)v;
}

static int boolean(parser_t *p)
{
    if (accept(p, "true") || accept(p, "TRUE"))
        return 1;
    if (accept(p, "false") || accept(p, "FALSE"))
        return 0;
    return unsigned_num(p, 1) != 0;
}

/* The value of an attribute this reader does not use. */
static void skip_value(parser_t *p)
{
    while (!rtt_lex_is(&p->lx, ";") && !rtt_lex_is(&p->lx, "}")) {
        if (tok(p)->kind == RTT_TOK_END || rtt_lex_is(&p->lx, "{"))
            unexpected(p, "';'");
        next(p);
    }
}

static void uuid(parser_t *p, unsigned char u[16])
{
    int line = tok(p)->line;
    const char *s = string(p);
    for (int i = 0; i < 16; i++) {
        if (*s == '-' && (i == 4 || i == 6 || i == 8 || i == 10))
            s++;
        int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
        if (lo < 0)
            fail(p, line, "bad uuid");
        u[i] = (unsigned char)(hi << 4 | lo);
        s += 2;
    }
    if (*s)
        fail(p, line, "bad uuid");
}

/* ---- name indexes ------------------------------------------------------ */

static size_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return (size_t)h;
}

static int idx_get(const nameidx_t *h, const char *name)
{
    if (!h->cap)
        return -1;
    for (size_t j = hash(name) & (h->cap - 1);; j = (j + 1) & (h->cap - 1)) {
        if (!h->s[j].name)
            return -1;
        if (strcmp(h->s[j].name, name) == 0)
            return h->s[j].i;
    }
}

static void idx_put(parser_t *p, nameidx_t *h, const char *name, int i)
{
    if (2 * (h->n + 1) > h->cap) {
        nameidx_t g = {NULL, h->cap ? h->cap * 2 : 16, 0};
        g.s = alloc(p, g.cap * sizeof *g.s);
        for (size_t j = 0; j < h->cap; j++)
            if (h->s[j].name)
                idx_put(p, &g, h->s[j].name, h->s[j].i);
        *h = g;
    }
    size_t j = hash(name) & (h->cap - 1);
    while (h->s[j].name)
        j = (j + 1) & (h->cap - 1);
    h->s[j].name = name;
    h->s[j].i = i;
    h->n++;
}

/* ---- named types ------------------------------------------------------- */

static named_t *lookup(parser_t *p, const char *name)
{
    int i = idx_get(&p->named_idx, name);
    return i < 0 ? NULL : &p->named[i];
}

static void define(parser_t *p, int line, char *name, rtt_type_t *t, char *tag)
{
    if (lookup(p, name))
        fail(p, line, "type '%s' defined twice", name);
    if (p->nnamed >= MAX_NAMED)
        fail(p, line, "more than %d named types", MAX_NAMED);
    p->named = grow(p, p->named, p->nnamed, &p->capnamed, sizeof *p->named);
    idx_put(p, &p->named_idx, name, (int)p->nnamed);
    p->named[p->nnamed++] = (named_t){name, t, tag};
}

static char *prefixed(parser_t *p, const char *kw, const char *name)
{
    size_t n = strlen(kw) + strlen(name) + 2;
    char *s = alloc(p, n);
    snprintf(s, n, "%s %s", kw, name);
    return s;
}

static rtt_type_t *new_type(parser_t *p, rtt_tkind_t kind)
{
    rtt_type_t *t = alloc(p, sizeof *t);
    t->kind = kind;
    t->align = 8;
    t->clock = -1;
    t->len_member = -1;
    t->tag_member = -1;
    t->nodes = 1;
    return t;
}

static rtt_type_t *copy_type(parser_t *p, const rtt_type_t *t)
{
    rtt_type_t *c = alloc(p, sizeof *c);
    *c = *t; /* arrays stay shared: the arena owns them */
    return c;
}

/* ---- types ------------------------------------------------------------- */

enum { W_ALL, W_DECL }; /* the words read are all the type / end in a name */

static rtt_type_t *type_spec(parser_t *p, int mode, char **tag, char **name);

static int clock_index(parser_t *p, int line, const char *path)
{
    size_t n = strlen(path);
    if (n > 12 && strncmp(path, "clock.", 6) == 0 &&
        strcmp(path + n - 6, ".value") == 0)
        for (size_t i = 0; i < p->m->nclocks; i++) {
            const char *c = p->m->clocks[i].name;
            if (c && strlen(c) == n - 12 && strncmp(path + 6, c, n - 12) == 0)
                return (int)i;
        }
    fail(p, line, "map to an unknown clock '%s'", path);
    return -1;
}

static void check_align(parser_t *p, int line, uint64_t a)
{
    if (a == 0 || (a & (a - 1)) || a > 1u << 20)
        fail(p, line, "alignment %llu is not a power of two up to 2^20",
             (unsigned long long)a);
}

/* integer { ... } and floating_point { ... }, after the keyword */
static rtt_type_t *number_type(parser_t *p, int is_float)
{
    int line = tok(p)->line, have_align = 0;
    uint64_t exp_dig = 0, mant_dig = 0;
    rtt_type_t *t = new_type(p, is_float ? RTT_T_FLOAT : RTT_T_INT);
    t->size = 0;
    expect(p, "{");
    while (!accept(p, "}")) {
        int aline = tok(p)->line;
        char *a = path(p);
        expect(p, "=");
        if (!is_float && strcmp(a, "size") == 0) {
            t->size = (unsigned)unsigned_num(p, 64);
            if (t->size == 0)
                fail(p, aline, "integer size 0");
        } else if (strcmp(a, "align") == 0) {
            uint64_t v = unsigned_num(p, UINT64_MAX);
            check_align(p, aline, v);
            t->align = (unsigned)v;
            have_align = 1;
        } else if (!is_float && strcmp(a, "signed") == 0) {
            t->is_signed = boolean(p);
        } else if (!is_float && strcmp(a, "encoding") == 0) {
            char *e = ident(p);
            if (strcmp(e, "UTF8") == 0 || strcmp(e, "ASCII") == 0 ||
                strcmp(e, "utf8") == 0 || strcmp(e, "ascii") == 0)
                t->is_text = 1;
            else if (strcmp(e, "none") != 0)
                fail(p, aline, "unknown encoding '%s'", e);
        } else if (strcmp(a, "byte_order") == 0) {
            char *b = ident(p);
            if (strcmp(b, "be") == 0 || strcmp(b, "network") == 0)
                fail(p, aline, "big-endian %s: not supported",
                     is_float ? "floating point" : "integer");
            if (strcmp(b, "le") != 0 && strcmp(b, "native") != 0)
                fail(p, aline, "unknown byte_order '%s'", b);
        } else if (!is_float && strcmp(a, "map") == 0) {
            t->clock = clock_index(p, aline, path(p));
        } else if (is_float && strcmp(a, "exp_dig") == 0) {
            exp_dig = unsigned_num(p, 64);
        } else if (is_float && strcmp(a, "mant_dig") == 0) {
            mant_dig = unsigned_num(p, 64);
        } else {
            skip_value(p); /* base, and what this reader does not use */
        }
        if (!rtt_lex_is(&p->lx, "}"))
            expect(p, ";");
    }
    if (is_float) {
        if (!((exp_dig == 8 && mant_dig == 24) || (exp_dig == 11 && mant_dig == 53)))
            fail(p, line, "floating point of %llu+%llu digits: not supported",
                 (unsigned long long)exp_dig, (unsigned long long)mant_dig);
        t->size = (unsigned)(exp_dig + mant_dig);
    } else if (t->size == 0) {
        fail(p, line, "integer without a size");
    }
    if (!have_align)
        t->align = t->size % 8 == 0 ? 8 : 1;
    return t;
}

/* The index of a member declared before (members: an index of their
 * names), by name as written, else with one leading '_' more, else one
 * less; -1 if none. */
static int sibling(parser_t *p, const nameidx_t *members, const char *name)
{
    int i = idx_get(members, name);
    if (i >= 0)
        return i;
    size_t n = strlen(name);
    char *under = alloc(p, n + 2);
    under[0] = '_';
    memcpy(under + 1, name, n);
    i = idx_get(members, under);
    return i >= 0 || name[0] != '_' ? i : idx_get(members, name + 1);
}

/* Whether every instance of t holds at least one bit of data (else an
 * array of it would cost a decoder work without reading anything). Cost:
 * O(t->nodes). */
static int has_data(const rtt_type_t *t)
{
    switch (t->kind) {
    case RTT_T_INT:
    case RTT_T_FLOAT:
    case RTT_T_STRING:
        return 1;
    case RTT_T_ARRAY:
        return t->length > 0 && has_data(t->elem);
    case RTT_T_SEQ:
        return 0;
    case RTT_T_STRUCT:
        for (size_t i = 0; i < t->nmemb; i++)
            if (has_data(t->memb[i].type))
                return 1;
        return 0;
    case RTT_T_VARIANT:
        for (size_t i = 0; i < t->nmemb; i++)
            if (!has_data(t->memb[i].type))
                return 0;
        return t->nmemb > 0;
    }
    return 0;
}

/* Members of a struct body, or options of a variant body, up to '}'. */
static void fields(parser_t *p, rtt_type_t *st, int is_struct)
{
    size_t cap = 0;
    nameidx_t idx = {NULL, 0, 0};
    while (!accept(p, "}")) {
        if (tok(p)->kind == RTT_TOK_END)
            unexpected(p, "'}'");
        if (accept(p, ";"))
            continue;
        int line = tok(p)->line;
        char *tag = NULL, *name = NULL;
        rtt_type_t *t = type_spec(p, W_DECL, &tag, &name);
        if (!name)
            name = ident(p);
        if (t->kind == RTT_T_VARIANT) {
            int i = tag && is_struct ? sibling(p, &idx, tag) : -1;
            if (!tag)
                fail(p, line, "variant '%s' without a tag", name);
            if (i < 0)
                fail(p, line, "variant tag '%s' is not a member before '%s'",
                     tag, name);
            if (st->memb[i].type->kind != RTT_T_INT || !st->memb[i].type->nmap)
                fail(p, line, "variant tag '%s' is not an enum", tag);
            t = copy_type(p, t);
            t->tag_member = i;
        }
        /* name[a][b]: an array of a arrays of b elements */
        struct { int seq; uint64_t n; } dim[MAX_DIMS];
        int nd = 0;
        while (accept(p, "[")) {
            if (nd == MAX_DIMS)
                fail(p, line, "more than %d dimensions", MAX_DIMS);
            if (tok(p)->kind == RTT_TOK_NUM) {
                dim[nd].seq = 0;
                dim[nd].n = unsigned_num(p, MAX_ARRAY);
            } else {
                char *len = path(p);
                int i = is_struct ? sibling(p, &idx, len) : -1;
                if (i < 0)
                    fail(p, line, "sequence length '%s' is not a member before '%s'",
                         len, name);
                if (st->memb[i].type->kind != RTT_T_INT || st->memb[i].type->is_signed)
                    fail(p, line, "sequence length '%s' is not an unsigned integer",
                         len);
                dim[nd].seq = 1;
                dim[nd].n = (uint64_t)i;
            }
            expect(p, "]");
            nd++;
        }
        while (nd-- > 0) {
            if (!has_data(t))
                fail(p, line, "array or sequence '%s' of elements that hold no data",
                     name);
            rtt_type_t *a = new_type(p, dim[nd].seq ? RTT_T_SEQ : RTT_T_ARRAY);
            a->nodes = t->nodes + 1;
            a->elem = t;
            a->align = t->align;
            if (dim[nd].seq)
                a->len_member = (int)dim[nd].n;
            else
                a->length = dim[nd].n;
            t = a;
        }
        if (idx_get(&idx, name) >= 0)
            fail(p, line, "field '%s' declared twice", name);
        if (st->nmemb == MAX_MEMBERS)
            fail(p, line, "more than %d fields", MAX_MEMBERS);
        st->memb = grow(p, st->memb, st->nmemb, &cap, sizeof *st->memb);
        idx_put(p, &idx, name, (int)st->nmemb);
        st->memb[st->nmemb++] = (rtt_member_t){name, t};
        st->nodes += t->nodes;
        if (st->nodes > MAX_NODES)
            fail(p, line, "a type of more than %d nodes written out", MAX_NODES);
        if (is_struct && t->align > st->align)
            st->align = t->align;
        expect(p, ";");
    }
}

/* struct/variant/enum [NAME]: the definition, or the named type. */
static rtt_type_t *compound(parser_t *p, const char *kw, char **tag)
{
    int line = tok(p)->line;
    char *name = tok(p)->kind == RTT_TOK_IDENT ? ident(p) : NULL;
    rtt_type_t *t = NULL;
    if (strcmp(kw, "variant") == 0 && accept(p, "<")) {
        *tag = path(p);
        expect(p, ">");
    }
    if (strcmp(kw, "enum") == 0 && (accept(p, ":") || rtt_lex_is(&p->lx, "{"))) {
        rtt_type_t *c;
        if (rtt_lex_is(&p->lx, "{")) {
            named_t *d = lookup(p, "int");
            if (!d)
                fail(p, line, "enum without a container type ('int' undefined)");
            c = d->type;
        } else {
            c = type_spec(p, W_ALL, NULL, NULL);
        }
        if (c->kind != RTT_T_INT || c->nmap)
            fail(p, line, "enum container is not an integer");
        t = copy_type(p, c);
        t->nmap = 0;
        t->map = NULL;
        expect(p, "{");
        size_t cap = 0;
        int64_t nextv = 0;
        while (!accept(p, "}")) {
            rtt_enum_map_t e;
            e.label = tok(p)->kind == RTT_TOK_STRING ? string(p) : ident(p);
            e.lo = e.hi = nextv;
            if (accept(p, "=")) {
                e.lo = e.hi = signed_num(p);
                if (accept(p, "..."))
                    e.hi = signed_num(p);
                if (t->is_signed ? e.hi < e.lo : (uint64_t)e.hi < (uint64_t)e.lo)
                    fail(p, p->lx.tok.line, "enum range of '%s' ends below its start",
                         e.label);
            }
            nextv = (int64_t)((uint64_t)e.hi + 1);
            t->map = grow(p, t->map, t->nmap, &cap, sizeof *t->map);
            t->map[t->nmap++] = e;
            if (!accept(p, ",")) {
                expect(p, "}");
                break;
            }
        }
        if (!t->nmap)
            fail(p, line, "enum without labels");
    } else if (strcmp(kw, "enum") != 0 && accept(p, "{")) {
        t = new_type(p, kw[0] == 's' ? RTT_T_STRUCT : RTT_T_VARIANT);
        t->align = 1;
        fields(p, t, kw[0] == 's');
        if (kw[0] == 's' && accept(p, "align")) {
            expect(p, "(");
            int aline = tok(p)->line;
            uint64_t a = unsigned_num(p, UINT64_MAX);
            check_align(p, aline, a);
            expect(p, ")");
            if (a > t->align)
                t->align = (unsigned)a;
        }
    } else {
        if (!name)
            unexpected(p, "'{'");
        named_t *d = lookup(p, prefixed(p, kw, name));
        if (!d)
            fail(p, line, "unknown %s '%s'", kw, name);
        return d->type;
    }
    if (name)
        define(p, line, prefixed(p, kw, name), t, NULL);
    return t;
}

/* A run of words, "" if none; W_DECL: the last one is returned in *name
 * (not part of the type name). */
static const char *words(parser_t *p, int mode, char **name, char *buf)
{
    int line = tok(p)->line, nw = 0;
    size_t n = 0, last = 0;
    while (tok(p)->kind == RTT_TOK_IDENT) {
        if (nw == MAX_WORDS || p->lx.tok.n > MAX_WORD)
            fail(p, line, "type name longer than %d words of %d bytes",
                 MAX_WORDS, MAX_WORD);
        last = n;
        if (nw++)
            buf[n++] = ' ';
        memcpy(buf + n, p->lx.tok.s, p->lx.tok.n);
        n += p->lx.tok.n;
        next(p);
    }
    buf[n] = '\0';
    if (mode == W_DECL) {
        if (nw < 2)
            fail(p, line, "unknown type '%s' (or a field without a name)", buf);
        *name = strndup_arena(p, buf + last + 1, n - last - 1);
        buf[last] = '\0';
    }
    return buf;
}

/* A named type (W_DECL: with the declarator's name after it). */
static named_t *type_name(parser_t *p, int mode, char **name)
{
    int line = tok(p)->line;
    char buf[MAX_WORDS * (MAX_WORD + 1) + 1];
    named_t *d = lookup(p, words(p, mode, name, buf));
    if (!d)
        fail(p, line, "unknown type '%s'", buf);
    return d;
}

/* A type specifier. W_DECL: a run of words ends with the declarator's
 * name, returned in *name. A variant's <tag> is returned in *tag. */
static rtt_type_t *type_spec(parser_t *p, int mode, char **tag, char **name)
{
    int line = tok(p)->line;
    char *unused = NULL;
    if (!tag)
        tag = &unused;
    *tag = NULL;
    if (++p->depth > MAX_DEPTH)
        fail(p, line, "types nested deeper than %d", MAX_DEPTH);
    rtt_type_t *t;
    if (tok(p)->kind != RTT_TOK_IDENT)
        unexpected(p, "a type");
    if (accept(p, "integer")) {
        t = number_type(p, 0);
    } else if (accept(p, "floating_point")) {
        t = number_type(p, 1);
    } else if (accept(p, "string")) {
        t = new_type(p, RTT_T_STRING);
        if (accept(p, "{")) {
            while (!accept(p, "}")) {
                path(p);
                expect(p, "=");
                skip_value(p);
                if (!rtt_lex_is(&p->lx, "}"))
                    expect(p, ";");
            }
        }
    } else if (accept(p, "struct")) {
        t = compound(p, "struct", tag);
    } else if (accept(p, "variant")) {
        t = compound(p, "variant", tag);
    } else if (accept(p, "enum")) {
        t = compound(p, "enum", tag);
    } else {
        named_t *d = type_name(p, mode, name);
        t = d->type;
        *tag = d->tag;
    }
    p->depth--;
    return t;
}

/* ---- top-level blocks -------------------------------------------------- */

static void typealias(parser_t *p, int is_typedef)
{
    int line = tok(p)->line;
    char *tag = NULL, *name = NULL;
    rtt_type_t *t = type_spec(p, is_typedef ? W_DECL : W_ALL, &tag, &name);
    if (!is_typedef) {
        expect(p, ":=");
        char buf[MAX_WORDS * (MAX_WORD + 1) + 1];
        if (!*words(p, W_ALL, NULL, buf))
            unexpected(p, "a type name");
        name = strndup_arena(p, buf, strlen(buf));
    } else if (!name) {
        name = ident(p);
    }
    define(p, line, name, t, tag);
    expect(p, ";");
}

static rtt_type_t *scope(parser_t *p, const char *what)
{
    int line = tok(p)->line;
    char *tag = NULL;
    rtt_type_t *t = type_spec(p, W_ALL, &tag, NULL);
    if (t->kind != RTT_T_STRUCT)
        fail(p, line, "%s is not a struct", what);
    return t;
}

enum { B_TRACE, B_ENV, B_CLOCK, B_STREAM, B_EVENT };

static void attribute(parser_t *p, int kind, const char *a, int line)
{
    rtt_ctf_meta_t *m = p->m;
    if (kind == B_ENV) {
        rtt_ctf_env_t *e = &m->env[m->nenv - 1];
        e->name = (char *)a;
        if (tok(p)->kind == RTT_TOK_STRING)
            e->s = string(p);
        else if (tok(p)->kind == RTT_TOK_IDENT)
            e->s = ident(p);
        else
            e->is_int = 1, e->i = signed_num(p);
    } else if (kind == B_TRACE && strcmp(a, "major") == 0) {
        m->major = (int)unsigned_num(p, 1000);
    } else if (kind == B_TRACE && strcmp(a, "minor") == 0) {
        m->minor = (int)unsigned_num(p, 1000);
    } else if (kind == B_TRACE && strcmp(a, "uuid") == 0) {
        uuid(p, m->uuid);
        m->have_uuid = 1;
    } else if (kind == B_TRACE && strcmp(a, "byte_order") == 0) {
        char *b = ident(p);
        if (strcmp(b, "be") == 0 || strcmp(b, "network") == 0) {
            m->big_endian = 1;
            fail(p, line, "big-endian trace: not supported");
        }
        if (strcmp(b, "le") != 0 && strcmp(b, "native") != 0)
            fail(p, line, "unknown byte_order '%s'", b);
    } else if (kind == B_CLOCK) {
        rtt_ctf_clock_t *c = &m->clocks[m->nclocks - 1];
        if (strcmp(a, "name") == 0) {
            char *n = tok(p)->kind == RTT_TOK_STRING ? string(p) : ident(p);
            for (size_t i = 0; i + 1 < m->nclocks; i++)
                if (strcmp(m->clocks[i].name, n) == 0)
                    fail(p, line, "clock '%s' defined twice", n);
            c->name = n;
        } else if (strcmp(a, "uuid") == 0) {
            uuid(p, c->uuid);
            c->have_uuid = 1;
        } else if (strcmp(a, "freq") == 0) {
            c->freq = unsigned_num(p, UINT64_MAX);
            if (!c->freq)
                fail(p, line, "clock frequency 0");
        } else if (strcmp(a, "offset_s") == 0) {
            c->offset_s = signed_num(p);
        } else if (strcmp(a, "offset") == 0) {
            c->offset = signed_num(p);
        } else {
            skip_value(p); /* description, precision, absolute */
        }
    } else if (kind == B_STREAM && strcmp(a, "id") == 0) {
        m->streams[m->nstreams - 1].id = unsigned_num(p, UINT64_MAX);
    } else if (kind == B_EVENT && strcmp(a, "name") == 0) {
        m->events[m->nevents - 1].name =
            tok(p)->kind == RTT_TOK_STRING ? string(p) : ident(p);
    } else if (kind == B_EVENT && strcmp(a, "id") == 0) {
        m->events[m->nevents - 1].id = unsigned_num(p, UINT64_MAX);
    } else if (kind == B_EVENT && strcmp(a, "stream_id") == 0) {
        m->events[m->nevents - 1].stream_id = unsigned_num(p, UINT64_MAX);
    } else {
        skip_value(p); /* loglevel, model.emf.uri, ... */
    }
}

static void assignment(parser_t *p, int kind, const char *a)
{
    rtt_ctf_meta_t *m = p->m;
    rtt_type_t *t = scope(p, a);
    if (kind == B_TRACE && strcmp(a, "packet.header") == 0)
        m->packet_header = t;
    else if (kind == B_STREAM && strcmp(a, "event.header") == 0)
        m->streams[m->nstreams - 1].event_header = t;
    else if (kind == B_STREAM && strcmp(a, "packet.context") == 0)
        m->streams[m->nstreams - 1].packet_context = t;
    else if (kind == B_STREAM && strcmp(a, "event.context") == 0)
        m->streams[m->nstreams - 1].event_context = t;
    else if (kind == B_EVENT && strcmp(a, "context") == 0)
        m->events[m->nevents - 1].context = t;
    else if (kind == B_EVENT && strcmp(a, "fields") == 0)
        m->events[m->nevents - 1].fields = t;
}

static void block(parser_t *p, int kind, const char *what)
{
    rtt_ctf_meta_t *m = p->m;
    p->block = what;
    p->block_line = tok(p)->line;
    next(p);
    if (kind == B_CLOCK) {
        m->clocks = grow(p, m->clocks, m->nclocks, &p->capclocks, sizeof *m->clocks);
        m->clocks[m->nclocks++].freq = 1000000000;
    } else if (kind == B_STREAM) {
        m->streams = grow(p, m->streams, m->nstreams, &p->capstreams,
                          sizeof *m->streams);
        m->nstreams++;
    } else if (kind == B_EVENT) {
        m->events = grow(p, m->events, m->nevents, &p->capevents, sizeof *m->events);
        m->nevents++;
    }
    expect(p, "{");
    while (!accept(p, "}")) {
        if (accept(p, ";"))
            continue;
        int line = tok(p)->line;
        char *a = path(p);
        if (kind == B_ENV) {
            m->env = grow(p, m->env, m->nenv, &p->capenv, sizeof *m->env);
            m->nenv++;
        }
        if (kind != B_ENV && accept(p, ":="))
            assignment(p, kind, a);
        else if (accept(p, "="))
            attribute(p, kind, a, line);
        else
            unexpected(p, "'=' or ':='");
        expect(p, ";");
    }
    if (kind == B_CLOCK && !m->clocks[m->nclocks - 1].name)
        fail(p, p->block_line, "clock without a name");
    if (kind == B_EVENT && !m->events[m->nevents - 1].name)
        fail(p, p->block_line, "event without a name");
    expect(p, ";");
    p->block = NULL;
}

/* callsite { ... }; is skipped, braces balanced */
static void skip_block(parser_t *p)
{
    p->block = "callsite";
    p->block_line = tok(p)->line;
    next(p);
    expect(p, "{");
    for (int d = 1; d > 0;) {
        if (tok(p)->kind == RTT_TOK_END)
            unexpected(p, "'}'");
        if (rtt_lex_is(&p->lx, "{") && ++d > MAX_DEPTH)
            fail(p, tok(p)->line, "blocks nested deeper than %d", MAX_DEPTH);
        if (rtt_lex_is(&p->lx, "}"))
            d--;
        next(p);
    }
    expect(p, ";");
    p->block = NULL;
}

static void top_level(parser_t *p)
{
    static const char *const kinds[] = {"trace", "env", "clock", "stream", "event"};
    while (tok(p)->kind != RTT_TOK_END) {
        if (accept(p, ";"))
            continue;
        if (tok(p)->kind != RTT_TOK_IDENT)
            unexpected(p, "a block");
        int k = -1;
        for (int i = 0; i < 5; i++)
            if (rtt_lex_is(&p->lx, kinds[i]))
                k = i;
        if (k >= 0) {
            block(p, k, kinds[k]);
        } else if (accept(p, "typealias")) {
            typealias(p, 0);
        } else if (accept(p, "typedef")) {
            typealias(p, 1);
        } else if (rtt_lex_is(&p->lx, "callsite")) {
            skip_block(p);
        } else if (rtt_lex_is(&p->lx, "struct") || rtt_lex_is(&p->lx, "enum") ||
                   rtt_lex_is(&p->lx, "variant")) {
            type_spec(p, W_ALL, NULL, NULL);
            expect(p, ";");
        } else {
            fail(p, tok(p)->line, "unknown block '%.*s'",
                 (int)(p->lx.tok.n > 40 ? 40 : p->lx.tok.n), p->lx.tok.s);
        }
    }
}

/* ---- API --------------------------------------------------------------- */

int rtt_tsdl_parse(const char *text, size_t len, rtt_ctf_meta_t *m, char *err,
                   size_t errlen)
{
    memset(m, 0, sizeof *m);
    if (errlen)
        err[0] = '\0';
    arena_t *ar = calloc(1, sizeof *ar);
    if (!ar) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->arena = ar;
    parser_t *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    p->m = m;
    p->ar = ar;
    p->err = err;
    p->errlen = errlen;
    int rc = 0;
    if (setjmp(p->fail) == 0) {
        if (len > RTT_META_MAX)
            fail(p, 1, "metadata larger than %u MiB", RTT_META_MAX >> 20);
        rtt_lex_init(&p->lx, text, len);
        top_level(p);
    } else {
        rc = -1;
    }
    free(p);
    return rc;
}

int rtt_tsdl_read(const char *dir, rtt_ctf_meta_t *m, char *err, size_t errlen)
{
    char path[4200];
    memset(m, 0, sizeof *m);
    snprintf(path, sizeof path, "%s/metadata", dir);
    char *text;
    size_t n;
    unsigned char u[16];
    int have_u;
    int e = rtt_meta_text(path, &text, &n, u, &have_u);
    if (e) {
        snprintf(err, errlen, "%s: %s", strerror(e), path);
        return -1;
    }
    char perr[512];
    int rc = rtt_tsdl_parse(text, n, m, perr, sizeof perr);
    free(text);
    if (rc == 0 && have_u && m->have_uuid && memcmp(u, m->uuid, 16) != 0) {
        snprintf(perr, sizeof perr, "the packets' uuid is not the trace's");
        rc = -1;
    }
    if (rc)
        snprintf(err, errlen, "%s: %s", path, perr);
    return rc;
}

void rtt_tsdl_free(rtt_ctf_meta_t *m)
{
    arena_t *a = m->arena;
    if (a) {
        for (size_t i = 0; i < a->n; i++)
            free(a->p[i]);
        free(a->p);
        free(a);
    }
    memset(m, 0, sizeof *m);
}

const rtt_ctf_stream_class_t *rtt_tsdl_stream(const rtt_ctf_meta_t *m, uint64_t id)
{
    for (size_t i = 0; i < m->nstreams; i++)
        if (m->streams[i].id == id)
            return &m->streams[i];
    return NULL;
}

const rtt_ctf_env_t *rtt_tsdl_env(const rtt_ctf_meta_t *m, const char *name)
{
    for (size_t i = 0; i < m->nenv; i++)
        if (strcmp(m->env[i].name, name) == 0)
            return &m->env[i];
    return NULL;
}

int rtt_tsdl_member(const rtt_type_t *st, const char *name)
{
    if (!st || (st->kind != RTT_T_STRUCT && st->kind != RTT_T_VARIANT))
        return -1;
    if (*name == '_')
        name++;
    for (size_t i = 0; i < st->nmemb; i++) {
        const char *a = st->memb[i].name;
        if (strcmp(a + (*a == '_'), name) == 0)
            return (int)i;
    }
    return -1;
}

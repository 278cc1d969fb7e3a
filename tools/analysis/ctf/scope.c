/* scope.c - compile a CTF scope's type tree into a flat program of reads
 * and run it over packet bytes (see scope.h). */
#define _POSIX_C_SOURCE 200809L
#include "scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "ctf/scope.c reads little-endian data with native loads"
#endif

enum { OP_ALIGN, OP_INT, OP_STR, OP_TEXT, OP_SKIP, OP_SEQ, OP_VARIANT, OP_JUMP };

struct rtt_op {
    uint8_t kind;
    uint8_t is_signed;
    uint8_t clock;   /* INT: updates the clock */
    uint8_t text;    /* SEQ: of 8-bit text (a string) */
    uint32_t size;   /* INT: bits; SEQ: bits of one element */
    uint32_t align;  /* bits, a power of two */
    int32_t dst;     /* INT: slot; STR, TEXT, SEQ text: string slot; -1 */
    int32_t src;     /* SEQ: slot of the length; VARIANT: slot of the tag */
    uint32_t ncases; /* VARIANT */
    uint64_t n;      /* TEXT: bytes; SKIP: bits; VARIANT: first case;
                        JUMP: op to go to */
};

struct rtt_case {
    int64_t lo, hi;
    uint8_t is_signed;
    uint32_t start; /* first op of the option */
};

typedef struct cc {
    rtt_scope_t *s;
    rtt_role_fn role;
    void *ctx;
    const char *clock_skip;
    char *err;
    size_t errlen;
} cc_t;

static int fail(cc_t *c, const char *what, const char *name)
{
    snprintf(c->err, c->errlen, "%s%s%s", what, name ? ": " : "", name ? name : "");
    return -1;
}

static int emit(cc_t *c, rtt_op_t op)
{
    rtt_scope_t *s = c->s;
    if (s->nops == s->capops) {
        size_t n = s->capops ? s->capops * 2 : 16;
        if (n > 1u << 20)
            return fail(c, "scope too large", NULL);
        rtt_op_t *v = realloc(s->ops, n * sizeof *v);
        if (!v)
            return fail(c, "out of memory", NULL);
        s->ops = v;
        s->capops = n;
    }
    if (op.align == 0)
        op.align = 1;
    s->ops[s->nops++] = op;
    return 0;
}

static int add_case(cc_t *c, rtt_case_t k)
{
    rtt_scope_t *s = c->s;
    if (s->ncases == s->capcases) {
        size_t n = s->capcases ? s->capcases * 2 : 8;
        rtt_case_t *v = realloc(s->cases, n * sizeof *v);
        if (!v)
            return fail(c, "out of memory", NULL);
        s->cases = v;
        s->capcases = n;
    }
    s->cases[s->ncases++] = k;
    return 0;
}

static const char *bare(const char *name)
{
    return name && name[0] == '_' ? name + 1 : name ? name : "";
}

static int valid_align(unsigned a)
{
    return a >= 1 && a <= 64 * 8 && (a & (a - 1)) == 0;
}

static int compile_type(cc_t *c, const rtt_type_t *t, int depth, const char *name,
                        int slot);
static int compile_variant(cc_t *c, const rtt_type_t *t, int depth, int tag_slot,
                           const rtt_type_t *tag);

/* A struct: its alignment, then its members. A member referred to by a
 * later variant or sequence of this struct gets a slot (its role's, else a
 * hidden one). */
static int compile_struct(cc_t *c, const rtt_type_t *t, int depth)
{
    if (depth > 32)
        return fail(c, "types nested too deep", NULL);
    if (!valid_align(t->align))
        return fail(c, "bad struct alignment", NULL);
    if (t->align > 1 &&
        emit(c, (rtt_op_t){.kind = OP_ALIGN, .align = t->align, .dst = -1}) != 0)
        return -1;
    int *slot = t->nmemb ? malloc(t->nmemb * sizeof *slot) : NULL;
    if (t->nmemb && !slot)
        return fail(c, "out of memory", NULL);
    int rc = 0;
    for (size_t i = 0; i < t->nmemb && rc == 0; i++) {
        const rtt_member_t *m = &t->memb[i];
        int want = c->role ? c->role(c->ctx, depth, bare(m->name),
                                     m->type && m->type->kind != RTT_T_INT &&
                                         m->type->kind != RTT_T_FLOAT)
                           : -1;
        int referred = 0;
        for (size_t j = i + 1; j < t->nmemb; j++) {
            const rtt_type_t *u = t->memb[j].type;
            if (u && ((u->kind == RTT_T_VARIANT && u->tag_member == (int)i) ||
                      (u->kind == RTT_T_SEQ && u->len_member == (int)i)))
                referred = 1;
        }
        if (referred && m->type && m->type->kind == RTT_T_INT && want < 0) {
            if (c->s->nslots >= RTT_SCOPE_MAX_SLOTS) {
                rc = fail(c, "too many referred members", m->name);
                break;
            }
            want = c->s->nslots++;
        }
        slot[i] = m->type && m->type->kind == RTT_T_INT ? want : -1;
        if (!m->type) {
            rc = fail(c, "member without a type", m->name);
            break;
        }
        /* variants and sequences read their tag or length from a sibling */
        if (m->type->kind == RTT_T_VARIANT || m->type->kind == RTT_T_SEQ) {
            int ref = m->type->kind == RTT_T_VARIANT ? m->type->tag_member
                                                     : m->type->len_member;
            if (ref < 0 || (size_t)ref >= i || slot[ref] < 0 ||
                t->memb[ref].type->kind != RTT_T_INT) {
                rc = fail(c, "tag or length is not an integer sibling", m->name);
                break;
            }
            if (m->type->kind == RTT_T_VARIANT) {
                rc = compile_variant(c, m->type, depth, slot[ref], t->memb[ref].type);
                continue;
            }
            rc = compile_type(c, m->type, depth, m->name, slot[ref]);
            if (rc == 0)
                c->s->ops[c->s->nops - 1].dst = want;
            continue;
        }
        rc = compile_type(c, m->type, depth, m->name, want);
    }
    free(slot);
    return rc;
}

static int compile_variant(cc_t *c, const rtt_type_t *t, int depth, int tag_slot,
                           const rtt_type_t *tag)
{
    if (!tag || tag->nmap == 0)
        return fail(c, "variant tag is not an enum", NULL);
    size_t vop = c->s->nops;
    if (emit(c, (rtt_op_t){.kind = OP_VARIANT, .src = tag_slot, .dst = -1}) != 0)
        return -1;
    uint32_t *start = t->nmemb ? calloc(t->nmemb, sizeof *start) : NULL;
    size_t *jumps = t->nmemb ? calloc(t->nmemb, sizeof *jumps) : NULL;
    if (t->nmemb && (!start || !jumps)) {
        free(start);
        free(jumps);
        return fail(c, "out of memory", NULL);
    }
    int rc = 0;
    for (size_t i = 0; i < t->nmemb && rc == 0; i++) {
        start[i] = (uint32_t)c->s->nops;
        rc = compile_type(c, t->memb[i].type, depth + 1, t->memb[i].name, -1);
        jumps[i] = c->s->nops;
        if (rc == 0)
            rc = emit(c, (rtt_op_t){.kind = OP_JUMP, .dst = -1});
    }
    size_t first = c->s->ncases;
    for (size_t k = 0; rc == 0 && tag && k < tag->nmap; k++) {
        for (size_t i = 0; i < t->nmemb; i++) {
            if (strcmp(bare(tag->map[k].label), bare(t->memb[i].name)) != 0)
                continue;
            rc = add_case(c, (rtt_case_t){.lo = tag->map[k].lo, .hi = tag->map[k].hi,
                                          .is_signed = (uint8_t)tag->is_signed,
                                          .start = start[i]});
            break;
        }
    }
    if (rc == 0) {
        size_t end = c->s->nops;
        for (size_t i = 0; i < t->nmemb; i++)
            c->s->ops[jumps[i]].n = end;
        c->s->ops[vop].n = first;
        c->s->ops[vop].ncases = (uint32_t)(c->s->ncases - first);
    }
    free(start);
    free(jumps);
    return rc;
}

static int scalar_bits(const rtt_type_t *e, uint32_t *bits)
{
    if (!e || (e->kind != RTT_T_INT && e->kind != RTT_T_FLOAT) || e->size == 0 ||
        e->size > 64 || !valid_align(e->align) || e->size % e->align != 0)
        return -1;
    *bits = e->size;
    return 0;
}

/* slot: the slot for an integer (-1: none), the string slot for a string
 * or text array, the length slot for a sequence, the tag slot for a
 * variant. */
static int compile_type(cc_t *c, const rtt_type_t *t, int depth, const char *name,
                        int slot)
{
    if (!t)
        return fail(c, "member without a type", name);
    switch (t->kind) {
    case RTT_T_INT:
        if (t->size < 1 || t->size > 64 || !valid_align(t->align))
            return fail(c, "unsupported integer", name);
        return emit(c, (rtt_op_t){
                           .kind = OP_INT, .is_signed = (uint8_t)t->is_signed,
                           .clock = t->clock >= 0 &&
                                    !(depth == 0 && c->clock_skip &&
                                      strcmp(bare(name), c->clock_skip) == 0),
                           .size = t->size, .align = t->align, .dst = slot});
    case RTT_T_FLOAT:
        if (t->size < 1 || t->size > 64 || !valid_align(t->align))
            return fail(c, "unsupported floating point", name);
        return emit(c, (rtt_op_t){.kind = OP_SKIP, .align = t->align, .n = t->size,
                                  .dst = -1});
    case RTT_T_STRING:
        return emit(c, (rtt_op_t){.kind = OP_STR, .align = 8, .dst = slot});
    case RTT_T_ARRAY: {
        uint32_t bits;
        if (scalar_bits(t->elem, &bits) != 0 || t->length > (1u << 24))
            return fail(c, "unsupported array", name);
        if (t->elem->kind == RTT_T_INT && t->elem->is_text && bits == 8 &&
            t->elem->align <= 8)
            return emit(c, (rtt_op_t){.kind = OP_TEXT, .align = 8, .n = t->length,
                                      .dst = slot});
        return emit(c, (rtt_op_t){.kind = OP_SKIP, .align = t->elem->align,
                                  .n = t->length * bits, .dst = -1});
    }
    case RTT_T_SEQ: {
        uint32_t bits;
        if (scalar_bits(t->elem, &bits) != 0)
            return fail(c, "unsupported sequence", name);
        int text = t->elem->kind == RTT_T_INT && t->elem->is_text && bits == 8;
        return emit(c, (rtt_op_t){.kind = OP_SEQ, .text = (uint8_t)text,
                                  .align = text ? 8 : t->elem->align, .size = bits,
                                  .src = slot, .dst = -1});
    }
    case RTT_T_STRUCT:
        return compile_struct(c, t, depth + 1);
    case RTT_T_VARIANT:
        return fail(c, "variant outside a struct", name);
    }
    return fail(c, "unknown type", name);
}

int rtt_scope_compile(rtt_scope_t *s, const rtt_type_t *type, int nroles,
                      rtt_role_fn role, void *ctx, const char *clock_skip,
                      char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->nslots = nroles;
    s->nstrs = RTT_SCOPE_MAX_STRS;
    if (!type)
        return 0;
    cc_t c = {.s = s, .role = role, .ctx = ctx, .clock_skip = clock_skip,
              .err = err, .errlen = errlen};
    if (type->kind != RTT_T_STRUCT) {
        fail(&c, "scope is not a struct", NULL);
        rtt_scope_free(s);
        return -1;
    }
    if (compile_struct(&c, type, 0) != 0) {
        rtt_scope_free(s);
        return -1;
    }
    return 0;
}

void rtt_scope_free(rtt_scope_t *s)
{
    free(s->ops);
    free(s->cases);
    memset(s, 0, sizeof *s);
}

/* --- decoding ------------------------------------------------------------ */

/* size bits at bit pos (little-endian bit order) of buf, which holds at
 * least (pos + size + 7) / 8 bytes; endb: bytes that may be read. */
static inline uint64_t rd_bits(const uint8_t *buf, uint64_t pos, unsigned size,
                               uint64_t endb)
{
    uint64_t v = 0;
    uint64_t byte = pos >> 3;
    unsigned sh = (unsigned)(pos & 7);
    if (sh == 0 && (size & 7) == 0) {
        /* fixed sizes, so that each is one load: a memcpy of a variable
         * size is a call (it was a fifth of the decoding thread's time) */
        switch (size) {
        case 8:
            return buf[byte];
        case 16: {
            uint16_t x;
            memcpy(&x, buf + byte, 2);
            return x;
        }
        case 32: {
            uint32_t x;
            memcpy(&x, buf + byte, 4);
            return x;
        }
        case 64:
            memcpy(&v, buf + byte, 8);
            return v;
        default:
            memcpy(&v, buf + byte, size >> 3);
            return v;
        }
    }
    if (byte + 9 <= endb) {
        memcpy(&v, buf + byte, 8);
        v >>= sh;
        if (sh + size > 64)
            v |= (uint64_t)buf[byte + 8] << (64 - sh);
    } else {
        unsigned nb = (sh + size + 7) >> 3;
        uint64_t lo = 0;
        for (unsigned i = 0; i < nb && i < 8; i++)
            lo |= (uint64_t)buf[byte + i] << (8 * i);
        v = lo >> sh;
        if (nb > 8)
            v |= (uint64_t)buf[byte + 8] << (64 - sh);
    }
    return size < 64 ? v & ((UINT64_C(1) << size) - 1) : v;
}

static inline void clock_update(uint64_t *clock, uint64_t v, unsigned size)
{
    if (size >= 64) {
        *clock = v;
        return;
    }
    uint64_t mask = (UINT64_C(1) << size) - 1;
    if (v < (*clock & mask))
        *clock += mask + 1;
    *clock = (*clock & ~mask) | v;
}

int rtt_scope_decode(const rtt_scope_t *s, const uint8_t *buf, uint64_t *pos,
                     uint64_t end, int64_t *slots, rtt_strref_t *strs,
                     uint64_t *clock)
{
    uint64_t p = *pos, endb = end >> 3;
    size_t i = 0, guard = 0;
    while (i < s->nops) {
        const rtt_op_t *o = &s->ops[i];
        if (++guard > (s->nops + 1) * 4)
            return -1; /* cannot happen: jumps only go forward */
        p = (p + o->align - 1) & ~(uint64_t)(o->align - 1);
        switch (o->kind) {
        case OP_ALIGN:
            break;
        case OP_INT: {
            if (p > end || end - p < o->size)
                return -1;
            uint64_t v = rd_bits(buf, p, o->size, endb);
            p += o->size;
            if (o->clock)
                clock_update(clock, v, o->size);
            if (o->dst >= 0) {
                if (o->is_signed && o->size < 64 && (v >> (o->size - 1)) & 1)
                    v |= ~((UINT64_C(1) << o->size) - 1);
                slots[o->dst] = (int64_t)v;
            }
            break;
        }
        case OP_STR: {
            if (p > end || (p & 7))
                return -1;
            const uint8_t *a = buf + (p >> 3);
            const uint8_t *z = memchr(a, 0, (size_t)(endb - (p >> 3)));
            if (!z)
                return -1;
            if (o->dst >= 0)
                strs[o->dst] = (rtt_strref_t){(const char *)a, (uint32_t)(z - a), 1};
            p += (uint64_t)(z - a + 1) * 8;
            break;
        }
        case OP_TEXT:
        case OP_SEQ: {
            uint64_t count = o->kind == OP_TEXT ? o->n : (uint64_t)slots[o->src];
            uint64_t bits = o->kind == OP_TEXT ? 8 : o->size;
            if (p > end || count > (end - p) / bits)
                return -1;
            if (o->dst >= 0 && (o->kind == OP_TEXT || o->text)) {
                const char *a = (const char *)buf + (p >> 3);
                const char *z = memchr(a, 0, (size_t)count);
                strs[o->dst] = (rtt_strref_t){a, (uint32_t)(z ? z - a : (ptrdiff_t)count),
                                              z != NULL};
            }
            p += count * bits;
            break;
        }
        case OP_SKIP:
            if (p > end || end - p < o->n)
                return -1;
            p += o->n;
            break;
        case OP_VARIANT: {
            int64_t tag = slots[o->src];
            const rtt_case_t *k = &s->cases[o->n], *kz = k + o->ncases;
            for (; k < kz; k++)
                if (k->is_signed ? tag >= k->lo && tag <= k->hi
                                 : (uint64_t)tag >= (uint64_t)k->lo &&
                                       (uint64_t)tag <= (uint64_t)k->hi)
                    break;
            if (k == kz)
                return -1;
            i = k->start;
            continue;
        }
        case OP_JUMP:
            i = (size_t)o->n;
            continue;
        }
        i++;
    }
    *pos = p;
    return 0;
}

/* budget.c - budget files of `rt-trace check` (interface budget.h, format
 * docs/budget-format.md): reading a file, cutting it into lines, checking
 * each line's length and bytes, keeping the rules, "FILE:LINE: ..."
 * messages, and the evaluator's helpers (holds, op text, value format).
 * One line's grammar is budget_rule.c.
 *
 * Cost: O(bytes) time. Memory: the rule array (doubling) plus one block per
 * rule of 2 x its line length; rtt_budget_load also holds the whole file
 * (at most 1 MiB) while parsing.
 */
#include "budget.h"

#include "budget_rule.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE (1 << 20) /* a budget file is a few dozen rules */

typedef struct item {
    rtt_budget_rule_t rule; /* first: rtt_budget_get hands out &rule */
    char *block;            /* the rule's strings */
} item_t;

struct rtt_budget {
    size_t n, cap;
    item_t *items;
};

void rtt_budget_free(rtt_budget_t *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        free(b->items[i].block);
    free(b->items);
    free(b);
}

/* Each byte of line p[0..n) is printable or a tab; 0 or -1 (why). */
static int check_line(const char *p, size_t n, char *why)
{
    if (n > RTT_BUDGET_MAX_LINE) {
        snprintf(why, RTT_BUDGET_WHY, "line longer than %d bytes", RTT_BUDGET_MAX_LINE);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            snprintf(why, RTT_BUDGET_WHY, "control character 0x%02x in line", c);
            return -1;
        }
    }
    return 0;
}

/* Parse text[0..len), which may hold NUL bytes (an error like any other
 * control character). */
static rtt_budget_t *parse_n(const char *text, size_t len, const char *name, char *err,
                             size_t errlen)
{
    char why[RTT_BUDGET_WHY];
    int line = 0, rc = 0;
    const char *p = text, *end = text + len;
    rtt_budget_t *b = calloc(1, sizeof *b);
    name = name ? name : "budget";
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3; /* a UTF-8 byte order mark */
    while (b && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        item_t it;
        memset(&it, 0, sizeof it);
        it.rule.line = ++line;
        if (n && p[n - 1] == '\r')
            n--; /* CRLF */
        rc = check_line(p, n, why);
        if (rc == 0)
            rc = rtt_budget_rule_parse(p, n, &it.rule, &it.block, why);
        if (rc == 1 && b->n == b->cap) {
            size_t cap = b->cap ? 2 * b->cap : 16;
            item_t *items = realloc(b->items, cap * sizeof *items);
            if (items)
                b->items = items, b->cap = cap;
            else
                rc = -1, snprintf(why, sizeof why, "out of memory");
        }
        if (rc == 1)
            b->items[b->n++] = it;
        else
            free(it.block);
        if (rc < 0)
            break;
        p = nl ? nl + 1 : end;
    }
    if (b && rc >= 0 && b->n)
        return b;
    if (err && errlen && rc < 0)
        snprintf(err, errlen, "%s:%d: %s", name, line, why);
    else if (err && errlen)
        snprintf(err, errlen, "%s: %s", name, b ? "no rules" : "out of memory");
    rtt_budget_free(b);
    return NULL;
}

rtt_budget_t *rtt_budget_parse(const char *text, const char *name, char *err, size_t errlen)
{
    return parse_n(text ? text : "", text ? strlen(text) : 0, name, err, errlen);
}

rtt_budget_t *rtt_budget_load(const char *path, char *err, size_t errlen)
{
    size_t len = 0, got = 0;
    char *buf = NULL;
    rtt_budget_t *b = NULL;
    int e = 0;
    FILE *f = fopen(path ? path : "", "rb");
    if (!f)
        e = errno;
    while (f && !e) { /* in 64 KiB steps: also reads pipes and /dev/stdin */
        char *nb = len <= MAX_FILE ? realloc(buf, len + 65536) : NULL;
        if (!nb) {
            e = len <= MAX_FILE ? ENOMEM : EFBIG;
            break;
        }
        buf = nb;
        errno = 0;
        got = fread(buf + len, 1, 65536, f);
        len += got;
        if (got < 65536) {
            e = ferror(f) ? (errno ? errno : EIO) : 0;
            break;
        }
    }
    if (f)
        fclose(f);
    if (!e && len > MAX_FILE)
        e = EFBIG;
    if (e && err && errlen)
        snprintf(err, errlen, "%s: cannot read: %s", path ? path : "",
                 e == EFBIG ? "larger than 1 MiB" : strerror(e));
    if (!e)
        b = parse_n(buf ? buf : "", len, path, err, errlen);
    free(buf);
    return b;
}

size_t rtt_budget_count(const rtt_budget_t *b) { return b ? b->n : 0; }

const rtt_budget_rule_t *rtt_budget_get(const rtt_budget_t *b, size_t i)
{
    return b && i < b->n ? &b->items[i].rule : NULL;
}

/* --- for the evaluator --------------------------------------------------- */

int rtt_budget_holds(rtt_op_t op, double measured, double limit)
{
    if (isnan(measured) || isnan(limit))
        return 0;
    switch (op) {
    case RTT_OP_LT: return measured < limit;
    case RTT_OP_LE: return measured <= limit;
    case RTT_OP_GT: return measured > limit;
    case RTT_OP_GE: return measured >= limit;
    case RTT_OP_EQ: return measured == limit;
    case RTT_OP_NE: return measured != limit;
    }
    return 0;
}

const char *rtt_op_text(rtt_op_t op)
{
    static const char *const text[] = {"<", "<=", ">", ">=", "==", "!="};
    return (unsigned)op < 6 ? text[op] : "?";
}

void rtt_budget_format_value(const rtt_budget_rule_t *r, double v, char *buf, size_t len)
{
    const char *unit = r && r->unit ? r->unit : "";
    int exp10 = r && r->kind == RTT_VAL_DURATION ? rtt_budget_unit_exp10(unit) : -1;
    char num[64];
    if (!buf || !len)
        return;
    if (isnan(v)) {
        snprintf(buf, len, "-");
        return;
    }
    if (exp10 > 0)
        v /= pow(10, exp10);
    else if (r && r->kind == RTT_VAL_RATIO && !strcmp(unit, "%"))
        v *= 100;
    if (v == 0)
        v = 0; /* not "-0" */
    if (isinf(v))
        snprintf(num, sizeof num, "%s", v > 0 ? "inf" : "-inf");
    else if ((v == floor(v) && fabs(v) < 1e15) || fabs(v) >= 1e6)
        snprintf(num, sizeof num, "%.0f", v);
    else
        snprintf(num, sizeof num, "%.6g", v);
    snprintf(buf, len, "%s%s%s", num, *unit ? " " : "", unit);
}

/* budget_rule.c - one line of a budget file (see budget_rule.h; the format
 * is docs/budget-format.md): the vocabulary, the tokens and the grammar
 *   SUBJECT [MEASURE] STAT OP VALUE [where KEY = VALUE [and KEY = VALUE]...]
 * read left to right; the first error stops the line.
 *
 * Tokens are bare words (runs without blanks, < > = ! " #), "strings" (\"
 * and \\ escaped) and operators; a '#' outside a string ends the rule.
 * Numbers never go through strtod's locale-dependent decimal point: 16.7ms
 * is strtod("167e5"), correctly rounded.
 *
 * Cost: O(line length); one malloc per rule (2 x its length + 16 bytes).
 */
#include "budget_rule.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- vocabulary ---------------------------------------------------------- */

enum { K_TEXT, K_UINT, K_ENUM }; /* filter values: text, uint32, a name or its code */

typedef struct fkey {
    const char *name;
    int kind;
    const char *const *names; /* K_ENUM: names by code */
    const char *what;         /* K_ENUM: for messages */
} fkey_t;

static const char *const cmd_kinds[] = {"shutdown", "emergency", "schedule_task", NULL};
static const char *const drop_reasons[] = {
    "work_queue_full", "event_queue_full", "async_queue_full", "timer_limit", "command_refused",
    "command_queue_full", "not_running", "emergency", "shutdown", NULL};
static const char *const item_kinds[] = {"task",    "event",  "async_event", "timer",
                                         "command", "render", NULL};

static const fkey_t k_name = {"name", K_TEXT, NULL, NULL};
static const fkey_t k_prio = {"priority", K_UINT, NULL, NULL};
static const fkey_t k_evtype = {"type", K_UINT, NULL, NULL};
static const fkey_t k_cmdtype = {"type", K_ENUM, cmd_kinds, "command type"};
static const fkey_t k_reason = {"reason", K_ENUM, drop_reasons, "drop reason"};
static const fkey_t k_source = {"source", K_ENUM, item_kinds, "drop source"};

typedef struct subject {
    const char *name;
    const char *measures[6]; /* [0] the default; none: a counter subject */
    const fkey_t *keys[3];
    const char *stats[3]; /* counter subjects' stats; the others take DUR_STATS */
} subject_t;

static const subject_t subjects[] = {
    {"interaction", {"latency", "queue", "run", "frame_wait", "render"}, {&k_name}, {NULL}},
    {"task", {"run_time", "queue_wait", "total", "cpu_time"}, {&k_name, &k_prio}, {NULL}},
    {"dispatch", {"duration", "queue_wait", "total"}, {&k_evtype, &k_prio}, {NULL}},
    {"timer", {"lateness"}, {&k_name}, {NULL}},
    {"command", {"latency"}, {&k_cmdtype}, {NULL}},
    {"tick", {"duration"}, {NULL}, {NULL}},
    {"frames", {NULL}, {NULL}, {"over_budget_share", "count"}},
    {"drops", {NULL}, {&k_reason, &k_source}, {"total", "count"}},
    {"tracer", {NULL}, {NULL}, {"discarded", "lost_packets"}},
};
#define NSUBJECTS (sizeof subjects / sizeof subjects[0])
#define SUBJECTS "interaction, task, dispatch, timer, command, tick, frames, drops or tracer"
#define DUR_STATS "pNN, max, min, mean or count"
#define OPS "<, <=, >, >=, == or !="

static const char *const dur_stats[] = {"max", "min", "mean", "count", NULL};
static const char *const any_stats[] = {"max",       "min",          "mean",
                                        "count",     "total",        "over_budget_share",
                                        "discarded", "lost_packets", NULL};
static const char *const ops[] = {"<", "<=", ">", ">=", "==", "!=", NULL};
static const char *const units[] = {"ns", "us", "ms", "s", NULL}; /* 10^0, 10^3, ... */

/* Index of the n-byte word w in the NULL-ended list, or -1. */
static int find(const char *const *list, const char *w, size_t n)
{
    for (int i = 0; list[i]; i++)
        if (strlen(list[i]) == n && !memcmp(list[i], w, n))
            return i;
    return -1;
}

int rtt_budget_unit_exp10(const char *unit)
{
    int i = unit ? find(units, unit, strlen(unit)) : -1;
    return i < 0 ? -1 : 3 * i;
}

/* "a, b or c" in buf (256 bytes). */
static const char *join(char *buf, const char *const *list)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; list[i] && o < 256; i++)
        o += (size_t)snprintf(buf + o, 256 - o, "%s%s", i == 0 ? "" : list[i + 1] ? ", " : " or ",
                              list[i]);
    return buf;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(char *why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, RTT_BUDGET_WHY, fmt, ap);
    va_end(ap);
    return -1;
}

/* --- tokens -------------------------------------------------------------- */

typedef enum { T_END, T_WORD, T_STR, T_OP, T_BAD } tkind_t;
typedef struct tok {
    tkind_t k;
    const char *p; /* as written (a string with its quotes) */
    int n;
} tok_t;

static int is_ws(char c) { return c == ' ' || c == '\t'; }
static int is_sep(char c) { return is_ws(c) || (c && strchr("<>=!\"#", c)); }
static int is(tok_t t, const char *w)
{
    return t.k != T_END && strlen(w) == (size_t)t.n && !memcmp(t.p, w, (size_t)t.n);
}

/* The next token from *pp; T_END at the end or at a '#'. T_BAD: a lone '!'
 * or a string without its closing quote (which runs to the end). */
static tok_t lex(const char **pp, const char *end)
{
    const char *p = *pp, *q;
    while (p < end && is_ws(*p))
        p++;
    tok_t t = {T_END, p, 0};
    if (p == end || *p == '#')
        return *pp = p, t;
    q = p + 1;
    if (*p == '"') {
        for (t.k = T_BAD; q < end && t.k == T_BAD; q++)
            if (*q == '\\' && q + 1 < end)
                q++;
            else if (*q == '"')
                t.k = T_STR;
    } else if (strchr("<>=!", *p)) {
        t.k = q < end && *q == '=' ? (q++, T_OP) : *p == '!' ? T_BAD : T_OP;
    } else {
        for (t.k = T_WORD; q < end && !is_sep(*q);)
            q++;
    }
    t.n = (int)(q - p);
    *pp = q;
    return t;
}

/* --- numbers ------------------------------------------------------------- */

/* Length of the number at the start of p[0..n): digits, optionally '.' digits. */
static size_t num_len(const char *p, size_t n)
{
    size_t i = 0, j;
    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++;
    if (i == 0 || i + 1 >= n || p[i] != '.')
        return i;
    for (j = i + 1; j < n && p[j] >= '0' && p[j] <= '9';)
        j++;
    return j > i + 1 ? j : i;
}

/* The number p[0..n) times 10^exp10, as strtod("<digits>e<exp>"). */
static int to_double(const char *p, size_t n, int exp10, double *out, char *why)
{
    char buf[96];
    size_t o = 0;
    if (n > 60)
        return fail(why, "number too long '%.*s'", (int)n, p);
    for (size_t i = 0; i < n; i++)
        if (p[i] == '.')
            exp10 -= (int)(n - i - 1);
        else
            buf[o++] = p[i];
    snprintf(buf + o, sizeof buf - o, "e%d", exp10);
    *out = strtod(buf, NULL);
    return 0;
}

/* --- parts of a rule ----------------------------------------------------- */

static int parse_stat(const subject_t *s, tok_t t, rtt_budget_rule_t *r, char *why)
{
    char exp[256];
    const char *expect = s->measures[0] ? DUR_STATS : join(exp, s->stats);
    size_t n = (size_t)t.n;
    int i;
    if (t.p[0] == 'p' && n > 1 && ((t.p[1] >= '0' && t.p[1] <= '9') || t.p[1] == '.')) {
        if (!s->measures[0])
            return fail(why, "stat '%.*s' not valid for %s (expected %s)", t.n, t.p, s->name,
                        expect);
        if (num_len(t.p + 1, n - 1) != n - 1)
            return fail(why, "bad percentile '%.*s' (expected p50, p99, p99.9, ...)", t.n, t.p);
        if (to_double(t.p + 1, n - 1, 0, &r->percentile, why) < 0)
            return -1;
        if (!(r->percentile > 0 && r->percentile <= 100))
            return fail(why, "percentile '%.*s' out of range (above 0, at most 100; 99.9th is "
                             "p99.9)", t.n, t.p);
        r->stat = "p", r->kind = RTT_VAL_DURATION;
    } else if (s->measures[0] && (i = find(dur_stats, t.p, n)) >= 0) {
        r->stat = dur_stats[i];
        r->kind = strcmp(r->stat, "count") ? RTT_VAL_DURATION : RTT_VAL_COUNT;
    } else if (!s->measures[0] && (i = find(s->stats, t.p, n)) >= 0) {
        r->stat = strcmp(s->stats[i], "total") ? s->stats[i] : "count";
        r->kind = strcmp(r->stat, "over_budget_share") ? RTT_VAL_COUNT : RTT_VAL_RATIO;
    } else {
        return fail(why, find(any_stats, t.p, n) >= 0 ? "stat '%.*s' not valid for %s (expected %s)"
                                                       : "unknown stat '%.*s' for %s (expected %s)",
                    t.n, t.p, s->name, expect);
    }
    return 0;
}

/* The limit: the number num[0..nn) in unit[0..un); d[0..dn) as written. */
static int parse_value(rtt_budget_rule_t *r, const char *num, size_t nn, const char *unit,
                       size_t un, const char *d, int dn, char *why)
{
    static const char *const bad[] = {
        "bad duration '%.*s' (expected a number and a unit: 16.7ms, 500us)",
        "bad ratio '%.*s' (expected a fraction or a percentage: 0.01, 1%%)",
        "bad count '%.*s' (expected a non-negative number)"};
    int exp10 = 0, i;
    r->unit = "";
    if (d[0] == '-')
        return fail(why, "negative value '%.*s'", dn, d);
    if (nn == 0)
        return fail(why, bad[r->kind], dn, d);
    if (r->kind == RTT_VAL_DURATION) {
        if (un == 0)
            return fail(why, "duration '%.*s' needs a unit (ns, us, ms or s): %.*sms", dn, d,
                        (int)nn, num);
        if ((i = find(units, unit, un)) < 0)
            return fail(why, "unknown unit '%.*s' in '%.*s' (expected ns, us, ms or s)", (int)un,
                        unit, dn, d);
        r->unit = units[i], exp10 = 3 * i;
    } else if (r->kind == RTT_VAL_RATIO && un == 1 && *unit == '%') {
        r->unit = "%", exp10 = -2;
    } else if (un) {
        return fail(why, r->kind == RTT_VAL_RATIO
                             ? "unknown unit '%.*s' in '%.*s' (a ratio is a fraction or a "
                               "percentage: 0.01, 1%%)"
                             : "unexpected unit '%.*s' in '%.*s' (a count has no unit)",
                    (int)un, unit, dn, d);
    }
    if (to_double(num, nn, exp10, &r->value, why) < 0)
        return -1;
    if (r->kind == RTT_VAL_RATIO && r->value > 1)
        return *r->unit ? fail(why, "ratio '%.*s' above 100%%", dn, d)
                        : fail(why, "ratio '%.*s' above 1 (a fraction; as a percentage: %.*s%%)",
                               dn, d, (int)nn, num);
    return 0;
}

/* The value v (a word or a "string") of filter key k, stored at *sp. */
static int parse_filter_value(const fkey_t *k, tok_t v, char **sp, const char **out, char *why)
{
    const char *p = v.p;
    size_t n = (size_t)v.n, i, o = 0, nd = 0;
    char *s = *sp, exp[256];
    if (v.k == T_STR) { /* unquote */
        for (i = 1; i + 1 < n; i++)
            s[o++] = p[i] == '\\' && (p[i + 1] == '"' || p[i + 1] == '\\') ? p[++i] : p[i];
        p = s, n = o;
    }
    if (n == 0)
        return fail(why, "empty value for filter '%s'", k->name);
    while (nd < n && p[nd] >= '0' && p[nd] <= '9')
        nd++;
    if (k->kind == K_TEXT) {
        memmove(s, p, n);
        s[o = n] = '\0';
    } else if (nd == n || k->kind == K_UINT) { /* a number: the code */
        unsigned long long code = 0, lim = 4294967296ULL;
        for (i = 0; i < n && code < lim; i++)
            code = i < nd ? code * 10 + (unsigned)(p[i] - '0') : lim;
        for (lim = k->kind == K_ENUM ? 0 : lim; k->kind == K_ENUM && k->names[lim];)
            lim++;
        if (code >= lim && k->kind == K_UINT)
            return fail(why, "filter '%s' needs an integer 0..4294967295, got '%.*s'", k->name,
                        v.n, v.p);
        if (code >= lim)
            return fail(why, "unknown %s '%.*s' (expected %s, or 0..%llu)", k->what, v.n, v.p,
                        join(exp, k->names), lim - 1);
        o = (size_t)sprintf(s, "%llu", code);
    } else { /* a name: its code */
        int c = find(k->names, p, n);
        if (c < 0)
            return fail(why, "unknown %s '%.*s' (expected %s)", k->what, v.n, v.p,
                        join(exp, k->names));
        o = (size_t)sprintf(s, "%d", c);
    }
    *out = s;
    *sp = s + o + 1;
    return 0;
}

/* "where KEY = VALUE [and KEY = VALUE]..." after the `where` token w. */
static int parse_filters(const subject_t *sub, tok_t w, const char **pp, const char *e,
                         rtt_budget_rule_t *r, char *sp, char *why)
{
    const char *names[4] = {NULL};
    char exp[256];
    for (int i = 0; sub->keys[i]; i++)
        names[i] = sub->keys[i]->name;
    if (!names[0])
        return fail(why, "unexpected 'where': %s rules take no filters", sub->name);
    for (;;) {
        const fkey_t *k = NULL;
        tok_t key = lex(pp, e), eq, val;
        int i = key.k == T_WORD ? find(names, key.p, (size_t)key.n) : -1;
        if (key.k == T_END)
            return fail(why, "missing filter after '%.*s'", w.n, w.p);
        if (i < 0)
            return fail(why, "unknown filter '%.*s' for %s (expected %s)", key.n, key.p,
                        sub->name, join(exp, names));
        k = sub->keys[i];
        for (size_t j = 0; j < r->nfilters; j++)
            if (r->filters[j].key == k->name)
                return fail(why, "filter '%s' given twice", k->name);
        eq = lex(pp, e);
        if (eq.k == T_END)
            return fail(why, "missing '=' after '%s'", k->name);
        if (!is(eq, "="))
            return fail(why, "expected '=' after '%s', got '%.*s'", k->name, eq.n, eq.p);
        val = lex(pp, e);
        if (val.k == T_END)
            return fail(why, "missing value for filter '%s'", k->name);
        if (val.k != T_WORD && val.k != T_STR)
            return fail(why, "expected a value for filter '%s', got '%.*s'", k->name, val.n,
                        val.p);
        if (parse_filter_value(k, val, &sp, &r->filters[r->nfilters].value, why) < 0)
            return -1;
        r->filters[r->nfilters++].key = k->name;
        w = lex(pp, e);
        if (w.k == T_END)
            return 1;
        if (!is(w, "and"))
            return fail(why, "unexpected '%.*s' after filter '%s' (expected 'and' or end of "
                             "line)", w.n, w.p, k->name);
    }
}

/* --- a rule -------------------------------------------------------------- */

int rtt_budget_rule_parse(const char *s, size_t n, rtt_budget_rule_t *r, char **block, char *why)
{
    const char *p = s, *e = s + n, *b = s, *q;
    char exp[256];
    tok_t t, m, st, o, v;
    *block = NULL;
    for (t = lex(&p, e); t.k != T_END; t = lex(&p, e))
        if (t.k == T_BAD && *t.p == '"')
            return fail(why, "unterminated string '%.*s'", t.n, t.p);
    for (e = t.p; e > s && is_ws(e[-1]);)
        e--;
    while (b < e && is_ws(*b))
        b++;
    if (b == e)
        return 0;
    char *sp = *block = malloc(2 * (size_t)(e - b) + 16);
    if (!sp)
        return fail(why, "out of memory");
    memcpy(sp, b, (size_t)(e - b));
    sp[e - b] = '\0';
    r->text = sp;

    const subject_t *sub = NULL;
    p = b;
    t = lex(&p, e);
    for (size_t i = 0; i < NSUBJECTS; i++)
        if (is(t, subjects[i].name))
            sub = &subjects[i];
    if (!sub)
        return fail(why, "unknown subject '%.*s' (expected " SUBJECTS ")", t.n, t.p);
    r->subject = sub->name;
    r->measure = sub->measures[0];
    st = m = lex(&p, e);
    int mi = m.k == T_WORD ? find(sub->measures, m.p, (size_t)m.n) : -1;
    if (mi >= 0)
        r->measure = sub->measures[mi], t = m, st = lex(&p, e);
    if (st.k != T_WORD)
        return fail(why, "missing stat after '%.*s' (expected %s)", t.n, t.p,
                    sub->measures[0] ? DUR_STATS : join(exp, sub->stats));
    if (parse_stat(sub, st, r, why) < 0) { /* "task runtime p99": a misspelt measure */
        if (mi < 0 && sub->measures[0] && (q = p, lex(&q, e).k == T_WORD))
            return fail(why, "unknown measure '%.*s' for %s (expected %s)", m.n, m.p, sub->name,
                        join(exp, sub->measures));
        return -1;
    }

    o = lex(&p, e);
    if (o.k == T_END)
        return fail(why, "missing operator after '%.*s' (expected " OPS ")", st.n, st.p);
    if (is(o, "="))
        return fail(why, "expected an operator after '%.*s', got '=' (use == for equality)",
                    st.n, st.p);
    if (o.k != T_OP)
        return fail(why, "expected an operator after '%.*s', got '%.*s' (" OPS ")", st.n, st.p,
                    o.n, o.p);
    r->op = (rtt_op_t)find(ops, o.p, (size_t)o.n);

    v = lex(&p, e);
    if (v.k == T_END)
        return fail(why, "missing value after '%.*s'", o.n, o.p);
    if (v.k != T_WORD)
        return fail(why, "expected a value after '%.*s', got '%.*s'", o.n, o.p, v.n, v.p);
    size_t nn = num_len(v.p, (size_t)v.n), un = (size_t)v.n - nn;
    const char *unit = v.p + nn;
    q = p;
    t = lex(&q, e);
    if (un == 0 && t.k == T_WORD && (is(t, "%") || find(units, t.p, (size_t)t.n) >= 0))
        unit = t.p, un = (size_t)t.n, p = q; /* "16.7 ms" */
    if (parse_value(r, v.p, nn, unit, un, v.p, (int)(unit + un - v.p), why) < 0)
        return -1;

    t = lex(&p, e);
    if (t.k == T_END)
        return 1;
    if (!is(t, "where"))
        return fail(why, "unexpected '%.*s' after the value (expected 'where' or end of line)",
                    t.n, t.p);
    return parse_filters(sub, t, &p, e, r, sp + (e - b) + 1, why);
}

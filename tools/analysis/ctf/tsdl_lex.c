/* tsdl_lex.c - TSDL tokens (see tsdl_lex.h). Comments (block and line)
 * and white space are skipped; a comment or string left open at the end of
 * the text, or a byte that starts no token, is an ERROR token naming it.
 * Cost: one pass over the text, no allocation.
 */
#include "tsdl_lex.h"

#include <string.h>

static int is_id0(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_id(int c)
{
    return is_id0(c) || (c >= '0' && c <= '9');
}

static void set(rtt_lex_t *lx, rtt_tok_kind_t k, const char *s, size_t n)
{
    lx->tok.kind = k;
    lx->tok.s = s;
    lx->tok.n = n;
    lx->tok.line = lx->line;
}

static void error(rtt_lex_t *lx, const char *msg)
{
    set(lx, RTT_TOK_ERROR, msg, strlen(msg));
    lx->p = lx->end; /* nothing after an error is read */
}

/* Skip blanks and comments; 0, or -1 (ERROR set) on an open comment. */
static int skip(rtt_lex_t *lx)
{
    const char *p = lx->p, *e = lx->end;
    for (;;) {
        while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
                         *p == '\f' || *p == '\v')) {
            if (*p == '\n')
                lx->line++;
            p++;
        }
        if (p + 1 < e && p[0] == '/' && p[1] == '/') {
            while (p < e && *p != '\n')
                p++;
        } else if (p + 1 < e && p[0] == '/' && p[1] == '*') {
            int open = lx->line;
            p += 2;
            while (p + 1 < e && !(p[0] == '*' && p[1] == '/')) {
                if (*p == '\n')
                    lx->line++;
                p++;
            }
            if (p + 1 >= e) {
                lx->line = open;
                lx->p = p;
                error(lx, "comment not closed");
                return -1;
            }
            p += 2;
        } else {
            lx->p = p;
            return 0;
        }
    }
}

void rtt_lex_next(rtt_lex_t *lx)
{
    if (lx->tok.kind == RTT_TOK_ERROR || skip(lx) < 0)
        return;
    const char *p = lx->p, *e = lx->end;
    if (p >= e) {
        set(lx, RTT_TOK_END, p, 0);
        return;
    }
    const char *s = p;
    if (is_id0((unsigned char)*p)) {
        while (p < e && is_id((unsigned char)*p))
            p++;
        set(lx, RTT_TOK_IDENT, s, (size_t)(p - s));
    } else if (*p >= '0' && *p <= '9') {
        while (p < e && is_id((unsigned char)*p)) /* digits, x, suffixes */
            p++;
        set(lx, RTT_TOK_NUM, s, (size_t)(p - s));
    } else if (*p == '"') {
        int open = lx->line;
        p++;
        while (p < e && *p != '"' && *p != '\n') {
            if (*p == '\\' && p + 1 < e && p[1] != '\n')
                p++;
            p++;
        }
        if (p >= e || *p != '"') {
            error(lx, "string not closed");
            lx->tok.line = open;
            return;
        }
        set(lx, RTT_TOK_STRING, s + 1, (size_t)(p - s - 1));
        p++;
    } else if (p + 1 < e && p[0] == ':' && p[1] == '=') {
        p += 2;
        set(lx, RTT_TOK_PUNCT, s, 2);
    } else if (p + 2 < e && p[0] == '.' && p[1] == '.' && p[2] == '.') {
        p += 3;
        set(lx, RTT_TOK_PUNCT, s, 3);
    } else if (*p && strchr("{}[]()<>;,=:.+-*", *p)) {
        p++;
        set(lx, RTT_TOK_PUNCT, s, 1);
    } else {
        error(lx, "unexpected character");
        return;
    }
    lx->p = p;
}

void rtt_lex_init(rtt_lex_t *lx, const char *text, size_t len)
{
    lx->p = text;
    lx->end = text + len;
    lx->line = 1;
    lx->tok.kind = RTT_TOK_END;
    rtt_lex_next(lx);
}

int rtt_lex_is(const rtt_lex_t *lx, const char *s)
{
    size_t n = strlen(s);
    return (lx->tok.kind == RTT_TOK_PUNCT || lx->tok.kind == RTT_TOK_IDENT) &&
           lx->tok.n == n && memcmp(lx->tok.s, s, n) == 0;
}

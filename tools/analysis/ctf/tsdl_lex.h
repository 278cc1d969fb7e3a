/* tsdl_lex.h - the tokens of TSDL text for the metadata parser (tsdl.c):
 * identifiers, numbers, quoted strings and punctuation, with C and C++
 * comments skipped and each token's line counted (tsdl_lex.c).
 * Cost: O(1) per token, no allocation: tokens point into the text.
 */
#ifndef RTT_CTF_TSDL_LEX_H
#define RTT_CTF_TSDL_LEX_H

#include <stddef.h>

typedef enum rtt_tok_kind {
    RTT_TOK_END,    /* end of the text */
    RTT_TOK_IDENT,  /* [A-Za-z_][A-Za-z0-9_]* */
    RTT_TOK_NUM,    /* decimal, 0x hex or 0 octal digits, u/l suffixes */
    RTT_TOK_STRING, /* "..." (s/n: between the quotes, escapes kept) */
    RTT_TOK_PUNCT,  /* one of { } [ ] ( ) < > ; , = : . + - *, or
                       ":=" or "..." */
    RTT_TOK_ERROR   /* s holds the message; line where it happened */
} rtt_tok_kind_t;

typedef struct rtt_tok {
    rtt_tok_kind_t kind;
    const char *s;
    size_t n;
    int line;
} rtt_tok_t;

typedef struct rtt_lex {
    const char *p, *end;
    int line;
    rtt_tok_t tok; /* the current (peeked) token */
} rtt_lex_t;

/* Start on text[0..len) and read the first token into lx->tok. */
void rtt_lex_init(rtt_lex_t *lx, const char *text, size_t len);
/* Move to the next token (lx->tok); END and ERROR repeat forever. */
void rtt_lex_next(rtt_lex_t *lx);
/* Whether the current token is the punctuation / identifier s. */
int rtt_lex_is(const rtt_lex_t *lx, const char *s);

#endif

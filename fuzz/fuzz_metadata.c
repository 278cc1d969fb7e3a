/* fuzz_metadata.c - libFuzzer target (a): the input is the plain-text TSDL
 * `metadata` file (the "CTF 1.8" text form) of a trace directory whose one
 * stream file is a fixed, valid rtk stream (data/rtk_0.stream, recorded
 * from rtt_tpgen); the directory goes through the engine's real ingest
 * (rtt_ingest_run -> libbabeltrace2 src.ctf.fs -> sink -> SQLite).
 * Seeds: corpus/metadata/ (the metadata of that recording). */
#include "trace_dir.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    size_t n;
    uint8_t *stream = fz_read_data("data/rtk_0.stream", &n);
    fz_trace_dir_init();
    fz_trace_write("rtk_0", stream, n);
    free(stream);
    return 0;
}

/* libbabeltrace2 2.0.4's ctf plugin does not check that the fields of a
 * TSDL structure or the options of a variant have distinct names; the
 * library then aborts the process ("Babeltrace 2 library precondition not
 * satisfied ... Duplicate member/option name in structure/variant field
 * class", field-class.c:996): its bug, not the engine's (fuzz/babeltrace2/,
 * docs/reliability.md). It stopped runs within minutes, so inputs that
 * declare one name twice in one {...} scope are skipped. A declaration is
 * a statement without '=' ending in "NAME;" or "NAME[...];"; comments are
 * skipped, strings are not parsed (statements with strings have '='). */
#define MAX_DEPTH 64
#define MAX_NAMES 4096

static int babeltrace2_fails_on(const uint8_t *d, size_t n)
{
    static size_t name_at[MAX_NAMES], name_len[MAX_NAMES];
    size_t scope_start[MAX_DEPTH], nnames = 0, depth = 0;
    size_t ident = 0, ident_len = 0, brackets = 0;
    int has_eq = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = d[i];
        if (c == '/' && i + 1 < n && d[i + 1] == '*') {
            for (i += 2; i + 1 < n && !(d[i] == '*' && d[i + 1] == '/'); i++)
                ;
            i++;
            continue;
        }
        if (c == '/' && i + 1 < n && d[i + 1] == '/') {
            while (i < n && d[i] != '\n')
                i++;
            continue;
        }
        if (isalpha(c) || c == '_') {
            size_t start = i;
            while (i + 1 < n && (isalnum(d[i + 1]) || d[i + 1] == '_'))
                i++;
            if (!brackets) {
                ident = start;
                ident_len = i + 1 - start;
            }
        } else if (c == '[') {
            brackets++;
        } else if (c == ']') {
            brackets -= brackets > 0;
        } else if (c == '=') {
            has_eq = 1;
        } else if (c == '{' || c == '}') {
            if (c == '{' && depth < MAX_DEPTH)
                scope_start[depth++] = nnames;
            else if (c == '}' && depth > 0)
                nnames = scope_start[--depth];
            ident_len = 0;
            has_eq = 0;
        } else if (c == ';') {
            if (depth > 0 && !has_eq && ident_len > 0) {
                for (size_t k = scope_start[depth - 1]; k < nnames; k++)
                    if (name_len[k] == ident_len &&
                        memcmp(d + name_at[k], d + ident, ident_len) == 0)
                        return 1;
                if (nnames < MAX_NAMES) {
                    name_at[nnames] = ident;
                    name_len[nnames++] = ident_len;
                }
            }
            ident_len = 0;
            has_eq = 0;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (babeltrace2_fails_on(data, size))
        return 0;
    fz_trace_write("metadata", data, size);
    fz_trace_ingest();
    return 0;
}

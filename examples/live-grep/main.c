/* live-grep: type a query, see how many lines of a corpus contain it, as
 * you type. An example of rtk embedded in a program's own poll() loop,
 * with stdin read by the input reader (rtk/input.h), so rt-trace sees each
 * keystroke from the moment it was read, even while a search holds the
 * loop.
 *
 *   live-grep [--lines N] [--seed S] [--chunk N] [--frame-ms N]
 *
 * The corpus is N generated lines (default 200000) of words from a small
 * vocabulary, the same for a seed. Keys: printable characters extend the
 * query, Backspace (0x7f or 0x08) deletes, Ctrl-U clears, Enter prints the
 * status on its own line, Ctrl-D or end of input quits. On a terminal stdin
 * is put in raw mode (restored at exit).
 *
 * Each key: the callback edits the query and asks for a render (the echo:
 * the interaction's next paint), then starts a search task at LOW
 * priority, so a due echo is drawn before the search starts (render
 * priority NORMAL). --chunk 0 (the default) searches the whole corpus in
 * one task: a long task, and keys typed during it wait (rt-trace shows it
 * as their input delay, blocked_by task#N search). --chunk N searches N
 * lines per task, re-queueing itself, so keys (HIGH) get in between. A new
 * key makes a running search stale: it stops at its next chunk.
 * --frame-ms N: at most one render per N ms (default 16; 0: no pacing).
 *
 * Render: one status line "\r[query] M matches" on stdout (M "..." while a
 * search runs). At exit, on stderr:
 *   live-grep: query "Q", matches M, keys K, reads R, dropped D
 * where M is the final query's count (searched to the end), K the bytes
 * handled and R/D the reader's reads and dropped reads.
 */
#define _GNU_SOURCE
#include <rtk/rtk.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"

typedef struct app {
    rtk_runtime_t *rt;
    corpus_t corpus;
    char query[128];
    size_t qlen;
    unsigned gen;      /* bumped by every edit: older searches are stale */
    size_t chunk;      /* lines per search task, 0 = all */
    size_t next_line;  /* the running search's position */
    long matches;      /* of the finished search of `gen`, -1 while running */
    long partial;
    unsigned long keys;
    int quit;
} app_t;

static app_t A;

static void render(rtk_runtime_t *rt, void *ud)
{
    (void)rt, (void)ud;
    if (A.matches >= 0)
        printf("\r\033[K[%s] %ld matches", A.query, A.matches);
    else
        printf("\r\033[K[%s] ...", A.query);
    fflush(stdout);
}

static int search(void *arg)
{
    unsigned gen = (unsigned)(uintptr_t)arg;
    if (gen != A.gen)
        return 0; /* stale: a newer key started its own search */
    size_t n = A.corpus.n - A.next_line;
    if (A.chunk && n > A.chunk)
        n = A.chunk;
    A.partial += corpus_count(&A.corpus, A.next_line, n, A.query);
    A.next_line += n;
    if (A.next_line < A.corpus.n) {
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, search, arg);
        d.name = "search";
        d.priority = RTK_PRIORITY_LOW;
        if (rtk_submit(A.rt, &d, NULL) == RTK_OK)
            return 0;
        return 1; /* queue full: counted by the runtime; search abandoned */
    }
    A.matches = A.partial;
    rtk_render_request(A.rt);
    return 0;
}

static void start_search(void)
{
    A.gen++;
    A.matches = -1;
    A.partial = 0;
    A.next_line = 0;
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, search, (void *)(uintptr_t)A.gen);
    d.name = "search";
    d.priority = RTK_PRIORITY_LOW;
    rtk_submit(A.rt, &d, NULL); /* refused: counted; the next key retries */
}

static void on_keys(rtk_runtime_t *rt, const rtk_input_t *in, void *user)
{
    (void)user;
    if (in->len == 0) { /* end of input */
        A.quit = 1;
        return;
    }
    const unsigned char *b = in->bytes;
    int edited = 0;
    for (size_t i = 0; i < in->len; i++) {
        unsigned char c = b[i];
        A.keys++;
        if (c == 0x04) {
            A.quit = 1;
        } else if (c == '\r' || c == '\n') {
            printf("\r\n");
        } else if (c == 0x7f || c == 0x08) {
            if (A.qlen) {
                A.query[--A.qlen] = 0;
                edited = 1;
            }
        } else if (c == 0x15) {
            A.qlen = 0;
            A.query[0] = 0;
            edited = 1;
        } else if (c >= 0x20 && c < 0x7f && A.qlen + 1 < sizeof A.query) {
            A.query[A.qlen++] = (char)c;
            A.query[A.qlen] = 0;
            edited = 1;
        }
    }
    if (edited)
        start_search();
    rtk_render_request(rt); /* the echo */
}

static long parse(const char *s, const char *what)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 0) {
        fprintf(stderr, "live-grep: %s: not a count: %s\n", what, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    long lines = 200000, seed = 1, frame_ms = 16;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && !strcmp(argv[i], "--lines"))
            lines = parse(argv[++i], "--lines");
        else if (i + 1 < argc && !strcmp(argv[i], "--seed"))
            seed = parse(argv[++i], "--seed");
        else if (i + 1 < argc && !strcmp(argv[i], "--chunk"))
            A.chunk = (size_t)parse(argv[++i], "--chunk");
        else if (i + 1 < argc && !strcmp(argv[i], "--frame-ms"))
            frame_ms = parse(argv[++i], "--frame-ms");
        else {
            fprintf(stderr, "usage: live-grep [--lines N] [--seed S] [--chunk N]"
                            " [--frame-ms N]\n");
            return 2;
        }
    }
    if (corpus_make(&A.corpus, (size_t)lines, (uint64_t)seed) != 0) {
        fprintf(stderr, "live-grep: out of memory\n");
        return 1;
    }
    struct termios saved;
    int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty) {
        struct termios raw = saved;
        raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }

    rtk_config_t cfg;
    rtk_config_init(&cfg);
    cfg.render = render;
    cfg.frame_interval_ns = frame_ms == 16 ? 16666667 : (uint64_t)frame_ms * 1000000;
    int rc = rtk_runtime_create(&cfg, &A.rt);
    if (rc == RTK_OK)
        rc = rtk_boot(A.rt);
    rtk_input_reader_t *reader = NULL;
    if (rc == RTK_OK)
        rc = rtk_input_reader_start(A.rt, STDIN_FILENO, on_keys, NULL, &reader);
    if (rc != RTK_OK) {
        fprintf(stderr, "live-grep: %s\n", rtk_strerror(rc));
        return 1;
    }
    A.matches = (long)A.corpus.n; /* the empty query matches every line */
    rtk_render_request(A.rt);

    /* The program's own loop: rtk's fd (plus whatever else it would poll). */
    rtk_input_reader_stats_t st = {0};
    for (;;) {
        if (A.quit && reader) {
            rtk_input_reader_stop(reader, &st);
            reader = NULL;
            A.gen++; /* a search still running is abandoned */
            rtk_shutdown(A.rt);
        }
        int64_t t = rtk_prepare_wait(A.rt);
        struct pollfd p = {rtk_backend_fd(A.rt), POLLIN, 0};
        /* ppoll in ns: poll's whole milliseconds would make frames late */
        struct timespec ts = {(time_t)(t / 1000000000), (long)(t % 1000000000)};
        ppoll(&p, 1, t < 0 ? NULL : &ts, NULL);
        if (!rtk_tick(A.rt))
            break;
    }
    if (tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    long final = corpus_count(&A.corpus, 0, A.corpus.n, A.query);
    printf("\r\n");
    fprintf(stderr,
            "live-grep: query \"%s\", matches %ld, keys %lu, reads %llu, "
            "dropped %llu\n",
            A.query, final, A.keys, (unsigned long long)st.reads,
            (unsigned long long)st.dropped);
    rtk_runtime_destroy(A.rt);
    corpus_free(&A.corpus);
    return 0;
}

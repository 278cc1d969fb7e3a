/* errors.c - babeltrace2's errors and file errors as one line in user terms
 * (see errors.h).
 *
 * babeltrace2 error causes read "What happened: key=value, key=value" where
 * the details are addresses and internal names (msg-it-addr=0x..,
 * state=AFTER_EVENT_HEADER): only "What happened" is kept. Cause 0 is the
 * root cause; the component and port names of the later causes tell which
 * source ("src-<N>", one per trace) and which stream failed. The TSDL
 * parser's line numbers are only logged (babeltrace2 2.0), so stderr is
 * captured while the graph runs and searched for "At line N in metadata
 * stream". Cost: error paths only, O(causes + log size).
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include "errors.h"

#include <babeltrace2/babeltrace.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void rtt_errno_words(int errnum, char *buf, size_t len)
{
    snprintf(buf, len, "%s", strerror(errnum));
    if (buf[0] && buf[1] && !isupper((unsigned char)buf[1]))
        buf[0] = (char)tolower((unsigned char)buf[0]);
}

void rtt_io_error(char *err, size_t errlen, int errnum, const char *path)
{
    char what[128];
    rtt_errno_words(errnum, what, sizeof what);
    snprintf(err, errlen, "%s: %s", what, path);
}

/* Does s start with "key=" (a babeltrace2 detail)? */
static int is_detail(const char *s)
{
    const char *p = s;
    while (isalnum((unsigned char)*p) || *p == '-' || *p == '_')
        p++;
    return p > s && *p == '=';
}

void rtt_bt_clean(const char *msg, char *out, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; msg[i] && j + 1 < len; i++) {
        if (msg[i] == ':' && (msg[i + 1] == ' ' || msg[i + 1] == '\n') &&
            is_detail(msg + i + 2))
            break;
        if ((msg[i] == '`' || msg[i] == '\'') && msg[i + 1] == '/') {
            /* A quoted path: the caller names the file itself. */
            const char *end = strpbrk(msg + i + 1, "`'");
            if (end) {
                while (j > 0 && out[j - 1] == ' ')
                    j--;
                i = (size_t)(end - msg);
                continue;
            }
        }
        out[j++] = (msg[i] == '\n' || msg[i] == '\t') ? ' ' : msg[i];
    }
    while (j > 0 && (out[j - 1] == '.' || out[j - 1] == ' '))
        j--;
    out[j] = '\0';
    if (out[0] && islower((unsigned char)out[1]))
        out[0] = (char)tolower((unsigned char)out[0]);
}

static const char *cause_component(const bt_error_cause *c)
{
    switch (bt_error_cause_get_actor_type(c)) {
    case BT_ERROR_CAUSE_ACTOR_TYPE_COMPONENT:
        return bt_error_cause_component_actor_get_component_name(c);
    case BT_ERROR_CAUSE_ACTOR_TYPE_MESSAGE_ITERATOR:
        return bt_error_cause_message_iterator_actor_get_component_name(c);
    default:
        return NULL;
    }
}

/* iter-upstream-port-name="UUID | CLASS | INSTANCE" (src.ctf.fs names a
 * stream's port so) of an upstream src-<N> iterator. */
static void find_stream(const char *msg, rtt_bt_err_t *e)
{
    const char *p = strstr(msg, "iter-upstream-comp-name=\"src-");
    const char *q = strstr(msg, "iter-upstream-port-name=\"");
    if (!p || !q)
        return;
    if (e->src < 0)
        e->src = strtol(p + strlen("iter-upstream-comp-name=\"src-"), NULL, 10);
    q += strlen("iter-upstream-port-name=\"");
    const char *bar = strchr(q, '|'), *end = strchr(q, '"');
    if (!bar || !end || bar > end)
        return;
    unsigned long long cls, inst;
    if (sscanf(bar, "| %llu | %llu", &cls, &inst) == 2) {
        e->have_stream = 1;
        e->stream_class = cls;
        e->stream_instance = inst;
    }
}

/* `/path` or '/path' in msg into out. */
static void find_quoted_path(const char *msg, char *out, size_t len)
{
    for (const char *p = msg; *p; p++) {
        if ((*p != '`' && *p != '\'') || p[1] != '/')
            continue;
        const char *end = strchr(p + 1, *p == '`' ? '\'' : '\'');
        const char *end2 = strchr(p + 1, '`');
        if (*p == '`' && end2 && (!end || end2 < end))
            end = end2;
        if (!end)
            return;
        snprintf(out, len, "%.*s", (int)(end - p - 1), p + 1);
        return;
    }
}

void rtt_bt_err_take(rtt_bt_err_t *e)
{
    memset(e, 0, sizeof *e);
    e->src = -1;
    const bt_error *err = bt_current_thread_take_error();
    if (!err) {
        snprintf(e->msg, sizeof e->msg, "babeltrace2 failed without a message");
        return;
    }
    uint64_t n = bt_error_get_cause_count(err);
    if (getenv("RTT_DEBUG_BT"))
        for (uint64_t i = 0; i < n; i++)
            fprintf(stderr, "cause %u: %s\n", (unsigned)i,
                    bt_error_cause_get_message(bt_error_borrow_cause_by_index(err, i)));
    snprintf(e->msg, sizeof e->msg, "babeltrace2 failed");
    if (n > 0)
        rtt_bt_clean(bt_error_cause_get_message(bt_error_borrow_cause_by_index(err, 0)),
                     e->msg, sizeof e->msg);
    /* babeltrace2's wording of the usual decoding failures, in plain words. */
    static const char *const plain[][2] = {
        {"no event class with ID of event class ID to use in stream class",
         "an event of an unknown event class"},
        {"no stream class with ID of stream class ID to use in trace class",
         "a packet of an unknown stream class"},
    };
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (strcmp(e->msg, plain[i][0]) == 0)
            snprintf(e->msg, sizeof e->msg, "%s", plain[i][1]);
    for (uint64_t i = 0; i < n; i++) {
        const bt_error_cause *c = bt_error_borrow_cause_by_index(err, i);
        const char *cn = cause_component(c);
        if (e->src < 0 && cn && strncmp(cn, "src-", 4) == 0)
            e->src = strtol(cn + 4, NULL, 10);
        if (!e->have_stream)
            find_stream(bt_error_cause_get_message(c), e);
        if (!e->where[0])
            find_quoted_path(bt_error_cause_get_message(c), e->where,
                             sizeof e->where);
    }
    bt_error_release(err);
}

/* --- the captured log ------------------------------------------------------ */

void rtt_bt_log_setup(void)
{
    /* Read when the CTF plugin is loaded: its TSDL parser logs its errors
     * (with line numbers) only at this level or finer. An explicit
     * setting is kept. */
    setenv("BABELTRACE_PLUGIN_CTF_METADATA_LOG_LEVEL", "ERROR", 0);
}

void rtt_bt_log_begin(rtt_bt_log_t *l)
{
    l->saved_fd = l->log_fd = -1;
    const char *dir = getenv("TMPDIR");
    int fd = open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0)
        fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    else
        l->log_fd = fd;
    fflush(stderr);
    l->saved_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (fd >= 0 && l->saved_fd >= 0 && dup2(fd, STDERR_FILENO) < 0) {
        close(l->saved_fd);
        l->saved_fd = -1;
    }
    if (fd >= 0 && l->log_fd < 0)
        close(fd);
}

void rtt_bt_log_end(rtt_bt_log_t *l)
{
    if (l->saved_fd >= 0) {
        fflush(stderr);
        dup2(l->saved_fd, STDERR_FILENO);
        close(l->saved_fd);
        l->saved_fd = -1;
    }
}

void rtt_bt_log_close(rtt_bt_log_t *l)
{
    rtt_bt_log_end(l);
    if (l->log_fd >= 0)
        close(l->log_fd);
    l->log_fd = -1;
}

/* "syntax error, unexpected IDENTIFIER, expecting ...: token="is"" ->
 * "syntax error at "is""; other messages: cleaned. */
static void translate_parser(const char *m, char *what, size_t len)
{
    const char *tok = strstr(m, "token=\"");
    if (strncmp(m, "syntax error", 12) == 0 && tok) {
        tok += 7;
        const char *end = strchr(tok, '"');
        int n = end ? (int)(end - tok) : (int)strlen(tok);
        if (n == 0)
            snprintf(what, len, "syntax error: the metadata ends too early");
        else
            snprintf(what, len, "syntax error near \"%.*s\"", n > 60 ? 60 : n, tok);
        return;
    }
    if (strncmp(m, "syntax error", 12) == 0) {
        snprintf(what, len, "syntax error");
        return;
    }
    rtt_bt_clean(m, what, len);
}

int rtt_bt_log_metadata_line(const rtt_bt_log_t *l, unsigned *line, char *what,
                             size_t len)
{
    static const char tag[] = "At line ";
    if (l->log_fd < 0)
        return 0;
    struct stat st;
    if (fstat(l->log_fd, &st) != 0 || st.st_size <= 0)
        return 0;
    /* The error is logged last: the tail is enough. */
    size_t want = st.st_size > 65536 ? 65536 : (size_t)st.st_size;
    char *buf = malloc(want + 1);
    if (!buf)
        return 0;
    ssize_t got = pread(l->log_fd, buf, want, st.st_size - (off_t)want);
    if (got <= 0) {
        free(buf);
        return 0;
    }
    buf[got] = '\0';
    int found = 0;
    /* The first such line is the parser's; later ones repeat it. */
    for (char *p = strstr(buf, tag); p; p = strstr(p + 1, tag)) {
        unsigned n;
        int used = 0;
        if (sscanf(p, "At line %u in metadata stream: %n", &n, &used) != 1 || !used)
            continue;
        char *eol = strchr(p, '\n');
        if (eol)
            *eol = '\0';
        *line = n;
        translate_parser(p + used, what, len);
        found = 1;
        break;
    }
    free(buf);
    return found;
}

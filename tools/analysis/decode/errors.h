/* errors.h - babeltrace2's failures and file errors in user terms
 * (errors.c): what went wrong and where (file, line, offset), without
 * memory addresses or babeltrace2's internal state names. */
#ifndef RTT_DECODE_ERRORS_H
#define RTT_DECODE_ERRORS_H

#include <stddef.h>
#include <stdint.h>

/* "permission denied: PATH", "no such file or directory: PATH", ... */
void rtt_io_error(char *err, size_t errlen, int errnum, const char *path);
/* Its wording alone: strerror(errnum) with a lower-case first letter
 * (unless the word is an acronym), for messages of another shape. */
void rtt_errno_words(int errnum, char *buf, size_t len);

/* The current thread's babeltrace2 error, taken (and released). */
typedef struct rtt_bt_err {
    char msg[400];   /* the root cause, its "key=value" details removed */
    long src;        /* the source component "src-<N>" it came from, or -1 */
    int have_stream; /* the failing stream's output port was named */
    uint64_t stream_class, stream_instance;
    char where[1024]; /* the first quoted absolute path of a cause, or "" */
} rtt_bt_err_t;

void rtt_bt_err_take(rtt_bt_err_t *e);

/* babeltrace2 logs what its error causes leave out (the TSDL parser's line
 * numbers) on stderr: while a graph exists, stderr goes to a temp file
 * that these read back. */
typedef struct rtt_bt_log {
    int saved_fd; /* the real stderr, or -1 */
    int log_fd;   /* the temp file, or -1 */
} rtt_bt_log_t;

/* Ask the CTF plugin's metadata parser to log its errors (an environment
 * variable: call it before any thread runs). */
void rtt_bt_log_setup(void);

/* Point stderr at a fresh temp file (or /dev/null if none can be made). */
void rtt_bt_log_begin(rtt_bt_log_t *l);
/* Restore stderr; the log stays readable until rtt_bt_log_close(). */
void rtt_bt_log_end(rtt_bt_log_t *l);
void rtt_bt_log_close(rtt_bt_log_t *l);

/* The last "At line N in metadata stream: WHAT" the log holds: 1 with
 * *line and what (translated, one line) set, else 0. */
int rtt_bt_log_metadata_line(const rtt_bt_log_t *l, unsigned *line, char *what,
                             size_t len);

/* The message of a babeltrace2 cause, with its "key=value, ..." details
 * (addresses, internal state names) and trailing period removed. */
void rtt_bt_clean(const char *msg, char *out, size_t len);

#endif

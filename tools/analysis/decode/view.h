/* view.h - a trace chunk as babeltrace2 should read it: some stream
 * files cut, some left out (view.c). */
#ifndef RTT_DECODE_VIEW_H
#define RTT_DECODE_VIEW_H

#include <stddef.h>
#include <stdint.h>

enum { RTT_VIEW_LINK, RTT_VIEW_CUT, RTT_VIEW_OMIT };

/* One stream file of the chunk. */
typedef struct rtt_view_entry {
    char *name;      /* file name in the chunk directory */
    int fate;        /* RTT_VIEW_* */
    uint64_t cut_at; /* RTT_VIEW_CUT: bytes kept */
    long issue;      /* the caller's */
    char *copy;      /* RTT_VIEW_CUT: set to the copy's path (malloc'ed) */
} rtt_view_entry_t;

/* Make the view of chunk directory dir as <*root>/<tag>, creating *root
 * (a fresh temp directory, malloc'ed) the first time. *out gets the
 * view's path. Returns 0, or -1 with err holding one line. */
int rtt_view_build(char **root, const char *dir, rtt_view_entry_t *v, size_t n,
                   const char *tag, char **out, char *err, size_t errlen);

/* Remove a view root and everything in it; NULL is a no-op. */
void rtt_view_remove(const char *root);

#endif

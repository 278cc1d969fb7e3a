/* discover.h - finds the CTF traces under a directory
 * (discover.c). */
#ifndef RTT_INGEST_DISCOVER_H
#define RTT_INGEST_DISCOVER_H

#include <stddef.h>
#include <stdint.h>

typedef struct rtt_found {
    char *path;     /* real path of a directory holding a `metadata` file */
    uint64_t bytes;   /* total size of its data stream files */
    uint64_t packets; /* packets per its LTTng index files (0: no index) */
} rtt_found_t;

typedef struct rtt_found_list {
    rtt_found_t *v;
    size_t n, cap;
    /* Set by the caller: an unreadable directory is recorded in skipped
     * instead of failing the walk. */
    int skip_unreadable;
    char **skipped; /* "permission denied: DIR" lines */
    size_t nskipped;
} rtt_found_list_t;

/* Append every trace directory under root (root itself included) to out,
 * sorted, skipping ones already in out. Returns the number added, or -1 with
 * err holding one line ("no such file or directory: ROOT", "permission
 * denied: DIR" for a directory it cannot list unless out->skip_unreadable).
 * A root without any trace is an error too. O(entries under root). */
int rtt_discover(const char *root, rtt_found_list_t *out, char *err,
                 size_t errlen);

void rtt_found_list_free(rtt_found_list_t *l);

#endif

/* out_file.h - an output file that appears whole or not at all, for the
 * commands that write one (export, report).
 *
 * A regular file (or a name not yet taken) is written to a temporary file
 * beside it (same file system) and renamed over it at the end; a failure,
 * or SIGINT, SIGTERM or SIGHUP midway, removes the temporary file and
 * leaves the old target as it was. A symbolic link is followed: the file
 * it names is replaced (or created), the link stays. A target that exists
 * and is not a regular file (a FIFO, a device, /dev/stdout) is written in
 * place: a rename would replace the device itself. A target that is one
 * of the command's input files, or a directory, is refused before
 * anything is written. One output per process (the signal handler's
 * state is static). */
#ifndef RTT_OUT_FILE_H
#define RTT_OUT_FILE_H

#include <stdio.h>

typedef struct rtt_out_file {
    FILE *f;          /* write here between open and commit */
    const char *name; /* as the user gave it: for messages */
    char path[4096];  /* the file written (a link resolved) */
    int direct;       /* written in place: not a regular file */
    int fd;           /* f's descriptor */
    int err;          /* the errno of f's first failed write, else 0:
                       * stdio's errno is gone by the time a writer sees
                       * ferror, and a flush then may find nothing to
                       * write */
} rtt_out_file_t;

/* Opens o->f for `out`; o must stay where it is until commit or abort
 * (f's writes record their failure in it). 0; else prints one line
 * "rt-trace CMD: ..." and returns the exit status: 2 if out is one of
 * inputs[0, ninputs) or an existing directory, 1 if it cannot be
 * created. */
int rtt_out_open(rtt_out_file_t *o, const char *cmd, const char *out,
                 const char *const *inputs, int ninputs);

/* Flushes, syncs, closes and renames into place. 0, or -1 with errno set
 * (the temporary file is then removed, the target left as it was); -1
 * too when any write to f failed, errno then that write's. */
int rtt_out_commit(rtt_out_file_t *o);

/* Closes and removes the temporary file; the target is left as it was. */
void rtt_out_abort(rtt_out_file_t *o);

#endif

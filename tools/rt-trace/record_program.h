/* record_program.h - the program `rt-trace record` runs (record_program.c):
 * forked and held before exec while the session is made, then released and
 * waited for, with the signals meant to stop the recording passed on to it.
 *
 * The signals are SIGINT, SIGTERM, SIGHUP and SIGQUIT. From
 * rtt_prog_signals_hold() on they are blocked, so none ends rt-trace
 * while it holds a session. While the program runs, rtt_prog_run() takes
 * each one and passes it on to the program, except one the terminal sent
 * to the whole foreground process group (si_code SI_KERNEL: Ctrl-C,
 * Ctrl-\), which the program got itself, and one the program sent. Before
 * and after that they stay pending until rtt_prog_signal_pending() takes
 * them; rtt_prog_signals_open() lets them in again (for the ingest, which
 * catches SIGINT and SIGTERM itself). */
#ifndef RTT_RECORD_PROGRAM_H
#define RTT_RECORD_PROGRAM_H

#include <sys/types.h>

typedef struct rtt_program {
    pid_t pid;
    int go_fd;  /* write end: one byte releases the exec */
    int err_fd; /* read end: errno of a failed exec, or EOF */
} rtt_program_t;

/* Block the four signals (and SIGCHLD, which rtt_prog_run waits for),
 * saving the dispositions and mask to restore. Before forking anything. */
void rtt_prog_signals_hold(void);
/* Unblock the four: from now on they reach their handlers (the ingest's
 * for SIGINT and SIGTERM while it runs; SIGHUP and SIGQUIT do nothing). */
void rtt_prog_signals_open(void);
/* Put back what rtt_prog_signals_hold() saved; the four still pending
 * are dropped first (rt-trace has finished its work). */
void rtt_prog_signals_restore(void);
/* One of the four that is pending (blocked, not yet taken): its number,
 * taken so that it is not delivered later; else 0. */
int rtt_prog_signal_pending(void);

/* Fork argv[0] (PATH search) held before exec; in the child the saved
 * dispositions and mask are restored before the exec. 0, or -1 with errno. */
int rtt_prog_spawn(char *const *argv, rtt_program_t *p);
/* Cancel a program that was never released (it exits 127 unseen). */
void rtt_prog_abort(rtt_program_t *p);
/* Release the program and wait for it to end, passing the four signals on
 * (see above). Returns 0 with its wait status in *wstatus, or -1 with
 * errno set if it could not be executed. */
int rtt_prog_run(rtt_program_t *p, int *wstatus);

/* "SIGSEGV" for 11; "signal N" for a number without a name. Static
 * buffer: print it at once. */
const char *rtt_signal_name(int sig);

#endif

/* record_program.h - the program `rt-trace record` runs (record_program.c):
 * forked and held before exec while the session is made, then released and
 * waited for, with the signals meant to stop the recording passed on to it.
 *
 * The signals are SIGINT, SIGTERM, SIGHUP and SIGQUIT. From
 * rtt_prog_signals_hold() on they are held (blocked) until the program is
 * released; while it runs each one is forwarded to it, except one the
 * terminal sent to the whole foreground process group (si_code SI_KERNEL:
 * Ctrl-C, Ctrl-\), which the program got itself, and one the program sent;
 * after it ended, the first one is remembered (rtt_prog_late_signal) and
 * rt-trace stops as soon as it safely can. */
#ifndef RTT_RECORD_PROGRAM_H
#define RTT_RECORD_PROGRAM_H

#include <sys/types.h>

typedef struct rtt_program {
    pid_t pid;
    int go_fd;  /* write end: one byte releases the exec */
    int err_fd; /* read end: errno of a failed exec, or EOF */
} rtt_program_t;

/* Block the four signals and install the forwarding handler, saving the
 * dispositions and mask to restore. Call before forking the program. */
void rtt_prog_signals_hold(void);
/* Put back what rtt_prog_signals_hold() saved. */
void rtt_prog_signals_restore(void);
/* One of the four that arrived while held and the program was not yet
 * released: its number (taken, so it is not delivered later), else 0. */
int rtt_prog_signal_pending(void);
/* The first of the four that arrived after the program ended, else 0. */
int rtt_prog_late_signal(void);

/* Fork argv[0] (PATH search) held before exec; in the child the saved
 * dispositions and mask are restored before the exec. 0, or -1 with errno. */
int rtt_prog_spawn(char *const *argv, rtt_program_t *p);
/* Cancel a program that was never released (it exits 127 unseen). */
void rtt_prog_abort(rtt_program_t *p);
/* Release the program, unblock the four signals (forwarding from now on)
 * and wait for it to end. Returns 0 with its wait status in *wstatus, or -1
 * with errno set if it could not be executed. */
int rtt_prog_run(rtt_program_t *p, int *wstatus);

/* "SIGSEGV" for 11; "signal N" for a number without a name. Static or
 * thread-unsafe buffer: print it at once. */
const char *rtt_signal_name(int sig);

#endif

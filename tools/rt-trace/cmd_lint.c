/* cmd_lint.c - `rt-trace lint DB`: arguments and presentation of the
 * engine's lint rules (analysis/lint/). Exit status: 0 no finding at or
 * above --severity (default warning), 1 such findings (or the database
 * cannot be read), 2 usage. Cost: the rules' (analysis/lint/lint.h).
 */
#define _POSIX_C_SOURCE 200809L /* strdup, strtok_r */
#include "args.h"
#include "commands.h"
#include "lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_head[] =
    "usage: rt-trace lint DB [--rule NAME]... [--set RULE.KEY=VALUE]...\n"
    "                        [--severity info|warning|error] [--from T] [--to T]\n"
    "                        [--format table|json|csv]\n"
    "\n"
    "Looks for known trouble in a recorded run, one finding per case with its\n"
    "evidence (process, ids, times, value against the threshold):\n"
    "  blocked       a task, event handler or render ran longer than a frame\n"
    "                (warning) or 50 ms (error); names it and the head of its\n"
    "                cause chain\n"
    "  timer_late    a timer fired later than its deadline by more than 10 ms\n"
    "  starved       tasks of a priority waited over 100 ms while higher ran\n"
    "  requeue       a task re-queued itself in a chain of over 100 tasks\n"
    "  queue_full    a queue above 80% of its capacity (rtk:stats snapshots)\n"
    "  drops         the runtime dropped items (per reason)\n"
    "  tracer_loss   the tracer discarded events (error)\n"
    "  render_stall  a render requested was not done within 2 frame intervals\n"
    "\n"
    "  -r, --rule NAME  only these rules (repeat, or NAME,NAME)\n"
    "  -s, --set KEY=V  a threshold (repeat); keys and defaults:\n";

static const char usage_tail[] =
    "  --severity S     exit 1 if a finding is at least S (default warning)\n"
    "  --from T, --to T  only findings known in [T1, T2) from the trace start\n"
    "                   (a slow task when it ended, a stall when rendered)\n"
    "  --format F       table (default), json or csv (times in ns)\n"
    "\n"
    "exit status: 0 no finding at or above the severity, 1 findings (or DB\n"
    "cannot be read), 2 usage error\n"
    "\n"
    "example: rt-trace lint run.db --rule blocked --set blocked.frame=8ms\n";

typedef struct lint_args {
    const rtt_qopts_t *o;
    rtt_lint_config_t cfg;
    unsigned rules;
    int severity;
} lint_args_t;

enum { OPT_RULE = 1, OPT_SET, OPT_SEVERITY };

static int on_opt(void *ctx, int id, const char *arg)
{
    lint_args_t *a = ctx;
    if (id == OPT_RULE) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", arg);
        int named = 0;
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
             t = strtok_r(NULL, ",", &save), named++) {
            int r = rtt_lint_rule_find(t);
            if (r < 0) {
                rtt_qerr(a->o,
                         "unknown rule '%s': expected blocked, timer_late, starved, "
                         "requeue, queue_full, drops, tracer_loss or render_stall",
                         t);
                return -1;
            }
            a->rules |= 1u << r;
        }
        if (!named) { /* "" or ",": not every rule */
            rtt_qerr(a->o, "bad --rule '%s': empty rule list (expected NAME or NAME,NAME)",
                     arg);
            return -1;
        }
        return 0;
    }
    if (id == OPT_SEVERITY) {
        if (rtt_lint_severity_parse(arg, &a->severity)) {
            rtt_qerr(a->o, "bad --severity '%s': expected info, warning or error", arg);
            return -1;
        }
        return 0;
    }
    char err[256];
    if (rtt_lint_config_set(&a->cfg, arg, err, sizeof err)) {
        rtt_qerr(a->o, "--set: %s", err);
        return -1;
    }
    return 0;
}

/* The table form: one line per finding, then the counts. */
static int write_table(const rtt_lint_result_t *r)
{
    char at[32];
    for (size_t i = 0; i < r->n; i++) {
        const rtt_lint_finding_t *f = &r->f[i];
        rtt_fmt_duration(at, sizeof at, (double)(f->ts - r->start_ts));
        printf("%-7s  %-12s  %9s  ", rtt_lint_severity_name(f->severity),
               rtt_lint_rule_name(f->rule), at);
        if (f->proc)
            printf("proc %lld: ", (long long)f->proc);
        printf("%s\n", f->message);
    }
    printf("%s%zu finding%s: %d error%s, %d warning%s, %d info\n", r->n ? "\n" : "",
           r->n, r->n == 1 ? "" : "s", r->counted[RTT_LINT_ERROR],
           r->counted[RTT_LINT_ERROR] == 1 ? "" : "s", r->counted[RTT_LINT_WARNING],
           r->counted[RTT_LINT_WARNING] == 1 ? "" : "s", r->counted[RTT_LINT_INFO]);
    return fflush(stdout) || ferror(stdout) ? -1 : 0;
}

int rtt_cmd_lint(int argc, char **argv)
{
    static const rtt_qopt_spec_t specs[] = {{"rule", 'r', 1, OPT_RULE},
                                            {"set", 's', 1, OPT_SET},
                                            {"severity", 0, 1, OPT_SEVERITY},
                                            {NULL, 0, 0, 0}};
    rtt_qopts_t o;
    lint_args_t a = {.o = &o, .rules = 0, .severity = RTT_LINT_WARNING};
    rtt_lint_config_init(&a.cfg);
    size_t ulen = sizeof usage_head + strlen(rtt_lint_config_keys()) + sizeof usage_tail;
    char *usage = malloc(ulen);
    if (!usage) {
        fprintf(stderr, "rt-trace lint: out of memory\n");
        return 1;
    }
    strcpy(usage, usage_head);
    strcat(usage, rtt_lint_config_keys());
    strcat(usage, usage_tail);
    int rc = rtt_qparse(&o, "lint", argc, argv, RTT_Q_WINDOW, specs, on_opt, &a, 1, 1,
                        usage);
    free(usage);
    if (rc >= 0)
        return rc;

    sqlite3 *db;
    if (rtt_qopen(&o, &db))
        return 1;
    rtt_bounds_t b;
    rtt_window_t w;
    char err[512];
    if (rtt_trace_bounds(db, &b)) {
        snprintf(err, sizeof err, "%s", sqlite3_errmsg(db));
        sqlite3_close(db);
        return rtt_qfail(&o, err);
    }
    rtt_window_make(&b, &o.span, &w);
    rtt_lint_result_t r;
    rc = rtt_lint_run(db, &a.cfg, w.active ? w.lo : RTT_LINT_FROM_ALL,
                      w.active ? w.hi : RTT_LINT_TO_ALL, a.rules, &r, err, sizeof err);
    sqlite3_close(db);
    if (rc)
        return rtt_qfail(&o, err);
    int status = rtt_lint_count_at_least(&r, a.severity) ? 1 : 0;
    if (o.format == RTT_FMT_TABLE) {
        rc = write_table(&r);
        rtt_lint_result_free(&r);
        if (rc) {
            rtt_qerr(&o, "cannot write the result: stdout");
            return 1;
        }
        return status;
    }
    rtt_out_t *out = rtt_lint_out(&r);
    rtt_lint_result_free(&r);
    if (!out) {
        rtt_qerr(&o, "out of memory");
        return 1;
    }
    rc = rtt_qwrite(&o, out);
    return rc ? rc : status;
}

/* commands.h - rt-trace's subcommands. Each takes the argv that follows the
 * subcommand name (argv[0] is the subcommand) and returns the process exit
 * status: 0 ok, 1 a failure reported on stderr as one line
 * "rt-trace <cmd>: <what>: <where>", 2 bad usage.
 * Every subcommand answers --help on stdout with exit 0. */
#ifndef RTT_COMMANDS_H
#define RTT_COMMANDS_H

int rtt_cmd_record(int argc, char **argv);  /* cmd_record.c */
int rtt_cmd_ingest(int argc, char **argv);  /* cmd_ingest.c */
int rtt_cmd_summary(int argc, char **argv); /* cmd_summary.c */
int rtt_cmd_latency(int argc, char **argv); /* cmd_latency.c */
int rtt_cmd_drops(int argc, char **argv);   /* cmd_drops.c */
int rtt_cmd_frames(int argc, char **argv);  /* cmd_frames.c */
int rtt_cmd_top(int argc, char **argv);     /* cmd_top.c */
int rtt_cmd_sql(int argc, char **argv);     /* cmd_sql.c */
int rtt_cmd_interactions(int argc, char **argv); /* cmd_interactions.c */
int rtt_cmd_compare(int argc, char **argv); /* cmd_compare.c */
int rtt_cmd_check(int argc, char **argv);   /* cmd_check.c */
int rtt_cmd_lint(int argc, char **argv);    /* cmd_lint.c */
int rtt_cmd_export(int argc, char **argv);  /* cmd_export.c */
int rtt_cmd_view(int argc, char **argv);    /* cmd_view.c */
int rtt_cmd_report(int argc, char **argv);  /* cmd_report.c */
int rtt_cmd_live(int argc, char **argv);    /* cmd_live.c */

#endif

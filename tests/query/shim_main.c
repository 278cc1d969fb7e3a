/* shim_main.c - stand-in for tools/rt-trace/main.c: dispatches the query
 * subcommands only. Built into rt-trace-query-shim when the real rt-trace
 * target does not exist (this directory configured on its own).
 */
#include "commands.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"summary", rtt_cmd_summary}, {"latency", rtt_cmd_latency},
                {"drops", rtt_cmd_drops},     {"frames", rtt_cmd_frames},
                {"top", rtt_cmd_top},         {"sql", rtt_cmd_sql},
                {"interactions", rtt_cmd_interactions},
                {"compare", rtt_cmd_compare}, {"check", rtt_cmd_check},
                {"lint", rtt_cmd_lint},
                {"export", rtt_cmd_export}};
    if (argc < 2) {
        fprintf(stderr, "usage: rt-trace COMMAND ...\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "rt-trace: unknown command '%s'\n", argv[1]);
    return 2;
}

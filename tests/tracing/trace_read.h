/* trace_read.h - read a CTF trace back through the babeltrace2 CLI and
 * parse its text output into (event name, field map) records.
 * Cost: one babeltrace2 process; O(events) parsing. */
#ifndef RTK_TRACING_TRACE_READ_H
#define RTK_TRACING_TRACE_READ_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

struct TraceEvent {
    std::string name;                          /* "task_queued" (provider cut) */
    std::map<std::string, std::string> fields; /* every "k = v" of the line */
    uint64_t u(const std::string &k) const;    /* field as unsigned; throws if absent */
    bool has(const std::string &k) const { return fields.count(k) != 0; }
};

/* Parse one line of babeltrace2's default text output. Returns false for
 * lines that are not events of provider `provider`. */
bool parse_trace_line(const std::string &line, const std::string &provider, TraceEvent *ev);

/* Run `babeltrace2 <dir>` and parse every `provider:` event. Returns false
 * (with a message in *err) if babeltrace2 fails. */
bool read_trace(const std::string &dir, const std::string &provider,
                std::vector<TraceEvent> *out, std::string *err);

#endif

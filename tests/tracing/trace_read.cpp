// trace_read.cpp - babeltrace2 text output -> TraceEvent (see trace_read.h).
// A line looks like:
//   [12:00:00.000000001] (+0.000000001) host rtk:task_queued: { cpu_id = 0 },
//   { vpid = 42 }, { id = 7, cause = 0, ..., name = "x" }
#include "trace_read.h"

#include <cctype>
#include <cstdio>
#include <stdexcept>

uint64_t TraceEvent::u(const std::string &k) const
{
    auto it = fields.find(k);
    if (it == fields.end())
        throw std::runtime_error("event " + name + " has no field " + k);
    return std::stoull(it->second, nullptr, 0);
}

bool parse_trace_line(const std::string &line, const std::string &provider, TraceEvent *ev)
{
    std::string tag = " " + provider + ":";
    size_t p = line.find(tag);
    if (p == std::string::npos)
        return false;
    p += tag.size();
    size_t colon = line.find(':', p);
    if (colon == std::string::npos)
        return false;
    ev->name = line.substr(p, colon - p);
    ev->fields.clear();
    size_t i = colon + 1, n = line.size();
    while (i < n) {
        /* find the next "key = " */
        size_t eq = line.find(" = ", i);
        if (eq == std::string::npos)
            break;
        size_t ks = eq;
        while (ks > i && (isalnum((unsigned char)line[ks - 1]) || line[ks - 1] == '_'))
            ks--;
        std::string key = line.substr(ks, eq - ks);
        size_t vs = eq + 3, ve;
        std::string val;
        if (vs < n && line[vs] == '"') {
            ve = vs + 1;
            while (ve < n && line[ve] != '"') {
                if (line[ve] == '\\')
                    ve++;
                ve++;
            }
            val = line.substr(vs + 1, ve - vs - 1);
            ve++;
        } else {
            ve = vs;
            while (ve < n && line[ve] != ',' && line[ve] != ' ' && line[ve] != '}')
                ve++;
            val = line.substr(vs, ve - vs);
        }
        if (!key.empty())
            ev->fields[key] = val;
        i = ve;
    }
    return true;
}

bool read_trace(const std::string &dir, const std::string &provider,
                std::vector<TraceEvent> *out, std::string *err)
{
    std::string cmd = "babeltrace2 '" + dir + "' 2>&1";
    FILE *f = popen(cmd.c_str(), "r");
    if (!f) {
        *err = "cannot run babeltrace2";
        return false;
    }
    std::string line, all_errors;
    char buf[4096];
    while (fgets(buf, sizeof buf, f)) {
        line += buf;
        if (line.empty() || line.back() != '\n')
            continue;
        line.pop_back();
        TraceEvent ev;
        if (parse_trace_line(line, provider, &ev))
            out->push_back(ev);
        else if (all_errors.size() < 2000)
            all_errors += line + "\n";
        line.clear();
    }
    int st = pclose(f);
    if (st != 0) {
        *err = "babeltrace2 failed (status " + std::to_string(st) + "):\n" + all_errors;
        return false;
    }
    return true;
}

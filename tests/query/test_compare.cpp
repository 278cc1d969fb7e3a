// test_compare.cpp - rt-trace compare on databases whose distributions are
// known: task run times drawn from a lognormal (own seeded generator), the
// new side scaled by a known factor. Checks the verdicts, that the interval
// holds the true shift, the guard rails, determinism, the exit statuses
// and the one-line errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "query_test_util.hpp"

namespace {

const long long BASE = 1000000000000LL, MS = 1000000, S = 1000000000;

std::string n(long long v) { return std::to_string(v); }

// splitmix64 and Box-Muller: the same stream for the same seed.
struct Rng {
    uint64_t s;
    uint64_t next()
    {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return ((double)(next() >> 11) + 0.5) / 9007199254740992.0; }
    double normal()
    {
        return std::sqrt(-2 * std::log(uniform())) * std::cos(6.283185307179586 * uniform());
    }
};

struct Spec {
    std::string procname = "app";
    long long tasks = 4000;
    uint64_t seed = 1;
    double scale = 1.0;        // run times times this
    long long drops = 0;       // work_queue_full drops
    long long discarded = 0;   // tracer-discarded events
    double seconds = 20;       // run length
};

// tasks named "work": run time lognormal around 2 ms (sigma 0.5), queue
// wait 100 us, one every seconds/tasks; the trace spans `seconds`.
void fill(TestDb &db, const Spec &sp)
{
    Rng rng{sp.seed};
    long long span = (long long)(sp.seconds * S);
    db.exec("BEGIN");
    db.exec("INSERT INTO traces VALUES (1, 'uuid-" + n((long long)sp.seed) +
            "', '/tmp/t', 'host', '" + sp.procname + "', 100, 'per-pid', " + n(BASE) +
            ", " + n(BASE + span) + ", " + n(sp.tasks * 3) + ", 'now');"
            "INSERT INTO procs VALUES (1, 1, 100, '" + sp.procname + "');");
    long long step = span / (sp.tasks + 1);
    for (long long i = 1; i <= sp.tasks; i++) {
        double run = 2e6 * std::exp(0.5 * rng.normal()) * sp.scale;
        long long q = BASE + i * step, s = q + 100000, f = s + (long long)run;
        db.exec("INSERT INTO tasks (proc, id, cause, priority, name, source, queued_ts,"
                " started_ts, finished_ts, outcome, status, flags) VALUES (1, " + n(i) +
                ", 0, 100, 'work', 0, " + n(q) + ", " + n(s) + ", " + n(f) + ", 0, 0, 0)");
    }
    for (long long d = 0; d < sp.drops; d++)
        db.exec("INSERT INTO drops VALUES (1, " + n(BASE + d * (span / sp.drops)) + ", " +
                n(900000 + d) +
                ", 0, 100, 0, 0)");
    if (sp.discarded)
        db.exec("INSERT INTO tracer_loss VALUES (1, 's', 'events', " + n(sp.discarded) +
                ", " + n(BASE) + ", " + n(BASE + S) + ")");
    db.exec("COMMIT");
}

struct Db {
    TestDb db;
    Db(const std::string &name, const Spec &sp) : db(name) { fill(db, sp); }
    const std::string &path() const { return db.path(); }
};

Json compare_json(const std::vector<std::string> &args, int want_status)
{
    std::vector<std::string> a = {"compare"};
    a.insert(a.end(), args.begin(), args.end());
    a.push_back("--format");
    a.push_back("json");
    RunResult r = run_cli(a);
    INFO(r.err);
    REQUIRE(r.status == want_status);
    return parse_json(r.out);
}

const Json &verdict_of(const Json &j, const std::string &measure)
{
    return find_row(j["verdicts"], {{"measure", measure}});
}

const Json &quantile_of(const Json &j, const std::string &measure, const std::string &q)
{
    return find_row(j["quantiles"], {{"measure", measure}, {"stat", q}});
}

const char *RUN = "task.run_time[name=work]";

} // namespace

TEST_CASE("compare: a 30% slower task is regressed, its interval holds 0.30")
{
    Spec b, c;
    c.seed = 1; // the same draws, scaled: the true change is exactly +30%
    c.scale = 1.3;
    Db base("cmp_base.db", b), cur("cmp_slow.db", c);
    Json j = compare_json({base.path(), "--against", cur.path()}, 1);
    CHECK(verdict_of(j, RUN)["verdict"].text == "regressed");
    for (const char *q : {"p50", "p90", "p99"}) {
        const Json &row = quantile_of(j, RUN, q);
        INFO(q);
        CHECK(row["verdict"].text == "regressed");
        CHECK(row["change"].num() == Approx(0.30).epsilon(0.001));
        CHECK(row["ci_low"].num() <= 0.30);
        CHECK(row["ci_high"].num() >= 0.30);
        CHECK(row["ci_low"].num() > 0.05); // clearly beyond the threshold
    }
    // The queue wait did not move: the same 100 us everywhere.
    CHECK(verdict_of(j, "task.queue_wait[name=work]")["verdict"].text == "same");
    CHECK(j["comparison"]["regressed"].integer() >= 1);
    CHECK(j["comparison"]["status"].integer() == 1);
    CHECK(j["comparison"]["resampling"].text == "time blocks within each run");
}

TEST_CASE("compare: faster is improved, the same distribution is same")
{
    Spec b, fast, other;
    b.tasks = fast.tasks = other.tasks = 20000; // p99: 200 values beyond it
    fast.scale = 0.7;
    other.seed = 77; // new draws from the same distribution
    Db base("cmp_b2.db", b), f("cmp_fast.db", fast), o("cmp_other.db", other);
    Json j = compare_json({base.path(), "--against", f.path()}, 0);
    CHECK(verdict_of(j, RUN)["verdict"].text == "improved");
    CHECK(quantile_of(j, RUN, "p50")["change"].num() == Approx(-0.30).epsilon(0.001));

    Json k = compare_json({base.path(), "--against", o.path()}, 0);
    CHECK(verdict_of(k, RUN)["verdict"].text == "same");
    const Json &p50 = quantile_of(k, RUN, "p50");
    CHECK(p50["ci_low"].num() < 0);
    CHECK(p50["ci_high"].num() > 0);
    CHECK(k["comparison"]["regressed"].integer() == 0);
}

TEST_CASE("compare: too few samples is inconclusive with an estimate of runs")
{
    Spec b, c;
    b.tasks = c.tasks = 40;
    c.seed = 9;
    c.scale = 1.2;
    Db base("cmp_few_b.db", b), cur("cmp_few_c.db", c);
    Json j = compare_json({base.path(), "--against", cur.path()}, 0);
    const Json &v = verdict_of(j, RUN);
    CHECK(v["verdict"].text == "inconclusive");
    CHECK(v["runs_needed"].integer() > 0);
    // p90 needs 100 samples, p99 1000: not assessed, and said so.
    CHECK(quantile_of(j, RUN, "p99")["verdict"].text == "not assessed");
    CHECK(v["note"].text.find("not assessed") != std::string::npos);
    bool warned = false;
    for (const Json &w : j["warnings"].arr)
        warned |= w["warning"].text.find("not assessed") != std::string::npos;
    CHECK(warned);
    // --fail-on-inconclusive turns it into exit 3.
    RunResult r = run_cli({"compare", base.path(), "--against", cur.path(),
                           "--fail-on-inconclusive"});
    CHECK(r.status == 3);
}

TEST_CASE("compare: several runs per side resample runs")
{
    Spec s;
    std::vector<std::unique_ptr<Db>> dbs;
    std::vector<std::string> args;
    for (int i = 0; i < 6; i++) {
        s.seed = 100 + i;
        s.tasks = 1500;
        s.scale = i < 3 ? 1.0 : 1.5;
        dbs.emplace_back(new Db("cmp_run" + n(i) + ".db", s));
    }
    args = {dbs[0]->path(), dbs[1]->path(), dbs[2]->path(), "--against", dbs[3]->path(),
            dbs[4]->path(), dbs[5]->path()};
    Json j = compare_json(args, 1);
    CHECK(j["comparison"]["resampling"].text == "runs, then time blocks within each");
    CHECK(j["comparison"]["base_runs"].integer() == 3);
    CHECK(j["comparison"]["new_runs"].integer() == 3);
    CHECK(verdict_of(j, RUN)["verdict"].text == "regressed");
}

TEST_CASE("compare: guard rails for loss, drops, length and workload")
{
    Spec b, c;
    c.seed = 5;
    c.drops = 40; // one a second
    c.discarded = 42;
    c.seconds = 40;
    c.tasks = 8000;
    Db base("cmp_g_b.db", b), cur("cmp_g_c.db", c);
    Json j = compare_json({base.path(), "--against", cur.path()}, 1);
    std::string all;
    for (const Json &w : j["warnings"].arr)
        all += w["warning"].text + "\n";
    INFO(all);
    CHECK(all.find("tracer loss") != std::string::npos);
    CHECK(all.find("42") != std::string::npos);
    CHECK(all.find("runtime drops: 0 in base, 40 in new") != std::string::npos);
    CHECK(all.find("different run lengths") != std::string::npos);
    // Drops per second: none in base is a value, one a second in new is a
    // regression.
    const Json &d = verdict_of(j, "drops[reason=work_queue_full]");
    CHECK(d["verdict"].text == "regressed");
    CHECK(d["mean_change"].num() == Approx(40.0 / 41).epsilon(0.01));
}

TEST_CASE("compare: deterministic for a seed, thresholds and filters apply")
{
    Spec b, c;
    c.seed = 3;
    c.scale = 1.04; // +4%: under the 5% threshold
    Db base("cmp_d_b.db", b), cur("cmp_d_c.db", c);
    RunResult r1 = run_cli({"compare", base.path(), "--against", cur.path(), "--format",
                            "json"});
    RunResult r2 = run_cli({"compare", base.path(), "--against", cur.path(), "--format",
                            "json"});
    REQUIRE(r1.status == 0);
    CHECK(r1.out == r2.out);
    RunResult r3 = run_cli({"compare", base.path(), "--against", cur.path(), "--format",
                            "json", "--seed", "12345"});
    CHECK(r3.out != r1.out); // another seed, other intervals

    Json j = parse_json(r1.out);
    CHECK(verdict_of(j, RUN)["verdict"].text != "regressed");
    // A 1% threshold on task.run_time makes +4% count.
    Json k = compare_json({base.path(), "--against", cur.path(), "--threshold-for",
                           "task.run_time=1%,10us", "--only", "task."},
                          1);
    CHECK(verdict_of(k, RUN)["verdict"].text == "regressed");
    for (const Json &row : k["verdicts"].arr)
        CHECK(row["measure"].text.rfind("task.", 0) == 0);
}

TEST_CASE("compare: table and markdown output")
{
    Spec b, c;
    c.scale = 1.3;
    Db base("cmp_t_b.db", b), cur("cmp_t_c.db", c);
    RunResult t = run_cli({"compare", base.path(), "--against", cur.path()});
    CHECK(t.status == 1);
    CHECK(t.out.find("regressed") != std::string::npos);
    CHECK(t.out.find(RUN) != std::string::npos);
    CHECK(t.out.find("quantiles:") != std::string::npos); // base, new, interval
    RunResult m = run_cli({"compare", base.path(), "--against", cur.path(), "--format",
                           "markdown"});
    CHECK(m.status == 1);
    CHECK(m.out.find("### verdicts") != std::string::npos);
    CHECK(m.out.find("### quantiles") != std::string::npos);
    CHECK(m.out.find("| measure |") != std::string::npos);
    RunResult br = run_cli({"compare", base.path(), "--against", cur.path(), "--format",
                            "markdown", "--brief"});
    CHECK(br.status == 1);
    CHECK(br.out.find("### verdicts") != std::string::npos);
    CHECK(br.out.find("### quantiles") == std::string::npos);
}

TEST_CASE("compare: bad input is one line and exit 2")
{
    Spec b, other;
    other.procname = "vim";
    Db base("cmp_e_b.db", b), vim("cmp_e_vim.db", other);
    TestDb empty("cmp_e_empty.db");
    TestDb old("cmp_e_old.db");
    old.exec("PRAGMA user_version = 99");
    std::string text = tmp_path("cmp_e_text.db");
    FILE *f = fopen(text.c_str(), "w");
    REQUIRE(f);
    fputs("not a database, just text\n", f);
    fclose(f);

    struct Case {
        std::vector<std::string> args;
        std::string says;
    } cases[] = {
        {{"compare", base.path(), "--against", tmp_path("missing.db")}, "missing.db"},
        {{"compare", base.path(), "--against", text}, "not an rt-trace database"},
        {{"compare", base.path(), "--against", old.path()}, "schema version 99"},
        {{"compare", base.path(), "--against", empty.path()}, "no rtk events"},
        {{"compare", base.path(), "--against", vim.path()}, "different programs"},
        {{"compare", base.path()}, "no --against"},
        {{"compare", "--against", base.path()}, "no base database"},
        {{"compare", base.path(), "--against"}, "no database after --against"},
        {{"compare", base.path(), "--against", base.path(), "--alpha", "2"}, "--alpha"},
        {{"compare", base.path(), "--against", base.path(), "--threshold", "5"},
         "--threshold"},
        {{"compare", base.path(), "--against", base.path(), "--bogus"}, "unknown option"},
    };
    for (const Case &c : cases) {
        RunResult r = run_cli(c.args);
        INFO(c.says << ": " << r.err);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err.find(c.says) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    RunResult h = run_cli({"compare", "--help"});
    CHECK(h.status == 0);
    CHECK(h.out.find("usage: rt-trace compare") == 0);
}

TEST_CASE("compare: --only naming no measure, non-finite thresholds, --opt=value")
{
    Spec b;
    Db base("cmp_o_b.db", b);
    struct Case {
        std::vector<std::string> args;
        std::string err;
    } cases[] = {
        {{"--only", "nosuch"},
         "rt-trace compare: --only 'nosuch' matched no measure (names start with task)\n"},
        {{"--only=nosuch"},
         "rt-trace compare: --only 'nosuch' matched no measure (names start with task)\n"},
    };
    for (const Case &c : cases) {
        std::vector<std::string> a = {"compare", base.path(), "--against", base.path()};
        a.insert(a.end(), c.args.begin(), c.args.end());
        RunResult r = run_cli(a);
        INFO(c.args.back());
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err == c.err);
    }
    for (const char *t : {"5%,inf", "5%,1e400", "inf,50us", "nan,50us", "5%,nan", "5%,-1",
                          "1e400%,1us", "5%,"}) {
        RunResult r = run_cli({"compare", base.path(), "--against", base.path(),
                               "--threshold", t});
        INFO(t);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err == std::string("rt-trace compare: bad --threshold '") + t +
                           "': expected RATIO,DURATION of finite non-negative numbers, "
                           "e.g. 5%,50us\n");
    }
    RunResult r = run_cli({"compare", base.path(), "--against", base.path(),
                           "--threshold-for", "task.run_time=5%,inf"});
    CHECK(r.status == 2);
    CHECK(r.err == "rt-trace compare: bad --threshold-for 'task.run_time=5%,inf': expected "
                   "MEASURE=RATIO,LIMIT of finite non-negative numbers, e.g. "
                   "task.run_time=10%,100us\n");
    r = run_cli({"compare", base.path(), "--against", base.path(), "--format=xml"});
    CHECK(r.status == 2);
    CHECK(r.err == "rt-trace compare: bad --format 'xml': expected table, json, csv or "
                   "markdown\n");
    r = run_cli({"compare", base.path(), "--against", base.path(), "--brief=1"});
    CHECK(r.status == 2);
    CHECK(r.err == "rt-trace compare: unknown option '--brief=1' (see --help)\n");

    // The = form of every option with a value, as the other commands take it.
    r = run_cli({"compare", base.path(), "--against", base.path(), "--format=json",
                 "--threshold=10%,1ms", "--threshold-for=task.queue_wait=1%,1us",
                 "--only=task.", "--seed=7", "--replicates=100", "--blocks=4",
                 "--alpha=0.05"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    Json j = parse_json(r.out);
    CHECK(j["comparison"]["threshold_rel"].num() == Approx(0.10));
    CHECK(j["comparison"]["threshold_abs"].integer() == 1000000);
    CHECK(j["comparison"]["seed"].integer() == 7);
    CHECK(j["comparison"]["replicates"].integer() == 100);
    CHECK(j["comparison"]["blocks_per_run"].integer() == 4);
    CHECK(j["comparison"]["alpha"].num() == Approx(0.05));
    for (const Json &row : j["verdicts"].arr)
        CHECK(row["measure"].text.rfind("task.", 0) == 0);
}

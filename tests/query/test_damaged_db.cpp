// test_damaged_db.cpp - every command that reads a database, run on copies
// of the main scenario's database with garbage written at places spread
// over the file (header, schema, table and index pages): each outcome must
// be an answer, a verdict, or one line naming the file, never a crash or a
// hang; the damaged file is left as it was and no output file is left
// half-written.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "main_scenario.hpp"
#include "query_test_util.hpp"

namespace {

void write_all(const std::string &path, const std::string &bytes)
{
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), (std::streamsize)bytes.size());
}

bool exists(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

bool one_line(const std::string &s)
{
    return !s.empty() && s.back() == '\n' && s.find('\n') == s.size() - 1;
}

// 512 bytes of xorshift garbage at off, seeded by the place.
std::string damage(std::string bytes, size_t off, uint64_t seed)
{
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    for (size_t i = off; i < off + 512 && i < bytes.size(); i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes[i] = (char)(x >> 24);
    }
    return bytes;
}

bool has_command(const char *cmd)
{
    return run_cli({cmd, "--help"}).status == 0;
}

} // namespace

TEST_CASE("a damaged database: one line naming it, never a crash or a hang")
{
    std::string pristine;
    {
        TestDb good("damage-src.db");
        fill_main(good);
        pristine = slurp(good.path());
    }
    REQUIRE(pristine.size() > 64 * 1024); // many pages to damage
    TestDb base("damage-base.db");
    fill_main(base);
    std::string budget = tmp_path("damage.budget");
    write_all(budget, "drops total == 0\ntask run_time p90 < 2ms\n");
    std::string bad = tmp_path("damaged.db");
    std::string out_json = tmp_path("damaged.json"), out_html = tmp_path("damaged.html");
    const bool report = has_command("report"), interactions = has_command("interactions"),
               lint = has_command("lint"), exporter = has_command("export");

    const int places = 24;
    int failed_runs = 0, answered_runs = 0;
    for (int k = 0; k < places; k++) {
        size_t off = (pristine.size() - 512) * (size_t)k / (places - 1);
        std::string bytes = damage(pristine, off, (uint64_t)k + 1);
        write_all(bad, bytes);
        std::vector<std::vector<std::string>> runs = {
            {"summary", bad},
            {"latency", bad},
            {"drops", bad},
            {"frames", bad},
            {"top", bad},
            {"sql", bad, "SELECT count(*), sum(finished_ts - started_ts) FROM tasks"},
            {"compare", base.path(), "--against", bad},
            {"check", bad, "--budget", budget},
        };
        if (interactions)
            runs.push_back({"interactions", bad});
        if (lint)
            runs.push_back({"lint", bad});
        if (exporter)
            runs.push_back({"export", bad, "-o", out_json});
        if (report)
            runs.push_back({"report", bad, "-o", out_html});
        for (const auto &args : runs) {
            unlink(out_json.c_str());
            unlink(out_html.c_str());
            RunResult r = run_cli(args, 60);
            INFO("damage at " << off << ": rt-trace " << args[0] << " -> " << r.status
                              << ": " << r.err);
            // an answer (0), a verdict or one error line (1), inputs that
            // cannot be compared (compare: 2); never a signal or a hang
            CHECK(r.status >= 0);
            CHECK(r.status <= (args[0] == "compare" ? 2 : 1));
            if (!r.err.empty()) {
                CHECK(one_line(r.err));
                CHECK(r.err.rfind("rt-trace " + args[0] + ": ", 0) == 0);
                CHECK(r.err.find(bad) != std::string::npos);
                CHECK(r.status != 0);
                CHECK(r.err.find("/api/") == std::string::npos); // no URL
                failed_runs++;
            } else {
                answered_runs++;
            }
            if (k == 0) { // the header: not a database at all (the words of
                          // rt-trace's and of the query shim's db open)
                CHECK(r.err.find("not an rt-trace database") != std::string::npos);
                CHECK(r.err.find("not SQLite") != std::string::npos);
            }
            if (r.status != 0 && args.size() == 4 && args[2] == "-o") {
                CHECK_FALSE(exists(args[3])); // nothing half-written
            }
        }
        // read-only: the file as it was, no journal beside it
        CHECK(slurp(bad) == bytes);
        CHECK_FALSE(exists(bad + "-journal"));
        CHECK_FALSE(exists(bad + "-wal"));
    }
    // the places chosen do damage: some runs must fail (106 of 288 when
    // written), and the ones whose garbage lands in rows or pages a
    // command does not read still answer
    CHECK(failed_runs > 0);
    CHECK(answered_runs > 0);
    unlink(bad.c_str());
    unlink(budget.c_str());
}

TEST_CASE("a damaged, empty or foreign database file: the line says what it is")
{
    // The words of rt-trace's own db open (tools/analysis/store/db.c); the
    // query shim, built when this directory is configured alone, has its own.
    if (std::string(RTT_BIN).find("query-shim") != std::string::npos) {
        WARN("skipped: RTT_BIN is the query shim");
        return;
    }
    std::string pristine;
    {
        TestDb good("whole-src.db");
        fill_main(good);
        pristine = slurp(good.path());
    }
    REQUIRE(pristine.size() > 64 * 1024);
    const std::string bad = tmp_path("not-whole.db");
    auto summary_error = [&](const std::string &bytes) {
        write_all(bad, bytes);
        RunResult r = run_cli({"summary", bad}, 60);
        CHECK(r.status == 1);
        CHECK(r.out.empty());
        CHECK(slurp(bad) == bytes); // read-only: left as it was
        CHECK_FALSE(exists(bad + "-journal"));
        return r.err;
    };
    const std::string head = "rt-trace summary: " + bad + ": not an rt-trace database ";
    // the first half of a valid database: SQLite, cut
    const size_t half = pristine.size() / 2;
    CHECK(summary_error(pristine.substr(0, half)) ==
          head + "(SQLite file truncated: " + std::to_string(half) + " of " +
              std::to_string(pristine.size()) + " bytes)\n");
    // cut inside the 100-byte header
    CHECK(summary_error(pristine.substr(0, 50)) ==
          head + "(SQLite file truncated: 50 bytes, less than its header)\n");
    // 0 bytes: an empty file, not an SQLite database
    CHECK(summary_error("") == head + "(empty file)\n");
    // text
    CHECK(summary_error(std::string(4096, 'x')) == head + "(file is not SQLite)\n");
    // a whole SQLite database of something else
    unlink(bad.c_str());
    sqlite3 *db = nullptr;
    REQUIRE(sqlite3_open(bad.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    RunResult r = run_cli({"summary", bad}, 60);
    CHECK(r.status == 1);
    CHECK(r.err == head + "(SQLite, but no rt-trace schema version)\n");
    unlink(bad.c_str());
}

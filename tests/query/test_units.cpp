// test_units.cpp - unit tests of the pieces every query shares: the
// percentile() SQL aggregate, the radix sort and percentiles, duration
// parsing and formatting, and the csv/json writers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include "db.h"
#include "format.h"
#include "args.h"
#include "stats.h"
#include "out_file.h"
}

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

#include "query_test_util.hpp"

namespace {

// Run one-value SQL on an in-memory db with the functions registered.
struct MemDb {
    sqlite3 *db = nullptr;
    MemDb()
    {
        sqlite3_open(":memory:", &db);
        REQUIRE(rtt_register_sql_functions(db) == 0);
        sqlite3_exec(db, "CREATE TABLE v(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
                         " SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO v SELECT i FROM n;"
                         " INSERT INTO v VALUES (NULL), (NULL);",
                     nullptr, nullptr, nullptr);
    }
    ~MemDb() { sqlite3_close(db); }
    // Returns "null", the number as %.6f, or "error: msg".
    std::string one(const std::string &sql)
    {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            return std::string("error: ") + sqlite3_errmsg(db);
        int rc = sqlite3_step(st);
        std::string r;
        if (rc != SQLITE_ROW)
            r = std::string("error: ") + sqlite3_errmsg(db);
        else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
            r = "null";
        else {
            char buf[64];
            snprintf(buf, sizeof buf, "%.6f", sqlite3_column_double(st, 0));
            r = buf;
        }
        sqlite3_finalize(st);
        return r;
    }
};

std::string write(rtt_out_t *o, rtt_format_t fmt)
{
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    REQUIRE(rtt_out_write(o, fmt, f) == 0);
    fclose(f);
    std::string s(buf, len);
    free(buf);
    return s;
}

} // namespace

TEST_CASE("percentile() interpolates like numpy's default")
{
    MemDb m;
    CHECK(m.one("SELECT percentile(x, 50) FROM v") == "500.500000");
    CHECK(m.one("SELECT percentile(x, 0) FROM v") == "1.000000");
    CHECK(m.one("SELECT percentile(x, 100) FROM v") == "1000.000000");
    CHECK(m.one("SELECT percentile(x, 90) FROM v") == "900.100000");
    CHECK(m.one("SELECT percentile(x, 99) FROM v") == "990.010000");
    CHECK(m.one("SELECT percentile(x, 99.9) FROM v") == "999.001000");
    CHECK(m.one("SELECT percentile(x, 25) FROM v WHERE x <= 4") == "1.750000");
    CHECK(m.one("SELECT percentile(x * 1.5, 50) FROM v WHERE x <= 2") == "2.250000");
    CHECK(m.one("SELECT percentile(x, 50) FROM v WHERE x = 7") == "7.000000");
}

TEST_CASE("percentile() on no values is NULL, bad p or values are errors")
{
    MemDb m;
    CHECK(m.one("SELECT percentile(x, 50) FROM v WHERE x > 5000") == "null");
    CHECK(m.one("SELECT percentile(x, 50) FROM v WHERE x IS NULL") == "null");
    CHECK(m.one("SELECT percentile(x, 101) FROM v").rfind("error: percentile: p", 0) == 0);
    CHECK(m.one("SELECT percentile(x, -1) FROM v").rfind("error: percentile: p", 0) == 0);
    CHECK(m.one("SELECT percentile(x, NULL) FROM v").rfind("error: percentile: p", 0) == 0);
    CHECK(m.one("SELECT percentile(x, x % 2) FROM v WHERE x < 5")
              .rfind("error: percentile: p must be the same", 0) == 0);
    CHECK(m.one("SELECT percentile('abc', 50)") == "error: percentile: value is not a number");
    CHECK(m.one("SELECT percentile(x, 50) FROM v WHERE x IS NOT NULL GROUP BY x % 2 ORDER BY 1") ==
          "500.000000");
}

TEST_CASE("radix sort orders like std::sort, negatives included")
{
    std::mt19937_64 rng(42);
    for (size_t n : {0u, 1u, 5u, 255u, 256u, 1000u, 100000u}) {
        std::vector<int64_t> v(n);
        for (auto &x : v)
            x = static_cast<int64_t>(rng() >> (rng() % 64)) * ((rng() & 1) ? -1 : 1);
        std::vector<int64_t> w = v;
        std::sort(w.begin(), w.end());
        rtt_sort_i64(v.data(), v.size());
        CHECK(v == w);
    }
    std::vector<int64_t> same(1000, 7);
    rtt_sort_i64(same.data(), same.size());
    CHECK(same == std::vector<int64_t>(1000, 7));
}

TEST_CASE("stats: 1..1000 ms")
{
    std::vector<int64_t> v;
    for (int64_t i = 1000; i >= 1; i--)
        v.push_back(i * 1000000);
    rtt_stats_t s = {};
    s.excluded = 3;
    rtt_stats_compute(v.data(), v.size(), &s);
    CHECK(s.count == 1000);
    CHECK(s.excluded == 3);
    CHECK(s.min == 1e6);
    CHECK(s.p50 == 500.5e6);
    CHECK(s.p90 == Approx(900.1e6).epsilon(1e-12));
    CHECK(s.p99 == Approx(990.01e6).epsilon(1e-12));
    CHECK(s.p999 == Approx(999.001e6).epsilon(1e-12));
    CHECK(s.max == 1000e6);
    CHECK(s.mean == 500.5e6);

    rtt_stats_t e = {};
    rtt_stats_compute(nullptr, 0, &e);
    CHECK(e.count == 0);
    CHECK(std::isnan(e.p50));
}

TEST_CASE("durations parse with units, relative to nothing")
{
    int64_t ns = -1;
    CHECK((rtt_parse_duration("1.5s", &ns) == 0 && ns == 1500000000));
    CHECK((rtt_parse_duration("200ms", &ns) == 0 && ns == 200000000));
    CHECK((rtt_parse_duration("16.7ms", &ns) == 0 && ns == 16700000));
    CHECK((rtt_parse_duration("30us", &ns) == 0 && ns == 30000));
    CHECK((rtt_parse_duration("250ns", &ns) == 0 && ns == 250));
    CHECK((rtt_parse_duration("1234", &ns) == 0 && ns == 1234));
    CHECK((rtt_parse_duration("2min", &ns) == 0 && ns == 120000000000));
    CHECK((rtt_parse_duration("0", &ns) == 0 && ns == 0));
    for (const char *bad : {"", "-1s", "+1s", "1.5x", "1e3", "ms", "1 s", "0x10", "nan",
                            "inf", "99999999999h"})
        CHECK(rtt_parse_duration(bad, &ns) == -1);
}

TEST_CASE("sub-buffer sizes and counts: powers of two with k/M suffixes")
{
    uint64_t v = 7;
    CHECK((rtt_parse_pow2_size("4096", &v) == 0 && v == 4096));
    CHECK((rtt_parse_pow2_size("1", &v) == 0 && v == 1));
    CHECK((rtt_parse_pow2_size("64k", &v) == 0 && v == 65536));
    CHECK((rtt_parse_pow2_size("2K", &v) == 0 && v == 2048));
    CHECK((rtt_parse_pow2_size("8M", &v) == 0 && v == 8388608));
    CHECK((rtt_parse_pow2_size("1m", &v) == 0 && v == 1048576));
    CHECK((rtt_parse_pow2_size("9223372036854775808", &v) == 0 &&
           v == 9223372036854775808ull));
    v = 7;
    // 3 * 2^53 k wraps to 2^63 when shifted: out of range, not a power of two;
    // -2^63 is 2^63 to strtoull: a sign is refused
    for (const char *bad : {"", "0", "3000", "4096x", "64kb", "k", " 4096", "-4096",
                            "+4096", "-9223372036854775808", "27021597764222976k",
                            "18446744073709551616", "0x1000", "4096 "})
        CHECK(rtt_parse_pow2_size(bad, &v) == -1);
    CHECK(v == 7); // untouched on failure
}

TEST_CASE("durations format in human units")
{
    char b[64];
    auto f = [&](double ns) {
        rtt_fmt_duration(b, sizeof b, ns);
        return std::string(b);
    };
    CHECK(f(0) == "0 ns");
    CHECK(f(850) == "850 ns");
    CHECK(f(1230) == "1.23 us");
    CHECK(f(1230000) == "1.23 ms");
    CHECK(f(12345678) == "12.3 ms");
    CHECK(f(123456789) == "123 ms");
    CHECK(f(999999) == "1.00 ms");
    CHECK(f(4560000000.0) == "4.56 s");
    CHECK(f(-2500000) == "-2.50 ms");
    CHECK(f(5000e9) == "5000 s");

    char n[64];
    rtt_fmt_number(n, sizeof n, 500500000.0);
    CHECK(std::string(n) == "500500000");
    rtt_fmt_number(n, sizeof n, 0.125);
    CHECK(std::string(n) == "0.125");
    rtt_fmt_number(n, sizeof n, 2.5);
    CHECK(std::string(n) == "2.5");
}

TEST_CASE("csv quotes per RFC 4180, json escapes, table aligns")
{
    rtt_out_t *o = rtt_out_new();
    rtt_out_section(o, "rows", 0);
    rtt_out_column(o, "name", RTT_UNIT_PLAIN);
    rtt_out_column(o, "time", RTT_UNIT_NS);
    rtt_out_column(o, "share", RTT_UNIT_RATIO);
    rtt_out_row(o);
    rtt_out_text(o, "a,b");
    rtt_out_int(o, 1230000);
    rtt_out_float(o, 0.25);
    rtt_out_row(o);
    rtt_out_text(o, "say \"hi\"\nbye");
    rtt_out_null(o);
    rtt_out_float(o, NAN);
    CHECK(write(o, RTT_FMT_CSV) ==
          "name,time,share\r\n\"a,b\",1230000,0.25\r\n\"say \"\"hi\"\"\nbye\",,\r\n");
    CHECK(write(o, RTT_FMT_JSON) ==
          "[\n  {\n    \"name\": \"a,b\",\n    \"time\": 1230000,\n    \"share\": 0.25\n  },"
          "\n  {\n    \"name\": \"say \\\"hi\\\"\\nbye\",\n    \"time\": null,\n"
          "    \"share\": null\n  }\n]\n");
    std::string t = write(o, RTT_FMT_TABLE);
    CHECK(t.find("name") == 0);
    CHECK(t.find("1.23 ms") != std::string::npos);
    CHECK(t.find("25.00 %") != std::string::npos);
    rtt_out_free(o);
}

TEST_CASE("several sections: json object keyed by name, record as object")
{
    rtt_out_t *o = rtt_out_new();
    rtt_out_section(o, "one", 1);
    rtt_out_column(o, "n", RTT_UNIT_PLAIN);
    rtt_out_row(o);
    rtt_out_int(o, 3);
    rtt_out_section(o, "many", 0);
    rtt_out_column(o, "x", RTT_UNIT_PLAIN);
    CHECK(write(o, RTT_FMT_JSON) == "{\n  \"one\": {\n    \"n\": 3\n  },\n  \"many\": []\n}\n");
    CHECK(write(o, RTT_FMT_CSV) == "n\r\n3\r\n\r\nx\r\n");
    rtt_out_free(o);
}

// out_file.c: a failed write's reason is the write's own, however much
// stdio still holds when the writer looks (it used to be recovered by a
// flush after clearerr, which found nothing to write after some sizes and
// said EIO: viewer.bad_input failed 1 run in 4 on /dev/full).
TEST_CASE("out_file: /dev/full fails with ENOSPC at every size, and a file appears whole",
          "[out_file]")
{
    struct stat st;
    REQUIRE(stat("/dev/full", &st) == 0); /* Linux has it */
    std::string chunk(70000, 'x');
    for (size_t n : {1ul, 100ul, 4095ul, 4096ul, 4097ul, 8192ul, 65536ul, 70000ul}) {
        for (int tail : {0, 1}) {
            INFO("bytes " << n << ", then a small write: " << tail);
            rtt_out_file_t of;
            REQUIRE(rtt_out_open(&of, "test", "/dev/full", nullptr, 0) == 0);
            CHECK(of.direct == 1);
            fwrite(chunk.data(), 1, n, of.f);
            fflush(of.f);
            if (tail)
                fwrite("y", 1, 1, of.f);
            errno = 0;
            CHECK(rtt_out_commit(&of) == -1);
            CHECK(errno == ENOSPC);
            CHECK(of.err == ENOSPC);
        }
    }
    std::string path = tmp_path("out_file.txt");
    rtt_out_file_t of;
    REQUIRE(rtt_out_open(&of, "test", path.c_str(), nullptr, 0) == 0);
    CHECK(of.direct == 0);
    fwrite(chunk.data(), 1, chunk.size(), of.f);
    REQUIRE(rtt_out_commit(&of) == 0);
    CHECK(of.err == 0);
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK(st.st_size == 70000);
    unlink(path.c_str());
}

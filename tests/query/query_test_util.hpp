// query_test_util.hpp - helpers for the query tests: databases built from
// schema.sql with synthetic rows, running the rt-trace binary, and a small
// JSON reader to check its output.
#pragma once

#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

// A fresh database file created from schema.sql, open read-write.
class TestDb {
public:
    explicit TestDb(const std::string &name);
    ~TestDb();
    void exec(const std::string &sql);
    const std::string &path() const { return path_; }
    sqlite3 *handle() { return db_; }

private:
    std::string path_;
    sqlite3 *db_ = nullptr;
};

struct RunResult {
    int status = -1;
    std::string out, err;
};

// Run RTT_BIN with args (no shell interpretation of args). With timeout_s,
// a run still going after that many seconds is killed by SIGALRM (status
// 128 + SIGALRM): a hang fails the test instead of stalling it.
RunResult run_cli(const std::vector<std::string> &args, unsigned timeout_s = 0);

// A file's bytes ("" when it cannot be read).
std::string slurp(const std::string &path);

// A temporary file path under RTT_TEST_TMP.
std::string tmp_path(const std::string &name);

// Minimal JSON value.
struct Json {
    enum Type { Null, Bool, Number, String, Array, Object } type = Null;
    bool b = false;
    std::string text; // number text or string value
    std::vector<Json> arr;
    std::map<std::string, Json> obj;

    bool is_null() const { return type == Null; }
    double num() const;
    long long integer() const; // the number must be an integer
    const Json &operator[](const std::string &key) const;
    const Json &operator[](size_t i) const;
    bool has(const std::string &key) const { return obj.count(key) != 0; }
};

// Parse text; throws std::runtime_error on bad JSON.
Json parse_json(const std::string &text);

// The row of a JSON array of objects whose fields match all of want.
const Json &find_row(const Json &rows, const std::map<std::string, std::string> &want);

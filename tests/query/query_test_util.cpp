// query_test_util.cpp - see query_test_util.hpp.
#include "query_test_util.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

std::string tmp_path(const std::string &name)
{
    mkdir(RTT_TEST_TMP, 0755);
    return std::string(RTT_TEST_TMP) + "/" + std::to_string(getpid()) + "-" + name;
}

std::string slurp(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

TestDb::TestDb(const std::string &name) : path_(tmp_path(name))
{
    unlink(path_.c_str());
    if (sqlite3_open(path_.c_str(), &db_) != SQLITE_OK)
        throw std::runtime_error("cannot create " + path_);
    exec(slurp(RTT_SCHEMA_SQL));
}

TestDb::~TestDb()
{
    sqlite3_close(db_);
    unlink(path_.c_str());
}

void TestDb::exec(const std::string &sql)
{
    char *err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "?";
        sqlite3_free(err);
        throw std::runtime_error("SQL failed: " + msg + " in: " + sql.substr(0, 200));
    }
}

RunResult run_cli(const std::vector<std::string> &args, unsigned timeout_s)
{
    std::string out = tmp_path("stdout"), err = tmp_path("stderr");
    pid_t pid = fork();
    if (pid == 0) {
        int fo = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fo, 1);
        dup2(fe, 2);
        std::vector<char *> argv;
        argv.push_back(const_cast<char *>(RTT_BIN));
        for (auto &a : args)
            argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        if (timeout_s)
            alarm(timeout_s); /* kept across execv */
        execv(RTT_BIN, argv.data());
        _exit(127);
    }
    RunResult r;
    int st = 0;
    waitpid(pid, &st, 0);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = slurp(out);
    r.err = slurp(err);
    unlink(out.c_str());
    unlink(err.c_str());
    return r;
}

double Json::num() const
{
    if (type != Number)
        throw std::runtime_error("not a number: " + text);
    return std::strtod(text.c_str(), nullptr);
}

long long Json::integer() const
{
    if (type != Number || text.find_first_of(".eE") != std::string::npos)
        throw std::runtime_error("not an integer: " + (type == Null ? "null" : text));
    return std::strtoll(text.c_str(), nullptr, 10);
}

const Json &Json::operator[](const std::string &key) const
{
    auto it = obj.find(key);
    if (type != Object || it == obj.end())
        throw std::runtime_error("no key " + key);
    return it->second;
}

const Json &Json::operator[](size_t i) const
{
    if (type != Array || i >= arr.size())
        throw std::runtime_error("no index " + std::to_string(i));
    return arr[i];
}

namespace {
struct Parser {
    const std::string &s;
    size_t p = 0;
    void ws()
    {
        while (p < s.size() && std::isspace(static_cast<unsigned char>(s[p])))
            p++;
    }
    [[noreturn]] void fail(const char *what)
    {
        throw std::runtime_error(std::string("bad JSON: ") + what + " at " +
                                 std::to_string(p));
    }
    std::string str()
    {
        std::string r;
        if (s[p] != '"')
            fail("expected string");
        p++;
        while (p < s.size() && s[p] != '"') {
            if (s[p] == '\\') {
                p++;
                char c = s[p++];
                switch (c) {
                case 'n': r += '\n'; break;
                case 't': r += '\t'; break;
                case 'r': r += '\r'; break;
                case 'u': r += static_cast<char>(std::stoi(s.substr(p, 4), nullptr, 16)); p += 4; break;
                default: r += c;
                }
            } else {
                r += s[p++];
            }
        }
        if (p >= s.size())
            fail("unterminated string");
        p++;
        return r;
    }
    Json value()
    {
        ws();
        Json j;
        if (p >= s.size())
            fail("unexpected end");
        char c = s[p];
        if (c == '{') {
            j.type = Json::Object;
            p++;
            ws();
            if (s[p] == '}') {
                p++;
                return j;
            }
            for (;;) {
                ws();
                std::string k = str();
                ws();
                if (s[p++] != ':')
                    fail("expected :");
                if (j.obj.count(k))
                    fail("duplicate key");
                j.obj[k] = value();
                ws();
                if (s[p] == ',') {
                    p++;
                    continue;
                }
                if (s[p++] != '}')
                    fail("expected }");
                return j;
            }
        }
        if (c == '[') {
            j.type = Json::Array;
            p++;
            ws();
            if (s[p] == ']') {
                p++;
                return j;
            }
            for (;;) {
                j.arr.push_back(value());
                ws();
                if (s[p] == ',') {
                    p++;
                    continue;
                }
                if (s[p++] != ']')
                    fail("expected ]");
                return j;
            }
        }
        if (c == '"') {
            j.type = Json::String;
            j.text = str();
            return j;
        }
        if (!s.compare(p, 4, "null")) {
            p += 4;
            return j;
        }
        if (!s.compare(p, 4, "true") || !s.compare(p, 5, "false")) {
            j.type = Json::Bool;
            j.b = s[p] == 't';
            p += j.b ? 4 : 5;
            return j;
        }
        size_t st = p;
        while (p < s.size() && (std::isdigit(static_cast<unsigned char>(s[p])) ||
                                std::strchr("+-.eE", s[p])))
            p++;
        if (st == p)
            fail("unexpected character");
        j.type = Json::Number;
        j.text = s.substr(st, p - st);
        return j;
    }
};
} // namespace

Json parse_json(const std::string &text)
{
    Parser ps{text};
    Json j = ps.value();
    ps.ws();
    if (ps.p != text.size())
        ps.fail("trailing text");
    return j;
}

const Json &find_row(const Json &rows, const std::map<std::string, std::string> &want)
{
    for (const Json &r : rows.arr) {
        bool ok = true;
        for (auto &kv : want) {
            if (!r.has(kv.first)) {
                ok = false;
                break;
            }
            const Json &v = r[kv.first];
            std::string got = v.type == Json::Null ? "null" : v.text;
            if (got != kv.second) {
                ok = false;
                break;
            }
        }
        if (ok)
            return r;
    }
    std::string desc;
    for (auto &kv : want)
        desc += kv.first + "=" + kv.second + " ";
    throw std::runtime_error("no row with " + desc);
}

/* Ids come from one process-wide counter, handed to threads in blocks:
 * unique across threads, rising within each thread, never 0. */
#include <rtk/rtk.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>
#include <vector>

TEST_CASE("ids taken on many threads are unique and rise per thread", "[ids]")
{
    const int kThreads = 4, kPer = 10000;
    std::vector<std::vector<rtk_id_t>> got(kThreads);
    std::vector<std::thread> th;
    for (int t = 0; t < kThreads; t++)
        th.emplace_back([&, t] {
            for (int i = 0; i < kPer; i++)
                got[t].push_back(rtk_next_id());
        });
    for (auto &x : th)
        x.join();
    std::vector<rtk_id_t> all;
    for (auto &v : got) {
        CHECK(std::is_sorted(v.begin(), v.end()));
        CHECK(std::adjacent_find(v.begin(), v.end()) == v.end());
        all.insert(all.end(), v.begin(), v.end());
    }
    std::sort(all.begin(), all.end());
    CHECK(all.front() > 0);
    CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
    CHECK(all.size() == static_cast<size_t>(kThreads * kPer));
}

// main_scenario.hpp - the query tests' main database: a run of synthetic
// rows whose statistics are known by hand (main_scenario.cpp says which).
#pragma once

#include "query_test_util.hpp"

namespace scenario {
const long long BASE = 1000000000000LL; // trace start: 1000 s
const long long MS = 1000000, US = 1000, S = 1000000000;
} // namespace scenario

// Fill db (fresh from schema.sql) with the main scenario.
void fill_main(TestDb &db);

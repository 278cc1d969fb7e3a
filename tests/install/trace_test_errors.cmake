# trace_test_errors.cmake - one bad call of rtk_add_trace_test or
# rtk_add_trace_compare_test per CASE, each of which must stop with a
# FATAL_ERROR naming what is wrong (before any add_test, so script mode is
# enough). run.sh runs every case against the installed module:
#   cmake -DMODULE=<prefix>/lib/cmake/rtk/rtkTraceTest.cmake -DCASE=<case> -P trace_test_errors.cmake
# and checks the exit status is non-zero and stderr holds EXPECT_<case>.
# `cmake -DLIST=1 -P trace_test_errors.cmake` prints "case|expected" lines.
# Cost: ~10 ms of CMake per case.
cmake_minimum_required(VERSION 3.18)
set(cases
  "no_name|rtk_add_trace_test: missing NAME"
  "no_command|rtk_add_trace_test(t): missing COMMAND"
  "empty_command|rtk_add_trace_test: COMMAND needs a value"
  "no_budget|rtk_add_trace_test(t): missing BUDGET"
  "budget_not_found|rtk_add_trace_test(t): budget file not found: /nonexistent/x.budget"
  "bad_timeout|rtk_add_trace_test(t): TIMEOUT '0' is not a positive number"
  "unknown_keyword|rtk_add_trace_test: unexpected arguments 'BUDGETS"
  "record_output|rtk_add_trace_test(t): RECORD_ARGS must not hold '-o'"
  "name_semicolon|rtk_add_trace_test: NAME 'a\;b' must not contain '\;' or a generator expression"
  "runs_zero|rtk_add_trace_compare_test(c): RUNS '0' is not a positive integer"
  "runs_text|rtk_add_trace_compare_test(c): RUNS 'two' is not a positive integer"
  "no_base|rtk_add_trace_compare_test(c): missing BASE_COMMAND"
  "both_bases|rtk_add_trace_compare_test(c): give BASE_COMMAND or BASE_DB, not both"
  "compare_against|rtk_add_trace_compare_test(c): COMPARE_ARGS must not hold '--against'")

if(LIST)
  foreach(c IN LISTS cases)
    message("${c}")
  endforeach()
  return()
endif()
include("${MODULE}")
set(b "${CMAKE_CURRENT_LIST_FILE}") # an existing file, as a budget
set(rt RT_TRACE /bin/true)
if(CASE STREQUAL "no_name")
  rtk_add_trace_test(COMMAND prog BUDGET ${b} ${rt})
elseif(CASE STREQUAL "no_command")
  rtk_add_trace_test(NAME t BUDGET ${b} ${rt})
elseif(CASE STREQUAL "empty_command")
  rtk_add_trace_test(NAME t COMMAND BUDGET ${b} ${rt})
elseif(CASE STREQUAL "no_budget")
  rtk_add_trace_test(NAME t COMMAND prog ${rt})
elseif(CASE STREQUAL "budget_not_found")
  rtk_add_trace_test(NAME t COMMAND prog BUDGET /nonexistent/x.budget ${rt})
elseif(CASE STREQUAL "bad_timeout")
  rtk_add_trace_test(NAME t COMMAND prog BUDGET ${b} TIMEOUT 0 ${rt})
elseif(CASE STREQUAL "unknown_keyword")
  rtk_add_trace_test(NAME t BUDGETS ${b} COMMAND prog ${rt})
elseif(CASE STREQUAL "record_output")
  rtk_add_trace_test(NAME t COMMAND prog BUDGET ${b} RECORD_ARGS -o x.db ${rt})
elseif(CASE STREQUAL "name_semicolon")
  rtk_add_trace_test(NAME "a\;b" COMMAND prog BUDGET ${b} ${rt})
elseif(CASE STREQUAL "runs_zero")
  rtk_add_trace_compare_test(NAME c BASE_COMMAND prog 1 COMMAND prog 2 RUNS 0 ${rt})
elseif(CASE STREQUAL "runs_text")
  rtk_add_trace_compare_test(NAME c BASE_COMMAND prog COMMAND prog RUNS two ${rt})
elseif(CASE STREQUAL "no_base")
  rtk_add_trace_compare_test(NAME c COMMAND prog ${rt})
elseif(CASE STREQUAL "both_bases")
  rtk_add_trace_compare_test(NAME c BASE_COMMAND prog BASE_DB a.db COMMAND prog ${rt})
elseif(CASE STREQUAL "compare_against")
  rtk_add_trace_compare_test(NAME c BASE_COMMAND prog COMMAND prog
    COMPARE_ARGS --against x.db ${rt})
else()
  message(FATAL_ERROR "trace_test_errors.cmake: unknown CASE '${CASE}'")
endif()
message("trace_test_errors.cmake: case ${CASE} was accepted (expected an error)")

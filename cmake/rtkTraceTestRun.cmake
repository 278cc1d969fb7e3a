# rtkTraceTestRun.cmake - the test body of rtk_add_trace_test and
# rtk_add_trace_compare_test (rtkTraceTest.cmake), run by CTest as
#   cmake -DRTK_TT_ARGS=<dir>/args-<config>.cmake -P rtkTraceTestRun.cmake
# The args file (written by file(GENERATE), generator expressions already
# evaluated) sets RTK_TT_MODE (check|compare), RTK_TT_NAME, RTK_TT_RT_TRACE,
# RTK_TT_DIR, RTK_TT_RUNS, RTK_TT_BUDGET (check), and the arrays
# <X>_COUNT, <X>_0, <X>_1... for X = RTK_TT_COMMAND, RTK_TT_RECORD_ARGS,
# and for compare RTK_TT_BASE_COMMAND, RTK_TT_BASE_DB, RTK_TT_COMPARE_ARGS.
#
# Steps:
#   record  rt-trace record -o DIR/run<i>.db --force [--session NAME]
#           [RECORD_ARGS] -- COMMAND
#           (compare: also DIR/base<i>.db from BASE_COMMAND unless BASE_DB);
#           a stale database is removed first; a status 128+N means a
#           signal N killed the program: the test fails saying so.
#   check   rt-trace check DIR/run1.db --budget BUDGET: 0 passes, else fails.
#   compare rt-trace compare BASE... --against NEW... [COMPARE_ARGS]:
#           0 passes; 1 regressed, 3 inconclusive, 2 usage error: fails.
# Every command's output goes straight to this process's stdout/stderr, which
# CTest keeps (shown with --output-on-failure). The test fails by
# message(FATAL_ERROR), which makes cmake -P exit non-zero.
#
# Cost: the recordings (each the program's run time plus the ingest), then
# one rt-trace query; nothing else.
cmake_minimum_required(VERSION 3.18)

if(NOT DEFINED RTK_TT_ARGS)
  message(FATAL_ERROR "rtkTraceTestRun.cmake: run as cmake -DRTK_TT_ARGS=<file> -P ...")
endif()
if(NOT EXISTS "${RTK_TT_ARGS}")
  message(FATAL_ERROR "rtkTraceTestRun.cmake: ${RTK_TT_ARGS} does not exist "
    "(re-run the CMake configure step; for a multi-config generator pass "
    "ctest -C <config>)")
endif()
include("${RTK_TT_ARGS}")
set(_who "${RTK_TT_NAME}")

include("${CMAKE_CURRENT_LIST_DIR}/rtkTraceTestQuote.cmake")

# Command lines are built in two forms at once: _code (bracket arguments,
# exact, for cmake_language(EVAL)) and _shown (for the log, quoted where a
# shell would need it). Functions, not macros: a macro would expand ${...}
# and backslashes inside the arguments.
function(_rtk_tt_arg)
  math(EXPR last "${ARGC} - 1")
  foreach(i RANGE ${last})
    set(v "${ARGV${i}}")
    _rtk_tt_bracket(q "${v}")
    string(APPEND _code " ${q}")
    if("${v}" STREQUAL "" OR "${v}" MATCHES "[] \t\"'\\;$&|<>()*?`[]")
      string(REPLACE "\"" "\\\"" v "${v}")
      string(APPEND _shown " \"${v}\"")
    else()
      string(APPEND _shown " ${v}")
    endif()
  endforeach()
  set(_code "${_code}" PARENT_SCOPE)
  set(_shown "${_shown}" PARENT_SCOPE)
endfunction()

# Appends the array <prefix>_0 .. <prefix>_<COUNT-1>, one argument each.
function(_rtk_tt_array prefix)
  if(${prefix}_COUNT GREATER 0)
    math(EXPR last "${${prefix}_COUNT} - 1")
    foreach(i RANGE ${last})
      _rtk_tt_arg("${${prefix}_${i}}")
    endforeach()
  endif()
  set(_code "${_code}" PARENT_SCOPE)
  set(_shown "${_shown}" PARENT_SCOPE)
endfunction()

# Logs and runs the command in _code, its output shared with ours; sets _rc
# to its exit status (or execute_process's error text).
function(_rtk_tt_run)
  string(STRIP "${_shown}" shown)
  message("[${_who}] ${shown}")
  unset(_rc)
  cmake_language(EVAL CODE "execute_process(COMMAND${_code} RESULT_VARIABLE _rc)")
  set(_rc "${_rc}" PARENT_SCOPE)
endfunction()

# Signal names for 128+N statuses.
function(_rtk_tt_signal out n)
  set(names "1 SIGHUP" "2 SIGINT" "3 SIGQUIT" "4 SIGILL" "5 SIGTRAP"
    "6 SIGABRT" "7 SIGBUS" "8 SIGFPE" "9 SIGKILL" "10 SIGUSR1" "11 SIGSEGV"
    "12 SIGUSR2" "13 SIGPIPE" "14 SIGALRM" "15 SIGTERM" "24 SIGXCPU"
    "25 SIGXFSZ" "31 SIGSYS")
  set(name "signal ${n}")
  foreach(p IN LISTS names)
    if(p MATCHES "^${n} (.*)$")
      set(name "signal ${n} (${CMAKE_MATCH_1})")
    endif()
  endforeach()
  set(${out} "${name}" PARENT_SCOPE)
endfunction()

if(NOT EXISTS "${RTK_TT_RT_TRACE}" OR IS_DIRECTORY "${RTK_TT_RT_TRACE}")
  message(FATAL_ERROR "[${_who}] FAILED: rt-trace not found: ${RTK_TT_RT_TRACE} "
    "(build it, or pass RT_TRACE <path>)")
endif()
file(MAKE_DIRECTORY "${RTK_TT_DIR}")

# A recording killed by CTest (TIMEOUT) leaves its LTTng session active and
# its trace folder in TMPDIR. So each recording gets a session name of its
# own, rtk-tt-<hash of the test folder>-<run>, passed with --session (unless
# RECORD_ARGS holds one), and a marker file <run>.recording while it runs; a
# marker found at the start means the last run was killed: its session is
# destroyed with the lttng command (if installed) and its trace folder
# (/tmp/rt-trace-XXXXXX) removed.
string(MD5 _hash "${RTK_TT_DIR}")
string(SUBSTRING "${_hash}" 0 10 _hash)
set(_own_session TRUE)
if(RTK_TT_RECORD_ARGS_COUNT GREATER 0)
  math(EXPR _last "${RTK_TT_RECORD_ARGS_COUNT} - 1")
  foreach(_i RANGE ${_last})
    if(RTK_TT_RECORD_ARGS_${_i} MATCHES "^--session(=.*)?$")
      set(_own_session FALSE)
    endif()
  endforeach()
endif()

function(_rtk_tt_stale session marker)
  if(NOT EXISTS "${marker}")
    return()
  endif()
  find_program(lttng lttng)
  if(lttng)
    execute_process(COMMAND "${lttng}" list "${session}"
      OUTPUT_VARIABLE out ERROR_QUIET RESULT_VARIABLE rc)
    if(rc STREQUAL "0")
      message("[${_who}] the last run was killed: destroying its LTTng session ${session}")
      execute_process(COMMAND "${lttng}" destroy "${session}" OUTPUT_QUIET ERROR_QUIET)
      if(out MATCHES "Trace output: ([^\n]*/rt-trace-[A-Za-z0-9]+)[ \t]*\n")
        file(REMOVE_RECURSE "${CMAKE_MATCH_1}")
      endif()
    endif()
  endif()
  file(REMOVE "${marker}")
endfunction()

# Records the program in the array `prefix` into db. tag: base<i> or run<i>;
# what: "program" or "baseline program", for messages.
function(_rtk_tt_record prefix db tag what)
  foreach(f "${db}" "${db}-journal" "${db}-wal" "${db}-shm")
    file(REMOVE "${f}")
  endforeach()
  set(session "rtk-tt-${_hash}-${tag}")
  set(marker "${RTK_TT_DIR}/${tag}.recording")
  set(_code "")
  set(_shown "")
  _rtk_tt_arg("${RTK_TT_RT_TRACE}" record -o "${db}" --force)
  if(_own_session)
    _rtk_tt_stale("${session}" "${marker}")
    _rtk_tt_arg(--session "${session}")
    file(WRITE "${marker}" "${session}\n")
  endif()
  _rtk_tt_array(RTK_TT_RECORD_ARGS)
  _rtk_tt_arg("--")
  _rtk_tt_array(${prefix})
  _rtk_tt_run()
  file(REMOVE "${marker}")
  if(NOT _rc MATCHES "^[0-9]+$")
    message(FATAL_ERROR "[${_who}] FAILED: could not run rt-trace record: ${_rc}")
  elseif(_rc GREATER 128 AND _rc LESS 193)
    math(EXPR sig "${_rc} - 128")
    _rtk_tt_signal(sig "${sig}")
    message(FATAL_ERROR "[${_who}] FAILED: the ${what} crashed: killed by "
      "${sig} (rt-trace record exit status ${_rc}): ${${prefix}_0}")
  elseif(_rc EQUAL 127)
    message(FATAL_ERROR "[${_who}] FAILED: rt-trace record could not run the "
      "${what} (exit status 127): ${${prefix}_0}")
  elseif(_rc EQUAL 2)
    message(FATAL_ERROR "[${_who}] FAILED: rt-trace record exit status 2: a "
      "bad RECORD_ARGS (usage error), or the ${what} itself exited with 2; "
      "see the output above")
  elseif(NOT _rc EQUAL 0)
    message(FATAL_ERROR "[${_who}] FAILED: rt-trace record exit status ${_rc}: "
      "the ${what} exited with status ${_rc}, or recording failed (status 1); "
      "see the output above")
  endif()
  if(NOT EXISTS "${db}")
    message(FATAL_ERROR "[${_who}] FAILED: rt-trace record succeeded but "
      "wrote no database: ${db}")
  endif()
endfunction()

if(RTK_TT_MODE STREQUAL "check")
  set(_db "${RTK_TT_DIR}/run1.db")
  _rtk_tt_record(RTK_TT_COMMAND "${_db}" run1 program)
  if(NOT EXISTS "${RTK_TT_BUDGET}")
    message(FATAL_ERROR "[${_who}] FAILED: budget file not found: ${RTK_TT_BUDGET}")
  endif()
  set(_code "")
  set(_shown "")
  _rtk_tt_arg("${RTK_TT_RT_TRACE}" check "${_db}" --budget "${RTK_TT_BUDGET}")
  _rtk_tt_run()
  if(_rc STREQUAL "0")
    message("[${_who}] passed: every budget rule holds (${RTK_TT_BUDGET})")
  elseif(_rc STREQUAL "1")
    message(FATAL_ERROR "[${_who}] FAILED: over budget: at least one rule of "
      "${RTK_TT_BUDGET} does not hold (table above); the trace is ${_db}")
  elseif(_rc STREQUAL "2")
    message(FATAL_ERROR "[${_who}] FAILED: rt-trace check usage error (exit 2), "
      "its message is above: most often a bad line in ${RTK_TT_BUDGET}")
  else()
    message(FATAL_ERROR "[${_who}] FAILED: rt-trace check failed: ${_rc}")
  endif()

elseif(RTK_TT_MODE STREQUAL "compare")
  set(_base "")
  set(_new "")
  if(RTK_TT_BASE_DB_COUNT GREATER 0)
    math(EXPR _last "${RTK_TT_BASE_DB_COUNT} - 1")
    foreach(_i RANGE ${_last})
      if(NOT EXISTS "${RTK_TT_BASE_DB_${_i}}")
        message(FATAL_ERROR "[${_who}] FAILED: BASE_DB not found: "
          "${RTK_TT_BASE_DB_${_i}}")
      endif()
      list(APPEND _base "RTK_TT_BASE_DB_${_i}")
    endforeach()
  endif()
  foreach(_run RANGE 1 ${RTK_TT_RUNS})
    if(RTK_TT_BASE_COMMAND_COUNT GREATER 0)
      set(_b_${_run} "${RTK_TT_DIR}/base${_run}.db")
      _rtk_tt_record(RTK_TT_BASE_COMMAND "${_b_${_run}}" base${_run} "baseline program")
      list(APPEND _base "_b_${_run}")
    endif()
    set(_n_${_run} "${RTK_TT_DIR}/run${_run}.db")
    _rtk_tt_record(RTK_TT_COMMAND "${_n_${_run}}" run${_run} program)
    list(APPEND _new "_n_${_run}")
  endforeach()
  set(_code "")
  set(_shown "")
  _rtk_tt_arg("${RTK_TT_RT_TRACE}" compare)
  foreach(_v IN LISTS _base)
    _rtk_tt_arg("${${_v}}")
  endforeach()
  _rtk_tt_arg(--against)
  foreach(_v IN LISTS _new)
    _rtk_tt_arg("${${_v}}")
  endforeach()
  _rtk_tt_array(RTK_TT_COMPARE_ARGS)
  _rtk_tt_run()
  if(_rc STREQUAL "0")
    message("[${_who}] passed: nothing regressed")
  elseif(_rc STREQUAL "1")
    message(FATAL_ERROR "[${_who}] FAILED: regressed: rt-trace compare found "
      "a regression (table above); the traces are in ${RTK_TT_DIR}")
  elseif(_rc STREQUAL "3")
    message(FATAL_ERROR "[${_who}] FAILED: inconclusive: nothing regressed "
      "for sure, but some measures were inconclusive and "
      "--fail-on-inconclusive was given (more RUNS may settle it)")
  elseif(_rc STREQUAL "2")
    message(FATAL_ERROR "[${_who}] FAILED: rt-trace compare usage error "
      "(exit 2), its message is above: check COMPARE_ARGS")
  else()
    message(FATAL_ERROR "[${_who}] FAILED: rt-trace compare failed: ${_rc}")
  endif()

else()
  message(FATAL_ERROR "rtkTraceTestRun.cmake: unknown RTK_TT_MODE "
    "'${RTK_TT_MODE}' in ${RTK_TT_ARGS}")
endif()

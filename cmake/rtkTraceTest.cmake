# rtkTraceTest.cmake - CTest tests that record a program under LTTng with
# `rt-trace record` and pass or fail on what the trace shows:
#
#   rtk_add_trace_test(NAME <name>
#       COMMAND <program> [args...]        # the program to record
#       BUDGET <file>                      # rules for `rt-trace check`
#       [RT_TRACE <path>] [WORKING_DIRECTORY <dir>] [TIMEOUT <s>]
#       [LABELS <label>...] [RECORD_ARGS <arg>...])
#
#   rtk_add_trace_compare_test(NAME <name>
#       BASE_COMMAND <program> [args...]   # or BASE_DB <db>... (pre-recorded)
#       COMMAND <program> [args...]
#       [RUNS <n>] [COMPARE_ARGS <arg>...] [RT_TRACE <path>]
#       [WORKING_DIRECTORY <dir>] [TIMEOUT <s>] [LABELS <label>...]
#       [RECORD_ARGS <arg>...])
#
# Each call adds one test (add_test) running `cmake -P rtkTraceTestRun.cmake`
# (the file next to this one), which records into <current binary
# dir>/<name>/ and then runs `rt-trace check` or `rt-trace compare`. The
# user documentation is docs/cmake-trace-tests.md.
#
# find_package(rtk) includes this file (rtkConfig.cmake). Inside the rtk
# build tree, include it from the source tree: RT_TRACE then defaults to
# $<TARGET_FILE:rt-trace>. The commands, RT_TRACE, BUDGET and BASE_DB may
# hold generator expressions: they reach the run script through a file
# written by file(GENERATE), one per configuration, where each argument is
# a bracket argument of its own (spaces, empty arguments and escaped ';'
# survive). If the first word of COMMAND or BASE_COMMAND names an
# executable target, it becomes that target's file, as with add_test.
#
# Cost: configure time only, one small generated file per test. Needs
# CMake 3.18 (the run script builds its command lines with cmake_language).
include_guard(GLOBAL)

# Older CMake: find_package(rtk) still works; only calling the functions
# is an error.
if(CMAKE_VERSION VERSION_LESS 3.18)
  function(rtk_add_trace_test)
    message(FATAL_ERROR "rtk_add_trace_test: needs CMake 3.18 or newer "
      "(this is ${CMAKE_VERSION})")
  endfunction()
  function(rtk_add_trace_compare_test)
    message(FATAL_ERROR "rtk_add_trace_compare_test: needs CMake 3.18 or "
      "newer (this is ${CMAKE_VERSION})")
  endfunction()
  return()
endif()

# The functions below run with these policies (recorded at definition),
# whatever the including project's cmake_minimum_required says.
cmake_policy(PUSH)
cmake_policy(VERSION 3.18)

# rtkConfig.cmake sets rtk_RT_TRACE_EXECUTABLE (the installed bin/rt-trace,
# when it was installed) before including this file; keep it where every
# directory sees it.
if(DEFINED rtk_RT_TRACE_EXECUTABLE AND EXISTS "${rtk_RT_TRACE_EXECUTABLE}")
  set_property(GLOBAL PROPERTY RTK_TRACE_TEST_PACKAGE_RT_TRACE
    "${rtk_RT_TRACE_EXECUTABLE}")
endif()

# --- helpers (private) --------------------------------------------------------

include("${CMAKE_CURRENT_LIST_DIR}/rtkTraceTestQuote.cmake")

# Appends to the variable named code_var the lines that define, in the
# generated args file, <var>_COUNT and <var>_0, <var>_1, ...: the elements
# of the list variable list_var, each one argument (also when empty or
# holding an escaped ';'). PROGRAM: element 0 is a program, and an
# executable target's name becomes its file, as with add_test.
function(_rtk_tt_emit_array code_var var list_var)
  cmake_parse_arguments(PARSE_ARGV 3 _E "PROGRAM" "" "")
  set(code "${${code_var}}")
  set(i 0)
  foreach(v IN LISTS ${list_var})
    if(i EQUAL 0 AND _E_PROGRAM AND TARGET "${v}")
      get_target_property(type "${v}" TYPE)
      if(type STREQUAL "EXECUTABLE")
        set(v "$<TARGET_FILE:${v}>")
      endif()
    endif()
    _rtk_tt_bracket(q "${v}")
    string(APPEND code "set(${var}_${i} ${q})\n")
    math(EXPR i "${i} + 1")
  endforeach()
  string(APPEND code "set(${var}_COUNT ${i})\n")
  set(${code_var} "${code}" PARENT_SCOPE)
endfunction()

# A file argument made absolute against the current source dir, unless it
# is absolute already or a generator expression.
function(_rtk_tt_file out path)
  if(NOT path MATCHES "\\$<" AND NOT IS_ABSOLUTE "${path}")
    get_filename_component(path "${path}" ABSOLUTE
      BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  set(${out} "${path}" PARENT_SCOPE)
endfunction()

# The checks both functions share. fn: the caller's name for messages;
# prefix: its cmake_parse_arguments prefix. Sets in the caller:
# _rtk_tt_rt_trace, _rtk_tt_timeout, _rtk_tt_labels, _rtk_tt_dir.
macro(_rtk_tt_common fn prefix)
  if(DEFINED ${prefix}_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${fn}: unexpected arguments '${${prefix}_UNPARSED_ARGUMENTS}' "
      "(an unknown keyword, or more than one value after NAME, BUDGET, RUNS, "
      "RT_TRACE, WORKING_DIRECTORY or TIMEOUT)")
  endif()
  foreach(_rtk_tt_k IN LISTS ${prefix}_KEYWORDS_MISSING_VALUES)
    if(NOT _rtk_tt_k MATCHES "^(LABELS|RECORD_ARGS|COMPARE_ARGS)$")
      message(FATAL_ERROR "${fn}: ${_rtk_tt_k} needs a value")
    endif()
  endforeach()
  if(NOT DEFINED ${prefix}_NAME OR "${${prefix}_NAME}" STREQUAL "")
    message(FATAL_ERROR "${fn}: missing NAME <test name>")
  endif()
  if("${${prefix}_NAME}" MATCHES ";|\\$<")
    string(REPLACE "\\;" ";" _rtk_tt_k "${${prefix}_NAME}")
    message(FATAL_ERROR "${fn}: NAME '${_rtk_tt_k}' must not contain "
      "';' or a generator expression")
  endif()
  if(TEST "${${prefix}_NAME}")
    message(FATAL_ERROR "${fn}: a test named '${${prefix}_NAME}' already exists")
  endif()
  if(NOT DEFINED ${prefix}_COMMAND)
    message(FATAL_ERROR "${fn}(${${prefix}_NAME}): missing COMMAND <program> "
      "[args...]")
  endif()

  # TIMEOUT: seconds, a positive number.
  if(DEFINED ${prefix}_TIMEOUT)
    if(NOT "${${prefix}_TIMEOUT}" MATCHES "^[0-9]+(\\.[0-9]+)?$"
       OR "${${prefix}_TIMEOUT}" MATCHES "^0+(\\.0+)?$")
      message(FATAL_ERROR "${fn}(${${prefix}_NAME}): TIMEOUT "
        "'${${prefix}_TIMEOUT}' is not a positive number of seconds")
    endif()
    set(_rtk_tt_timeout "${${prefix}_TIMEOUT}")
  else()
    set(_rtk_tt_timeout 300)
  endif()

  # LABELS replaces the default; an empty LABELS means none.
  if(DEFINED ${prefix}_LABELS OR "LABELS" IN_LIST ${prefix}_KEYWORDS_MISSING_VALUES)
    set(_rtk_tt_labels "${${prefix}_LABELS}")
  else()
    set(_rtk_tt_labels rtk-trace)
  endif()

  # RECORD_ARGS: the output database and the program are the test's.
  foreach(_rtk_tt_a IN LISTS ${prefix}_RECORD_ARGS)
    if(_rtk_tt_a MATCHES "^(-o.*|--output(=.*)?|--)$")
      message(FATAL_ERROR "${fn}(${${prefix}_NAME}): RECORD_ARGS must not "
        "hold '${_rtk_tt_a}': the test sets the output database and the program")
    endif()
  endforeach()

  # rt-trace: RT_TRACE, else the build tree's target, else the package's
  # bin/rt-trace, else the PATH.
  if(DEFINED ${prefix}_RT_TRACE)
    set(_rtk_tt_rt_trace "${${prefix}_RT_TRACE}")
  elseif(TARGET rt-trace)
    set(_rtk_tt_rt_trace "$<TARGET_FILE:rt-trace>")
  else()
    get_property(_rtk_tt_rt_trace GLOBAL PROPERTY RTK_TRACE_TEST_PACKAGE_RT_TRACE)
    if(NOT _rtk_tt_rt_trace)
      find_program(RTK_RT_TRACE_EXECUTABLE rt-trace
        DOC "rt-trace for rtk_add_trace_test and rtk_add_trace_compare_test")
      if(NOT RTK_RT_TRACE_EXECUTABLE)
        message(FATAL_ERROR "${fn}(${${prefix}_NAME}): rt-trace not found "
          "(not installed with the rtk package, not on the PATH): pass "
          "RT_TRACE <path> or set RTK_RT_TRACE_EXECUTABLE")
      endif()
      set(_rtk_tt_rt_trace "${RTK_RT_TRACE_EXECUTABLE}")
    endif()
  endif()

  # The test's folder: <binary dir>/<name>, the name made safe for a path.
  string(REGEX REPLACE "[^A-Za-z0-9_.+-]" "_" _rtk_tt_dir "${${prefix}_NAME}")
  if(_rtk_tt_dir MATCHES "^\\.+$")
    set(_rtk_tt_dir "_${_rtk_tt_dir}")
  endif()
  set(_rtk_tt_dir "${CMAKE_CURRENT_BINARY_DIR}/${_rtk_tt_dir}")
endmacro()

# Writes the args file (file(GENERATE), one per configuration) holding
# `code`, and adds the test that runs rtkTraceTestRun.cmake on it.
function(_rtk_tt_add name code dir wd timeout labels)
  set(args "${dir}/args-$<CONFIG>.cmake")
  file(GENERATE OUTPUT "${args}" CONTENT
    "# Generated by rtkTraceTest.cmake for the test ${name}; read by rtkTraceTestRun.cmake.\n${code}")
  set(wd_args "")
  if(NOT "${wd}" STREQUAL "")
    set(wd_args WORKING_DIRECTORY "${wd}")
  endif()
  add_test(NAME "${name}"
    COMMAND "${CMAKE_COMMAND}" "-DRTK_TT_ARGS=${args}"
      -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/rtkTraceTestRun.cmake"
    ${wd_args})
  set_tests_properties("${name}" PROPERTIES
    RUN_SERIAL TRUE TIMEOUT "${timeout}" LABELS "${labels}")
endfunction()

# The args-file lines every test has.
function(_rtk_tt_head out mode name rt_trace dir runs)
  _rtk_tt_bracket(q_name "${name}")
  _rtk_tt_bracket(q_rt "${rt_trace}")
  _rtk_tt_bracket(q_dir "${dir}")
  set(${out} "set(RTK_TT_MODE ${mode})\nset(RTK_TT_NAME ${q_name})
set(RTK_TT_RT_TRACE ${q_rt})\nset(RTK_TT_DIR ${q_dir})\nset(RTK_TT_RUNS ${runs})\n"
    PARENT_SCOPE)
endfunction()

# --- rtk_add_trace_test -------------------------------------------------------

function(rtk_add_trace_test)
  set(fn rtk_add_trace_test)
  cmake_parse_arguments(PARSE_ARGV 0 _A ""
    "NAME;BUDGET;RT_TRACE;WORKING_DIRECTORY;TIMEOUT"
    "COMMAND;LABELS;RECORD_ARGS")
  _rtk_tt_common(${fn} _A)
  if(NOT DEFINED _A_BUDGET)
    message(FATAL_ERROR "${fn}(${_A_NAME}): missing BUDGET <file>")
  endif()
  _rtk_tt_file(budget "${_A_BUDGET}")
  if(NOT budget MATCHES "\\$<")
    if(NOT EXISTS "${budget}" OR IS_DIRECTORY "${budget}")
      message(FATAL_ERROR "${fn}(${_A_NAME}): budget file not found: ${budget}")
    endif()
  endif()

  _rtk_tt_head(code check "${_A_NAME}" "${_rtk_tt_rt_trace}" "${_rtk_tt_dir}" 1)
  _rtk_tt_bracket(q_budget "${budget}")
  string(APPEND code "set(RTK_TT_BUDGET ${q_budget})\n")
  _rtk_tt_emit_array(code RTK_TT_COMMAND _A_COMMAND PROGRAM)
  _rtk_tt_emit_array(code RTK_TT_RECORD_ARGS _A_RECORD_ARGS)
  _rtk_tt_add("${_A_NAME}" "${code}" "${_rtk_tt_dir}" "${_A_WORKING_DIRECTORY}"
    "${_rtk_tt_timeout}" "${_rtk_tt_labels}")
endfunction()

# --- rtk_add_trace_compare_test -----------------------------------------------

function(rtk_add_trace_compare_test)
  set(fn rtk_add_trace_compare_test)
  cmake_parse_arguments(PARSE_ARGV 0 _A ""
    "NAME;RUNS;RT_TRACE;WORKING_DIRECTORY;TIMEOUT"
    "BASE_COMMAND;BASE_DB;COMMAND;COMPARE_ARGS;LABELS;RECORD_ARGS")
  _rtk_tt_common(${fn} _A)
  if(DEFINED _A_BASE_COMMAND AND DEFINED _A_BASE_DB)
    message(FATAL_ERROR "${fn}(${_A_NAME}): give BASE_COMMAND or BASE_DB, not both")
  endif()
  if(NOT DEFINED _A_BASE_COMMAND AND NOT DEFINED _A_BASE_DB)
    message(FATAL_ERROR "${fn}(${_A_NAME}): missing BASE_COMMAND <program> "
      "[args...] (or BASE_DB <db>...)")
  endif()
  if(DEFINED _A_RUNS)
    if(NOT _A_RUNS MATCHES "^[0-9]+$" OR _A_RUNS MATCHES "^0+$")
      message(FATAL_ERROR "${fn}(${_A_NAME}): RUNS '${_A_RUNS}' is not a "
        "positive integer")
    endif()
    math(EXPR runs "${_A_RUNS}")
  else()
    set(runs 1)
  endif()
  foreach(a IN LISTS _A_COMPARE_ARGS)
    if(a MATCHES "^--against(=.*)?$")
      message(FATAL_ERROR "${fn}(${_A_NAME}): COMPARE_ARGS must not hold "
        "'${a}': the test passes the databases")
    endif()
  endforeach()
  set(base_dbs "")
  foreach(db IN LISTS _A_BASE_DB)
    _rtk_tt_file(db "${db}")
    string(REPLACE ";" "\\;" db "${db}")
    list(APPEND base_dbs "${db}")
  endforeach()

  _rtk_tt_head(code compare "${_A_NAME}" "${_rtk_tt_rt_trace}" "${_rtk_tt_dir}" ${runs})
  _rtk_tt_emit_array(code RTK_TT_COMMAND _A_COMMAND PROGRAM)
  _rtk_tt_emit_array(code RTK_TT_BASE_COMMAND _A_BASE_COMMAND PROGRAM)
  _rtk_tt_emit_array(code RTK_TT_BASE_DB base_dbs)
  _rtk_tt_emit_array(code RTK_TT_RECORD_ARGS _A_RECORD_ARGS)
  _rtk_tt_emit_array(code RTK_TT_COMPARE_ARGS _A_COMPARE_ARGS)
  _rtk_tt_add("${_A_NAME}" "${code}" "${_rtk_tt_dir}" "${_A_WORKING_DIRECTORY}"
    "${_rtk_tt_timeout}" "${_rtk_tt_labels}")
endfunction()

cmake_policy(POP)

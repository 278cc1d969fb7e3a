# Runs `rt-trace interactions` on the known database (synthetic_db.c) in
# every format and checks the figures. cmake -DRT_TRACE=... -DDB=... -P
function(run_rt expect_rc out_var)
  execute_process(COMMAND ${RT_TRACE} interactions ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL expect_rc)
    message(FATAL_ERROR "rt-trace interactions ${ARGN}: exit ${rc}, "
      "expected ${expect_rc}\n${out}\n${err}")
  endif()
  set(${out_var} "${out}${err}" PARENT_SCOPE)
endfunction()

function(expect text)
  foreach(pat ${ARGN})
    string(FIND "${text}" "${pat}" pos)
    if(pos EQUAL -1)
      message(FATAL_ERROR "missing '${pat}' in:\n${text}")
    endif()
  endforeach()
endfunction()

run_rt(0 js ${DB} --format json)
string(REGEX REPLACE "[ \n]" "" compact "${js}")
expect("${compact}"
  "\"keystrokes\":6" "\"count\":4" "\"no_render\":2"
  "\"p50\":7000000" "\"p90\":16700000" "\"p99\":19670000" "\"max\":20000000"
  "\"over_16ms_share\":0.25" "\"over_8ms_share\":0.5"
  "\"command_id\":20" "\"latency\":20000000" "\"queue\":500000"
  "\"frame_wait\":15500000" "longestothertask:task#24reflow15.0ms"
  "\"by_name\":" "{\"name\":\"key_insert\",\"keystrokes\":3,\"no_render\":1,\"p50\":3550000"
  "{\"name\":\"key_move\",\"keystrokes\":2,\"no_render\":1,\"p50\":20000000"
  "{\"name\":\"key_undo\",\"keystrokes\":1,\"no_render\":0,\"p50\":9000000")

run_rt(0 js2 ${DB} --format json -n 1 --budget 4ms)
string(REGEX REPLACE "[ \n]" "" compact "${js2}")
expect("${compact}" "\"over_budget_share\":0.75" "\"budget\":4000000")
string(FIND "${compact}" "\"command_id\":30" pos)
if(NOT pos EQUAL -1)
  message(FATAL_ERROR "-n 1 listed more than one interaction:\n${js2}")
endif()

run_rt(0 one ${DB} --format json --proc 2)
string(REGEX REPLACE "[ \n]" "" compact "${one}")
expect("${compact}" "\"keystrokes\":1," "\"latency\":2100000")

run_rt(0 tbl ${DB})
expect("${tbl}" "key_move" "render#25 frame 2")
run_rt(0 csv ${DB} --format csv)
expect("${csv}" "rank,proc,command_id,name")

run_rt(1 missing ${DB}.does-not-exist)
run_rt(2 badn ${DB} -n lots)
expect("${badn}" "rt-trace interactions: bad -n 'lots': expected a count from 0 to 1000000")
run_rt(2 badb ${DB} --budget soon)

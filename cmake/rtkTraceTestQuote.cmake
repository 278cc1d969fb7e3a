# rtkTraceTestQuote.cmake - quoting shared by rtkTraceTest.cmake (which
# writes each test's argument file) and rtkTraceTestRun.cmake (which reads
# it and builds command lines).
include_guard(GLOBAL)

# "[==[text]==]": a CMake bracket argument holding text exactly, with as many
# '=' as needed so the text cannot close it.
function(_rtk_tt_bracket out text)
  set(eq "=")
  while(text MATCHES "\\]${eq}\\]")
    string(APPEND eq "=")
  endwhile()
  set(${out} "[${eq}[${text}]${eq}]" PARENT_SCOPE)
endfunction()

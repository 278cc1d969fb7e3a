# embed_file.cmake - turns a file (the viewer page) into a C source holding
# it as a byte array NAME[] (NUL-terminated) and its length NAME_len. Run as:
# cmake -DIN=page.html -DOUT=page.c -DNAME=rtt_viewer_html -P embed_file.cmake
# Cost: linear in the file (a regex over its hex form).
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR n "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" hex "${hex}")
file(WRITE "${OUT}.tmp"
  "/* Generated from ${IN} by tools/embed_file.cmake. Do not edit. */\n"
  "#include <stddef.h>\n"
  "const unsigned char ${NAME}[] = {\n${hex}0x00};\n"
  "const size_t ${NAME}_len = ${n};\n")
file(RENAME "${OUT}.tmp" "${OUT}")

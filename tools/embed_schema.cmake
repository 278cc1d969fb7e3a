# embed_schema.cmake - turns schema.sql into a C header holding it as one
# string literal (rtt_schema_sql). Run as: cmake -DIN=schema.sql
# -DOUT=rtt_schema_sql.h -P embed_schema.cmake
file(READ "${IN}" sql)
string(REPLACE "\\" "\\\\" sql "${sql}")
string(REPLACE "\"" "\\\"" sql "${sql}")
string(REPLACE "\n" "\\n\"\n    \"" sql "${sql}")
file(WRITE "${OUT}.tmp"
  "/* Generated from schema.sql by tools/embed_schema.cmake. Do not edit. */\n"
  "#ifndef RTT_SCHEMA_SQL_H\n#define RTT_SCHEMA_SQL_H\n"
  "static const char rtt_schema_sql[] =\n    \"${sql}\";\n#endif\n")
file(RENAME "${OUT}.tmp" "${OUT}")

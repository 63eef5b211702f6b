# SPDX-License-Identifier: MIT
# Writes the C source that carries the shipped rules inside the plugin, for
# a host where the rules directory beside it is missing (plugin_conf.c):
#
#   cmake -DOUT=builtin_rules.c "-DFILES=a.yaml|b.yaml" -P embed-rules.cmake
#
# FILES are the very files installed to share/mtcheck/rules ('|' between
# them), so there is one source of the rules' text.  Each becomes a byte
# array (the text may hold any byte), in file name order, as the directory
# is read.
string(REPLACE "|" ";" files "${FILES}")
set(by_name)
foreach(f ${files})
  get_filename_component(n ${f} NAME)
  list(APPEND by_name "${n}|${f}")
endforeach()
list(SORT by_name)

set(text "/* Generated from the rule files by plugin/cmake/embed-rules.cmake; do not edit. */\n")
string(APPEND text "#include \"builtin_rules.h\"\n")
set(table)
set(i 0)
foreach(entry ${by_name})
  string(REPLACE "|" ";" entry "${entry}")
  list(GET entry 0 name)
  list(GET entry 1 path)
  file(READ ${path} hex HEX)
  string(LENGTH "${hex}" len)
  set(bytes)
  # twelve bytes a line
  foreach(at RANGE 0 ${len} 24)
    string(SUBSTRING "${hex}" ${at} 24 line)
    if(NOT line STREQUAL "")
      string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1, " line "${line}")
      string(STRIP "${line}" line)
      string(APPEND bytes "${line}\n\t")
    endif()
  endforeach()
  string(APPEND text "\n/* ${name} */\nstatic const char rule_${i}[] = {\n\t${bytes}0x00\n};\n")
  string(APPEND table "\t{ \"${name}\", rule_${i}, sizeof(rule_${i}) - 1 },\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND text "\nconst struct mtc_builtin_rule mtc_builtin_rules[] = {\n${table}};\n")
string(APPEND text "const size_t mtc_nr_builtin_rules = ${i};\n")
# replaced only when it changes, so that the plugin is not relinked for nothing
file(WRITE ${OUT}.new "${text}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.new ${OUT}
                RESULT_VARIABLE failed)
file(REMOVE ${OUT}.new)
if(failed)
  message(FATAL_ERROR "cannot write ${OUT}")
endif()

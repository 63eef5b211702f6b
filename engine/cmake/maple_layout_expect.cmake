# SPDX-License-Identifier: MIT
#
# cmake -DHEADER=asserts.h -DSLOT=15|31 -DOUT=expect.h -P maple_layout_expect.cmake
#
# Checks that the header mtcheck --emit-asserts wrote for the engine's node
# types holds the finding the engine exists to demonstrate ('meta.end',
# 'meta.gap' over the last slot pointer of struct maple_range_64) and writes
# a small header that tells maple_test_layout which self-test that is and
# what it predicts.  The build fails here, naming the header, if mtcheck
# stopped reporting the overlay: an empty header must not pass as a test.
foreach(v HEADER SLOT OUT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "maple_layout_expect.cmake: -D${v}=... is required")
  endif()
endforeach()

file(READ "${HEADER}" text)
string(REGEX MATCHALL "static inline int mtcheck_selftest_[0-9]+\\(void\\)" decls "${text}")
list(LENGTH decls count)

# One block per self-test: from its declaration to the next one.
set(meta_index "")
set(want_big "")
set(want_little "")
string(REPLACE ";" "\\;" text "${text}")
string(REPLACE "static inline int mtcheck_selftest_" ";" blocks "${text}")
foreach(block IN LISTS blocks)
  string(FIND "${block}"
    "mtcheck_report_mismatch(\"struct maple_range_64\", \"slot[${SLOT}]\", \"meta.end, meta.gap\""
    at)
  if(at EQUAL -1)
    continue()
  endif()
  string(REGEX MATCH "^([0-9]+)\\(void\\)" _ "${block}")
  set(meta_index ${CMAKE_MATCH_1})
  string(REGEX MATCH
    "__ORDER_BIG_ENDIAN__\n\tconst MTCHECK_UWIDE want = (0x[0-9a-f]+ull), mask = (0x[0-9a-f]+ull);\n#else\n\tconst MTCHECK_UWIDE want = (0x[0-9a-f]+ull), mask = (0x[0-9a-f]+ull);"
    _ "${block}")
  set(want_big ${CMAKE_MATCH_1})
  set(mask_big ${CMAKE_MATCH_2})
  set(want_little ${CMAKE_MATCH_3})
  set(mask_little ${CMAKE_MATCH_4})
endforeach()

if(meta_index STREQUAL "" OR want_big STREQUAL "" OR want_little STREQUAL "")
  message(FATAL_ERROR "${HEADER}: mtcheck reported no self-test for 'meta.end', "
    "'meta.gap' over 'slot[${SLOT}]' in 'struct maple_range_64' "
    "(${count} self-tests in all)")
endif()

file(WRITE "${OUT}.tmp" "/* Generated from ${HEADER} by maple_layout_expect.cmake.  Do not edit. */
#ifndef MAPLE_LAYOUT_EXPECT_H
#define MAPLE_LAYOUT_EXPECT_H
#define MAPLE_LAYOUT_SELFTESTS ${count}
#define MAPLE_LAYOUT_META_SLOT ${SLOT}
#define MAPLE_LAYOUT_META_INDEX ${meta_index}
#define MAPLE_LAYOUT_META_ACTIVE MTCHECK_HAVE_TEST_${meta_index}
/* slot[${SLOT}] after meta.end = 0xAA, meta.gap = 0xBB, as mtcheck predicts */
#define MAPLE_LAYOUT_META_WANT_BIG ${want_big}
#define MAPLE_LAYOUT_META_MASK_BIG ${mask_big}
#define MAPLE_LAYOUT_META_WANT_LITTLE ${want_little}
#define MAPLE_LAYOUT_META_MASK_LITTLE ${mask_little}
#endif
")
file(RENAME "${OUT}.tmp" "${OUT}")

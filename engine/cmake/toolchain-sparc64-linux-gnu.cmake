# SPDX-License-Identifier: MIT
#
# sparc64 (64-bit big-endian) with Debian's cross compiler (gcc-sparc64-linux-gnu and
# its libc6-dev package).  Nothing from the build machine's /usr is found:
# there is no cmocka for this target, so configure the tests with
# -DMAPLE_CMOCKA_LITE=ON.  Link them statically
# (-DCMAKE_EXE_LINKER_FLAGS=-static); ctest runs them under qemu-user through
# scripts/run-foreign (scripts/cross-matrix does exactly this).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR sparc64)
set(CMAKE_C_COMPILER sparc64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/sparc64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

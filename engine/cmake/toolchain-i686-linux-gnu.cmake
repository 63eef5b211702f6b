# SPDX-License-Identifier: MIT
#
# 32-bit x86 build with Debian's cross compiler (gcc-i686-linux-gnu).
# Test binaries link libcmocka from the i386 multiarch package
# (dpkg --add-architecture i386; apt-get install libcmocka-dev:i386).
# ctest runs them through scripts/run-foreign: natively on an x86-64 kernel
# that runs i386 programs, under qemu-i386 on one that does not.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER i686-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE i386-linux-gnu)
set(CMAKE_FIND_ROOT_PATH /usr/i686-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# SPDX-License-Identifier: MIT
# Flags for every C target of the project.
set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS OFF)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()
add_compile_options(-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes)
add_compile_definitions(_GNU_SOURCE)
if(MTCHECK_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(MTCHECK_TSAN)
  # ThreadSanitizer cannot share a process with ASan, nor a plugin with an
  # uninstrumented cc1 (plugin/CMakeLists.txt builds only its report-file test)
  if(MTCHECK_SANITIZE OR MTCHECK_FUZZ)
    message(FATAL_ERROR "MTCHECK_TSAN cannot be combined with MTCHECK_SANITIZE or MTCHECK_FUZZ")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
if(MTCHECK_FUZZ)
  # libFuzzer's coverage on every C target; the fuzz programs add its main()
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MTCHECK_FUZZ needs clang with libFuzzer (CC=clang-14; Debian: clang-14 libclang-rt-14-dev)")
  endif()
  include(CheckCSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS -fsanitize=fuzzer)
  check_c_source_compiles("
    #include <stddef.h>
    #include <stdint.h>
    int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
    int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }"
    MTCHECK_HAVE_LIBFUZZER)
  unset(CMAKE_REQUIRED_FLAGS)
  if(NOT MTCHECK_HAVE_LIBFUZZER)
    message(FATAL_ERROR "MTCHECK_FUZZ: ${CMAKE_C_COMPILER} cannot link -fsanitize=fuzzer (Debian: apt-get install libclang-rt-14-dev)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

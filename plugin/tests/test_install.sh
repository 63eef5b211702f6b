#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The plugin as installed: cmake --install into a scratch prefix, move the
# prefix, and use it the way a user would: mtcheck --plugin-path, gcc
# -fplugin=..., the installed rules, <mtcheck.h>, and a CMake project that
# calls mtcheck_add_plugin() after find_package(mtcheck).
# usage: test_install.sh BUILD_DIR SOURCE_DIR GCC
set -euo pipefail
build=$(realpath "$1")
src=$(realpath "$2")
gcc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
passed=0 failed=0
ok() { echo "PASS $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(cd "$tmp/prefix" && ls -d lib*/ | head -n1)
libdir=${libdir%/}
for f in "$libdir/mtcheck/mtcheck.so" include/mtcheck.h "$libdir/cmake/mtcheck/mtcheckPlugin.cmake"; do
    if [ -e "$tmp/prefix/$f" ]; then ok "installed $f"; else bad "missing $f"; fi
done

# a moved prefix still finds its plugin, and the plugin its rules
mv "$tmp/prefix" "$tmp/moved"
prefix=$tmp/moved
plugin=$("$prefix/bin/mtcheck" --plugin-path) || true
if [ "$plugin" = "$(realpath "$prefix/$libdir/mtcheck/mtcheck.so")" ]; then
    ok "mtcheck --plugin-path: $plugin"
else
    bad "mtcheck --plugin-path printed '$plugin'"
fi
# the moved prefix's own MT001 rule, made an error, proves which rules the plugin read
sed -i 's/^severity: warning$/severity: error/' "$prefix/share/mtcheck/rules/MT001.yaml"
rc=0
out=$(cd "$tmp" && $gcc -fplugin="$plugin" -fno-diagnostics-show-caret -c \
      "$src/testcases/maple_range.c" -o m.o 2>&1) || rc=$?
if [ "$rc" -eq 1 ] && grep -q "maple_range.c:18:47: error: \[MT001 pointer-overlaid-by-narrow\]" <<<"$out"; then
    ok "installed plugin reads the rules installed next to it"
else
    bad "installed plugin (exit $rc): $out"
fi
sed -i 's/^severity: error$/severity: warning/' "$prefix/share/mtcheck/rules/MT001.yaml"

cat >"$tmp/use.c" <<'C'
#include <stdint.h>
#include <mtcheck.h>

struct handle {
	int kind;
	union {
		void *ptr;
		uint32_t id MTCHECK_ALLOW("only the 32-bit build stores ids");
	};
};

union halves {
	uint64_t v;
	struct {
		uint32_t lo, hi;
	} s;
};

union halves h;
struct handle k;

int main(void)
{
	return (int)h.s.lo + k.kind;
}
C
if out=$($gcc -std=c11 -Wall -Wextra -pedantic -Werror -I"$prefix/include" -c "$tmp/use.c" \
         -o "$tmp/use.o" 2>&1); then
    ok "<mtcheck.h> without the plugin: no warning"
else
    bad "<mtcheck.h> without the plugin: $out"
fi
out=$($gcc -fplugin="$plugin" -fno-diagnostics-show-caret -I"$prefix/include" -c "$tmp/use.c" \
      -o "$tmp/use.o" 2>&1 | grep -E "(warning|error): " || true)
if [ "$(grep -c . <<<"$out")" -eq 1 ] && grep -q "use.c:15:26: warning: \[MT002" <<<"$out"; then
    ok "<mtcheck.h> with the plugin: the marked overlay is silent, the other reported"
else
    bad "<mtcheck.h> with the plugin: $out"
fi

# a CMake project: find_package(mtcheck), then mtcheck_add_plugin()
mkdir -p "$tmp/cm"
cp "$tmp/use.c" "$tmp/cm/use.c"
cat >"$tmp/cm/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(use C)
find_package(mtcheck REQUIRED)
if(NOT COMMAND mtcheck_add_plugin)
  message(FATAL_ERROR "find_package(mtcheck) does not define mtcheck_add_plugin()")
endif()
add_executable(use use.c)
mtcheck_add_plugin(use ARGS json=${CMAKE_BINARY_DIR}/mtcheck.json disable=MT004)
CM
rc=0
out=$(cmake -S "$tmp/cm" -B "$tmp/cm/build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$gcc" 2>&1 &&
      cmake --build "$tmp/cm/build" 2>&1) || rc=$?
if [ "$rc" -eq 0 ] && grep -q "use.c:15:26: warning: \[MT002 mixed-width-scalars\]" <<<"$out" &&
   python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not [f["record"] for f in d["findings"]] == ["union halves"])' \
       "$tmp/cm/build/mtcheck.json"; then
    ok "find_package(mtcheck) and mtcheck_add_plugin(): warning and report"
else
    bad "find_package(mtcheck) and mtcheck_add_plugin() (exit $rc): $out"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

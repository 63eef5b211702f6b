#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The plugin as installed: cmake --install into a scratch prefix, move the
# prefix, and use it the way a user would: mtcheck --plugin-path, gcc
# -fplugin=..., the installed rules, <mtcheck.h>, and a CMake project that
# calls mtcheck_add_plugin() after find_package(mtcheck); and the union
# sanitizer's run-time: mtcheck --runtime-path, a program linked with it,
# and mtcheck_add_plugin(... SANITIZE).
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
for f in "$libdir/mtcheck/mtcheck.so" include/mtcheck.h "$libdir/cmake/mtcheck/mtcheckPlugin.cmake" \
         "$libdir/libmtcheck_rt.a" include/mtcheck_rt.h; do
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
runtime=$("$prefix/bin/mtcheck" --runtime-path) || true
if [ "$runtime" = "$(realpath "$prefix/$libdir/libmtcheck_rt.a")" ]; then
    ok "mtcheck --runtime-path: $runtime"
else
    bad "mtcheck --runtime-path printed '$runtime'"
fi
# the run-time as a user links it: the installed header, the printed library
cat >"$tmp/rt.c" <<'C'
#include <mtcheck_rt.h>

static unsigned char store_id;
static const struct mtcheck_rt_site store = { MTCHECK_RT_ABI, MTCHECK_RT_NARROW_STORE,
	"rt.c", "main", 9, 2, "unsigned char", "lo", "union w", NULL, &store_id };
static const struct mtcheck_rt_site load = { MTCHECK_RT_ABI, MTCHECK_RT_WIDE_LOAD,
	"rt.c", "main", 10, 2, "unsigned short", "v", "union w", NULL, NULL };

int main(void)
{
	union w { unsigned short v; unsigned char lo; } w = { .v = 0 };

	w.lo = 7;
	__mtcheck_rt_store(&w.lo, 1, &store);
	__mtcheck_rt_load(&w.v, sizeof(w.v), &load);
	return w.v == 7 ? 0 : 1;
}
C
rc=0
out=$($gcc -std=c11 -Wall -Wextra -Werror -I"$prefix/include" "$tmp/rt.c" "$runtime" -pthread \
      -o "$tmp/rt" 2>&1 && MTCHECK_RT_OPTIONS=halt_on_error=1 "$tmp/rt" 2>&1) || rc=$?
if [ "$rc" -eq 3 ] && [ "$(head -n1 <<<"$out")" = "mtcheck-rt: error: load of 'v' (unsigned short, 2 bytes) in union w reads bytes last written through a narrower member" ] &&
   [ "$(tail -n1 <<<"$out")" = "mtcheck-rt: summary: 1 report" ]; then
    ok "a program linked with \$(mtcheck --runtime-path) reports, and halts with status 3"
else
    bad "a program linked with the run-time (exit $rc): $out"
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

# mtcheck_add_plugin(... SANITIZE): the plugin's sanitize argument on the
# C compile lines, the run-time on the link line, also through a static
# library; built when this plugin takes the argument
mkdir -p "$tmp/san"
cp "$tmp/rt.c" "$tmp/san/rt.c"
cp "$tmp/rt.c" "$tmp/san/plain.c"
echo 'int helper(void); int helper(void) { return 0; }' >"$tmp/san/helper.c"
cat >"$tmp/san/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(san C)
find_package(mtcheck REQUIRED)
add_library(helper STATIC helper.c)
mtcheck_add_plugin(helper SANITIZE)
add_executable(rt rt.c)
target_link_libraries(rt helper)
add_executable(plain plain.c)
target_link_libraries(plain PRIVATE mtcheck::mtcheck_rt)
mtcheck_add_plugin(rt SANITIZE ARGS disable=MT004)
CM
rc=0
out=$(cmake -S "$tmp/san" -B "$tmp/san/build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$gcc" \
      -DCMAKE_EXPORT_COMPILE_COMMANDS=ON 2>&1) || rc=$?
if [ "$rc" -eq 0 ] &&
   python3 - "$tmp/san/build/compile_commands.json" <<'PY'
import json, sys
cmds = {c["file"].rsplit("/", 1)[-1]: c["command"] for c in json.load(open(sys.argv[1]))}
ok = ("-fplugin-arg-mtcheck-sanitize" in cmds["rt.c"] and "-fplugin-arg-mtcheck-disable=MT004" in cmds["rt.c"]
      and "-fplugin-arg-mtcheck-sanitize" in cmds["helper.c"] and "-fplugin" not in cmds["plain.c"])
sys.exit(not ok)
PY
then
    ok "mtcheck_add_plugin(SANITIZE): -fplugin-arg-mtcheck-sanitize on the compile lines"
else
    bad "mtcheck_add_plugin(SANITIZE) (exit $rc): $out"
fi
link=$(cat "$tmp/san/build/CMakeFiles/rt.dir/link.txt" 2>/dev/null || true)
# (threads need no flag of their own where pthreads are in libc, glibc 2.34 on)
if grep -q -- " libhelper.a $(realpath "$prefix/$libdir/libmtcheck_rt.a")" <<<"$link"; then
    ok "mtcheck_add_plugin(SANITIZE): the run-time library on the link line, after the static library"
else
    bad "mtcheck_add_plugin(SANITIZE): link line: $link"
fi
echo 'int main(void) { return 0; }' >"$tmp/probe.c"
if $gcc -fplugin="$plugin" -fplugin-arg-mtcheck-sanitize -c "$tmp/probe.c" -o "$tmp/probe.o" 2>/dev/null; then
    rc=0
    out=$(cmake --build "$tmp/san/build" 2>&1 && MTCHECK_RT_OPTIONS=halt_on_error=1 "$tmp/san/build/rt" 2>&1) || rc=$?
    if [ "$rc" -eq 3 ] && grep -q "^mtcheck-rt: summary: 1 report$" <<<"$out"; then
        ok "mtcheck_add_plugin(SANITIZE): built, and the run-time reports"
    else
        bad "mtcheck_add_plugin(SANITIZE): build and run (exit $rc): $out"
    fi
else
    echo "NOTE this plugin does not take -fplugin-arg-mtcheck-sanitize yet: the SANITIZE project is configured, not built"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

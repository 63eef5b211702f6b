#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cmake --install into a scratch prefix, then use what was installed the way
# a user would: the tool with its rules, pkg-config, and find_package.
# usage: test_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1")
src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
passed=0 failed=0
ok() { echo "PASS $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(cd "$prefix" && ls -d lib*/ | head -n1)
libdir=${libdir%/}
for f in bin/mtcheck share/mtcheck/rules/MT001.yaml share/mtcheck/rules/MT004.yaml \
         include/mtcheck/model.h include/mtcheck/analysis.h "$libdir/libmtcheck.a" \
         "$libdir/libmtcheck.so" "$libdir/pkgconfig/mtcheck.pc" \
         "$libdir/cmake/mtcheck/mtcheckConfig.cmake"; do
    if [ -e "$prefix/$f" ]; then ok "installed $f"; else bad "missing $f"; fi
done

# the installed tool finds its installed rules, wherever the prefix is
cp -r "$prefix" "$tmp/moved"
gcc -g -c "$src/testcases/maple_range.c" -o "$tmp/maple.o"
out=$(cd "$tmp" && "$tmp/moved/bin/mtcheck" --list-rules | cut -d' ' -f1 | tr '\n' ' ')
if [ "$out" = "MT010 MT001 MT003 MT002 MT004 " ]; then
    ok "relocated rules"
else
    bad "relocated rules: $out"
fi
rc=0
(cd "$tmp" && "$tmp/moved/bin/mtcheck" maple.o >/dev/null) || rc=$?
if [ "$rc" -eq 1 ]; then ok "installed mtcheck finds MT001"; else bad "installed mtcheck exit $rc"; fi

# every public header compiles on its own, warning-free, in C and C++
for h in "$prefix"/include/mtcheck/*.h; do
    n=$(basename "$h")
    if echo "#include <mtcheck/$n>" | gcc -std=c11 -Wall -Wextra -Werror -I"$prefix/include" \
        -x c -fsyntax-only - && echo "#include <mtcheck/$n>" | g++ -Wall -Wextra -Werror \
        -I"$prefix/include" -x c++ -fsyntax-only -; then
        ok "header $n alone"
    else
        bad "header $n alone"
    fi
done

# a small program against the library, through pkg-config and through CMake
cat >"$tmp/use.c" <<'C'
#include <mtcheck/analysis.h>
#include <mtcheck/frontend.h>
#include <mtcheck/report.h>
#include <stdio.h>
int main(int argc, char **argv)
{
	struct mtc_error err = {0};
	struct mtc_model *m = NULL;
	struct mtc_ruleset *rs = mtc_ruleset_new();
	struct mtc_findings *fs = mtc_findings_new();
	struct mtc_probed_input in = {0};
	if (argc != 3 || mtc_ruleset_load(rs, argv[2], &err) ||
	    mtc_frontend_probe(argv[1], &in, &err) ||
	    mtc_frontend_load(&in, argv[1], NULL, &m, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return 2;
	}
	mtc_frontend_release(&in);
	struct mtc_analysis_conf conf = { .rules = rs };
	int n = mtc_analyze(m, &conf, fs, &err);
	printf("%d %s\n", n, mtc_findings_at(fs, 0)->wide.path);
	mtc_model_free(m);
	mtc_findings_free(fs);
	mtc_ruleset_free(rs);
	return 0;
}
C
export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
if gcc "$tmp/use.c" -o "$tmp/use-pc" $(pkg-config --cflags mtcheck) \
       $(pkg-config --libs --static mtcheck) -Wl,-rpath,"$prefix/$libdir" &&
   [ "$("$tmp/use-pc" "$tmp/maple.o" "$(pkg-config --variable=rulesdir mtcheck)")" = "1 slot[15]" ]; then
    ok "pkg-config consumer"
else
    bad "pkg-config consumer"
fi
mkdir -p "$tmp/cm"
cat >"$tmp/cm/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(use C)
find_package(mtcheck REQUIRED)
add_executable(use ../use.c)
target_link_libraries(use PRIVATE mtcheck::mtcheck_shared)
CM
if cmake -S "$tmp/cm" -B "$tmp/cm/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null &&
   cmake --build "$tmp/cm/build" >/dev/null &&
   [ "$("$tmp/cm/build/use" "$tmp/maple.o" "$prefix/share/mtcheck/rules")" = "1 slot[15]" ]; then
    ok "find_package consumer"
else
    bad "find_package consumer"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

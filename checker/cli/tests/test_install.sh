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

# The installed tool and library find their installed rules wherever the
# prefix is: move it, and make the moved copy's MT001 an error, which shows
# which rules were read.  Nothing else may point at rules.
unset MTCHECK_RULES_DIR
mv "$prefix" "$tmp/moved"
moved=$tmp/moved
sed -i 's/^severity: warning$/severity: error/' "$moved/share/mtcheck/rules/MT001.yaml"
gcc -g -c "$src/testcases/maple_range.c" -o "$tmp/maple.o"
out=$(cd "$tmp" && "$moved/bin/mtcheck" --list-rules | awk '{print $1 "=" $3}' | tr '\n' ' ')
if [ "$out" = "MT010=warning MT001=error MT003=warning MT002=warning MT004=note " ]; then
    ok "relocated mtcheck reads the rules installed with it"
else
    bad "relocated rules: $out"
fi
rc=0
(cd "$tmp" && "$moved/bin/mtcheck" maple.o >/dev/null) || rc=$?
if [ "$rc" -eq 1 ]; then ok "installed mtcheck finds MT001"; else bad "installed mtcheck exit $rc"; fi
# a program of the user's, elsewhere, linked with the moved libmtcheck.so
cat >"$tmp/rules.c" <<'C'
#include <mtcheck/config.h>
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	struct mtc_error err = {0};
	struct mtc_ruleset *rs = mtc_ruleset_new();
	struct mtc_config *cfg = mtc_config_new();
	struct mtc_setup_conf conf = {0};
	char *dir;
	if (mtc_default_rules_dir(&dir, &err) || mtc_setup_rules(rs, cfg, &conf, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return 2;
	}
	printf("%s %s\n", dir, mtc_severity_name(mtc_ruleset_find(rs, "MT001")->severity));
	free(dir);
	mtc_config_free(cfg);
	mtc_ruleset_free(rs);
	return 0;
}
C
out=
if gcc -Wall -Wextra -Werror "$tmp/rules.c" -o "$tmp/bin-rules" -I"$moved/include" \
       "$moved/$libdir/libmtcheck.so" -Wl,-rpath,"$moved/$libdir"; then
    out=$(cd / && "$tmp/bin-rules" 2>&1) || true
fi
if [ "$out" = "$(realpath "$moved/share/mtcheck/rules") error" ]; then
    ok "relocated libmtcheck.so reads the rules installed with it"
else
    bad "relocated libmtcheck.so: $out"
fi
sed -i 's/^severity: error$/severity: warning/' "$moved/share/mtcheck/rules/MT001.yaml"
# no rules directory of this machine is compiled in (debug info aside):
# only relative paths, and nothing of the build or source tree
found=
for f in "$moved/bin/"* "$moved/$libdir/libmtcheck.so" "$moved/$libdir/mtcheck/"*.so; do
    [ -f "$f" ] || continue
    objcopy --strip-debug "$f" "$tmp/stripped"
    if strings "$tmp/stripped" | grep -E -e '^/.*/mtcheck/rules' -e "^$build" -e "^$src"; then
        found="$found $f"
    fi
done
if [ -z "$found" ]; then
    ok "installed binaries name no rules directory of the build machine"
else
    bad "installed binaries name a path of the build machine:$found"
fi
prefix=$moved

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

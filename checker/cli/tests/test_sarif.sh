#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SARIF output must pass Microsoft's SARIF validator with no errors: one
# report with findings of every rule, with and without source locations,
# and one with no findings.
# usage: test_sarif.sh MTCHECK SOURCE_DIR
set -euo pipefail
mtcheck=$(realpath "$1")
src=$(realpath "$2")
validator=$src/.tools/node_modules/.bin/sarif-multitool
if [ ! -x "$validator" ]; then
    echo "SKIP: $validator missing (scripts/install-deps installs it)"
    echo "0 passed, 0 failed, 1 skipped"
    exit 77   # ctest's SKIP_RETURN_CODE: reported as skipped
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
objs=()
for c in maple_range u64_halves bitfield_word byte_view packed nested million; do
    gcc -g -c "$src/testcases/$c.c" -o "$c.o"
    objs+=("$c.o")
done
pahole --btf_encode_detached=maple.btf maple_range.o >/dev/null
passed=0 failed=0
check() {
    local name=$1
    shift
    local rc=0
    "$mtcheck" --format=sarif --fail-on=error -o "$name.sarif" "$@" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL $name: mtcheck exited $rc"
        failed=$((failed + 1))
        return
    fi
    validate "$name"
}
validate() {
    local name=$1 out
    # the validator prints 'error' lines for schema and rule violations
    if out=$("$validator" validate "$name.sarif" 2>&1) && ! grep -q ': error ' <<<"$out"; then
        echo "PASS $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        echo "$out"
        failed=$((failed + 1))
    fi
}
check all-rules "${objs[@]}"
check no-location maple.btf
check empty --disable=MT001,MT002,MT003,MT004 maple_range.o
# SARIF from --merge, of JSON reports and of SARIF (each result carries its finding)
"$mtcheck" --format=json -o all.json "${objs[@]}" || true
"$mtcheck" --format=json -o nolocation.json maple.btf || true
check merged-json --merge all.json nolocation.json
check merged-sarif --merge all-rules.sarif merged-json.sarif
# with a baseline: results new, unchanged and absent (absent ones are the
# baseline's results), each with baselineState
"$mtcheck" --format=json -o part.json maple_range.o u64_halves.o bitfield_word.o || true
check baseline --baseline=part.json maple_range.o byte_view.o packed.o
check merged-baseline --merge --baseline=part.json all.json
for s in new unchanged absent; do
    if grep -q "\"baselineState\": \"$s\"" baseline.sarif; then
        passed=$((passed + 1))
    else
        echo "FAIL baseline.sarif has no $s result"
        failed=$((failed + 1))
    fi
done
# a finding per rule in the report
for r in MT001 MT002 MT003 MT004; do
    if grep -q "\"ruleId\": \"$r\"" all-rules.sarif; then
        passed=$((passed + 1))
    else
        echo "FAIL all-rules.sarif has no $r result"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

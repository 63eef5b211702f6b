#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mtcheck-sparse under valgrind: findings, JSON, bad input, a failing c2xml,
# a bad option; each with the exit status it must have.
# c2xml itself (a child process) is sparse's, and not traced.
#   test_valgrind.sh MTCHECK-SPARSE SOURCE-DIR
set -euo pipefail
sparse=$1
cases=$2/testcases
if ! command -v valgrind >/dev/null || ! command -v c2xml >/dev/null; then
    echo "SKIP: valgrind or c2xml is not installed"
    exit 77   # ctest's SKIP_RETURN_CODE: reported as skipped
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'struct s { int a;\n\tint b c; };\n' >"$tmp/bad.c"
printf '#!/bin/sh\nkill -SEGV $$\n' >"$tmp/crash"
chmod +x "$tmp/crash"
cd "$cases"
status=0
while read -r want args; do
    rc=0
    # shellcheck disable=SC2086
    valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
        "$sparse" $args >/dev/null 2>"$tmp/log" || rc=$?
    if [ "$rc" -eq 99 ]; then
        cat "$tmp/log"
        echo "FAIL: valgrind errors in mtcheck-sparse $args"
        status=1
    elif [ "$rc" -ne "$want" ]; then
        cat "$tmp/log"
        echo "FAIL: mtcheck-sparse $args: exit $rc, expected $want"
        status=1
    else
        echo "PASS: mtcheck-sparse $args (exit $rc)"
    fi
done <<EOF2
0 --mtcheck-json=$tmp/out.jsonl maple_range.c bitfield_word.c packed.c nested_views.c million.c
1 --arch=s390x -mbig-endian -m64 --mtcheck-fail-on=warning maple_range.c
0 --mtcheck-config=configs/allow-maple.yaml --mtcheck-quiet allowed.c byte_view.c
0 -m32 -fdiagnostic-prefix=sparse -ftabstop=4 maple_range.c
1 $tmp/bad.c nonexistent.c - maple_range.c
1 --mtcheck-c2xml=$tmp/crash maple_range.c
1 --mtcheck-c2xml=/nonexistent/c2xml maple_range.c
1 --mtcheck-fail-on=never maple_range.c
EOF2
exit $status

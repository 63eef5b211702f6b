#!/bin/sh
# SPDX-License-Identifier: MIT
# Print 1 when the checker "$@" can be used, 0 otherwise: it must exist,
# and checking a file that uses __typeof_unqual__ (which the headers use
# under __CHECKER__) must not print anything that says "error".  sparse
# exits 0 even after errors, so its output is what tells.
set -eu
if ! command -v "$1" >/dev/null 2>&1; then
	echo 0
	exit 0
fi
probe=$(mktemp)
trap 'rm -f "$probe"' EXIT
printf 'static inline int unqual(const int *q)\n{\n\t__typeof_unqual__(*q) v = *q;\n\treturn v;\n}\n' >"$probe"
if "$@" "$probe" 2>&1 | grep -q error; then
	echo 0
else
	echo 1
fi

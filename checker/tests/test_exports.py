#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""libmtcheck.so exports exactly what the public headers declare MTC_API.

usage: test_exports.py LIBMTCHECK_SO INCLUDE_DIR [MAP_FILE]
       test_exports.py --install BUILD_DIR MAP_FILE

Reads every INCLUDE_DIR/mtcheck/*.h (with --install: cmake --install
BUILD_DIR into a scratch prefix, and the headers and library installed there), takes the name of each function and
object declared there, and compares the MTC_API ones with what
`nm -D --defined-only` finds in the library.  It fails on a declaration
without MTC_API, on a declared name the library does not export, on an
exported name no header declares, and (given MAP_FILE) on a name the
version script lists that the headers do not, or the other way round.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile


def strip_header(text):
    """The header as C declarations: no comments, no preprocessor lines,
    no extern "C" wrapper."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = "\n".join(l for l in text.split("\n") if not l.lstrip().startswith("#"))
    return text.replace('extern "C" {', " ")


def top_level_statements(text):
    """Statements ending in ';' outside any braces; a type definition is
    one statement with its body."""
    depth, cur = 0, []
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:	# the brace that closed extern "C"
                continue
            depth -= 1
        cur.append(ch)
        if ch == ";" and depth == 0:
            yield " ".join("".join(cur).split())
            cur = []


def declared(include_dir):
    """{name: header} of MTC_API declarations, and a list of problems."""
    api, problems = {}, []
    headers = sorted(glob.glob(os.path.join(include_dir, "mtcheck", "*.h")))
    if not headers:
        problems.append(f"{include_dir}/mtcheck: no headers")
    for h in headers:
        with open(h) as f:
            text = strip_header(f.read())
        for st in top_level_statements(text):
            if "{" in st or st.startswith("typedef "):
                continue	# a type, not a function or an object
            if "(" in st:	# function: the name before the parameter list
                m = re.search(r"(\w+)\s*\(", st)
            elif st.startswith(("struct ", "enum ", "union ")) and len(st.split()) == 2:
                continue	# a forward declaration
            else:		# object: the last name before ';'
                m = re.search(r"(\w+)\s*(\[[^]]*\])?\s*;$", st)
            if not m:
                problems.append(f"{os.path.basename(h)}: cannot read '{st}'")
                continue
            name = m.group(1)
            if not st.startswith("MTC_API "):
                problems.append(f"{os.path.basename(h)}: {name} is declared without MTC_API")
                continue
            api[name] = os.path.basename(h)
    return api, problems


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3 or parts[1] == "A":	# A: the version node itself
            continue
        names.add(parts[2].split("@")[0])
    return names


def map_names(path):
    with open(path) as f:
        text = re.sub(r"/\*.*?\*/", " ", f.read(), flags=re.S)
    m = re.search(r"global:(.*?)local:", text, flags=re.S)
    return {n.strip() for n in m.group(1).split(";") if n.strip()} if m else set()


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--install":
        with tempfile.TemporaryDirectory() as prefix:
            subprocess.run(["cmake", "--install", sys.argv[2], "--prefix", prefix],
                           check=True, stdout=subprocess.DEVNULL)
            libs = glob.glob(os.path.join(prefix, "lib*", "**", "libmtcheck.so"),
                             recursive=True)
            if len(libs) != 1:
                print(f"FAIL installed libmtcheck.so: {libs}")
                return 1
            return check(libs[0], os.path.join(prefix, "include"), sys.argv[3])
    if len(sys.argv) not in (3, 4):
        print(__doc__.strip().split("\n")[2], file=sys.stderr)
        return 2
    return check(*sys.argv[1:])


def check(lib_path, include_dir, map_path=None):
    api, problems = declared(include_dir)
    lib = exported(lib_path)
    for n in sorted(set(api) - lib):
        problems.append(f"{api[n]}: {n} is declared MTC_API but not exported")
    for n in sorted(lib - set(api)):
        problems.append(f"{n} is exported but no public header declares it")
    if map_path:
        listed = map_names(map_path)
        for n in sorted(listed - set(api)):
            problems.append(f"libmtcheck.map lists {n}, which no header declares MTC_API")
        for n in sorted(set(api) - listed):
            problems.append(f"libmtcheck.map does not list {n} ({api[n]})")
        if any("*" in n for n in listed):
            problems.append("libmtcheck.map exports by pattern; list every name")
    for p in problems:
        print("FAIL", p)
    print(f"{len(api)} declared, {len(lib)} exported, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

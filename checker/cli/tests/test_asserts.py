#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""--emit-asserts: the generated header compiles warning-free as C11 and
C++, its static assertions catch a layout that differs, and its self-tests
confirm every prediction on this machine, on big-endian s390x under
qemu-user, and on 32-bit i686 (natively, or under qemu-i386 where the
kernel does not run i386 programs: scripts/run-foreign decides).

usage: test_asserts.py MTCHECK SOURCE_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from harness import SkipTest, expect, main, runner, test

MTCHECK, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CASES = os.path.join(SRC, "testcases")
RUN_FOREIGN = os.path.join(SRC, "scripts", "run-foreign")
run = runner(MTCHECK)
TMP = tempfile.mkdtemp(prefix="mtcheck-asserts.")
# cases whose records the self-tests exercise: pointers, halves, bitfields,
# packed and nested members, arrays of records, views of nested unions
NAMES = ["maple_range", "u64_halves", "bitfield_word", "packed", "enums_bool",
         "nested_views", "array_of_structs", "nested", "byte_view"]
MAIN = '#include "all.c"\n#include "%s"\nint main(void)\n{\n\tint f = mtcheck_selftest_all();\n\n' \
       '\tprintf("%%d failed\\n", f);\n\treturn f != 0;\n}\n'


def sh(*cmd, cwd=TMP):
    return subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def setup():
    with open(os.path.join(TMP, "all.c"), "w") as out:
        out.write("#include <stdint.h>\n#include <stddef.h>\n")
        for n in NAMES:
            with open(os.path.join(CASES, n + ".c")) as fh:
                out.write("".join(l for l in fh if not l.startswith("#include")))


setup()


def header_for(cc, name):
    """Compile all.c with @cc, run mtcheck on the object, write the header."""
    obj = os.path.join(TMP, name + ".o")
    r = sh(cc, "-g", "-c", "all.c", "-o", obj)
    expect(r.returncode == 0, r.stderr)
    h = os.path.join(TMP, name + ".h")
    r = run("--emit-asserts=" + h, obj)
    expect(r.returncode == 1, r.stderr)
    with open(os.path.join(TMP, "main-%s.c" % name), "w") as fh:
        fh.write(MAIN % (name + ".h"))
    return h


def build_and_run(cc, name, exe):
    """Build main-@name.c with @cc and run it, through qemu-user if it is foreign."""
    r = sh(cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-static", "-O2",
           "main-%s.c" % name, "-o", exe)
    expect(r.returncode == 0, r.stderr)
    r = sh(RUN_FOREIGN, "./" + exe)
    if r.returncode == 127 and r.stderr.startswith("run-foreign: "):
        raise SkipTest(r.stderr.strip())     # its qemu-user is not installed
    return r


def need(*tools):
    for t in tools:
        if not shutil.which(t):
            raise SkipTest("%s is not installed (scripts/install-deps installs it)" % t)


@test
def host_header_self_tests_pass():
    header_for("gcc", "host")
    r = build_and_run("gcc", "host", "host")
    expect(r.returncode == 0 and r.stdout == "0 failed\n", r.stdout + r.stderr)


@test
def header_is_valid_cpp():
    only = os.path.join(TMP, "halves.h")
    obj = os.path.join(TMP, "halves.o")
    expect(sh("gcc", "-g", "-c", os.path.join(CASES, "u64_halves.c"), "-o", obj).returncode == 0,
           "compile")
    expect(run("--emit-asserts=" + only, obj).returncode == 1, "mtcheck")
    with open(os.path.join(TMP, "cpp2.cc"), "w") as fh:
        fh.write('#include "%s"\n#include "%s"\nint main() { return mtcheck_selftest_all(); }\n'
                 % (os.path.join(CASES, "u64_halves.c"), only))
    r = sh("g++", "-std=c++11", "-Wall", "-Wextra", "-Werror", "cpp2.cc", "-o", "cpp2")
    expect(r.returncode == 0, r.stderr)
    expect(sh("./cpp2").returncode == 0, "C++ self-test")


@test
def big_endian_s390x():
    need("s390x-linux-gnu-gcc")
    # predictions made from the big-endian object, and from the host's
    for name, cc in (("s390x", "s390x-linux-gnu-gcc"), ("host", "gcc")):
        header_for(cc, name)
        r = build_and_run("s390x-linux-gnu-gcc", name, "run-s390x-" + name)
        expect(r.returncode == 0 and r.stdout == "0 failed\n", name + ": " + r.stdout + r.stderr)


@test
def i686_skips_64bit_findings():
    need("i686-linux-gnu-gcc")
    header_for("gcc", "host")
    r = build_and_run("i686-linux-gnu-gcc", "host", "run-i686")
    expect(r.returncode == 0 and r.stdout == "0 failed\n", r.stdout + r.stderr)
    header_for("i686-linux-gnu-gcc", "i686")
    r = build_and_run("i686-linux-gnu-gcc", "i686", "run-i686b")
    expect(r.returncode == 0 and r.stdout == "0 failed\n", r.stdout + r.stderr)
    with open(os.path.join(TMP, "i686.h")) as fh:
        text = fh.read()
    expect("offsetof(struct maple_range_64, slot[15]) == 124" in text, "32-bit offsets")


@test
def changed_layout_fails_to_compile():
    header_for("gcc", "host")
    with open(os.path.join(TMP, "all.c")) as fh:
        src = fh.read()
    with open(os.path.join(TMP, "all-mod.c"), "w") as fh:
        fh.write(src.replace("struct maple_pnode *parent;", "struct maple_pnode *parent;\n\tlong x;"))
    with open(os.path.join(TMP, "mod.c"), "w") as fh:
        fh.write(MAIN.replace("all.c", "all-mod.c") % "host.h")
    r = sh("gcc", "-c", "mod.c", "-o", "mod.o")
    expect(r.returncode != 0, "compiled")
    expect('"mtcheck: struct maple_range_64: slot[15] is not at offset 248 on this target; '
           'regenerate this header for it"' in r.stderr, r.stderr)


@test
def wrong_prediction_is_reported():
    h = header_for("gcc", "host")
    with open(h) as fh:
        text = fh.read()
    bad, n = re.subn(r"want = 0xbbaaull", "want = 0xbbabull", text, count=1)
    expect(n == 1, "the maple prediction 0xbbaa is in the header")
    with open(h, "w") as fh:
        fh.write(bad)
    r = build_and_run("gcc", "host", "host-bad")
    expect(r.returncode == 1 and r.stdout == "1 failed\n", r.stdout)
    expect("mtcheck self-test: struct maple_range_64: 'slot[15]' read 0xbbaa after writing "
           "'meta.end, meta.gap', predicted 0xbbab for this byte order" in r.stderr, r.stderr)


main(lambda: shutil.rmtree(TMP))

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mtcheck -j over many inputs: objects, and sources laid out for two
targets on several threads, report exactly what -j 1 reports, byte for
byte.  scripts/test runs this again with a ThreadSanitizer build, where a
race ends mtcheck with TSan's report on stderr and exit status 66.

usage: test_parallel.py MTCHECK SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from harness import expect, main, runner, test

MTCHECK = os.path.abspath(sys.argv[1])
run = runner(MTCHECK)
UNITS = 48
TMP = tempfile.mkdtemp(prefix="mtcheck-parallel.")

COMMON = """\
#include <stdint.h>
union shared { uint64_t v; uint32_t h[2]; };
/* adapts to byte order: silent when both byte orders are laid out */
union adaptive {
	uint32_t v;
	struct {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		uint16_t lo, hi;
#else
		uint16_t hi, lo;
#endif
	} s;
};
"""


def make_units():
    """UNITS sources sharing common.h, each with a union of its own, and their objects"""
    with open(os.path.join(TMP, "common.h"), "w") as f:
        f.write(COMMON)
    sources, objects = [], []
    for i in range(UNITS):
        src = os.path.join(TMP, "unit%d.c" % i)
        with open(src, "w") as f:
            f.write('#include "common.h"\nunion own%d { uint32_t v; uint16_t h[2]; } o%d;\n'
                    "union shared s%d;\nunion adaptive a%d;\n" % (i, i, i, i))
        sources.append(src)
    procs = []
    for src in sources:
        objects.append(src[:-2] + ".o")
        procs.append(subprocess.Popen(["gcc", "-g", "-c", src, "-o", objects[-1]]))
    for p in procs:
        expect(p.wait() == 0, "gcc failed")
    return sources, objects


SOURCES, OBJECTS = make_units()
OWN = ["union own%d" % i for i in range(UNITS)]


def report(*args):
    r = run("--format=json", *args)
    expect((r.returncode, r.stderr) == (1, ""), "mtcheck %s: exit %d, stderr:\n%s"
           % (" ".join(args[:3]), r.returncode, r.stderr))
    return r.stdout


@test
def objects_in_parallel():
    one = report("-j", "1", *OBJECTS)
    got = json.loads(one)["findings"]
    expect(sorted(f["record"] for f in got) == sorted(OWN + ["union adaptive", "union shared"]),
           [f["record"] for f in got])
    # the header's unions are kept from the first input, as with one thread
    expect([f["input"] for f in got if f["record"] == "union shared"] == [OBJECTS[0]], got)
    for _ in range(3):
        expect(report("-j", "4", *OBJECTS) == one, "-j 4 differs from -j 1")


@test
def two_targets_in_parallel():
    targets = "--target=x86_64-linux-gnu,s390x-linux-gnu"
    one = report("-j", "1", targets, *SOURCES)
    got = json.loads(one)["findings"]
    # the adaptive union is recognised on both byte orders; the others hold on both
    expect(sorted(f["record"] for f in got) == sorted(OWN + ["union shared"]),
           [f["record"] for f in got])
    expect(all([t["triple"] for t in f["target"]] == ["x86_64-linux-gnu", "s390x-linux-gnu"]
               for f in got), got)
    expect([f["input"] for f in got if f["record"] == "union shared"] == [SOURCES[0]], got)
    for _ in range(3):
        expect(report("-j", "4", targets, *SOURCES) == one, "-j 4 differs from -j 1")


if __name__ == "__main__":
    main(cleanup=lambda: shutil.rmtree(TMP, ignore_errors=True))

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mtcheck-sparse as the checker of a miniature kernel build (kbuild/).

usage: test_kbuild.py MTCHECK-SPARSE MTCHECK KBUILD-DIR [CMAKE BUILD-DIR]

With CMAKE and BUILD-DIR, the build is installed into a scratch prefix
first and the installed mtcheck-sparse and mtcheck are the ones run, as a
kernel developer would run them (rules found relative to the program).

`make ARCH=x86_64|s390 C=2 CHECK=mtcheck-sparse` on a copy of kbuild/: the
checker passes the build's probe, every file is checked with CHECKFLAGS as
the kernel builds them and GCC's own flags (plugins included), the maple
node's finding appears once per file that uses the type, with the arch's
byte order, and the build is not broken by it.  C=1 checks only what is
compiled.  The JSON of the whole run agrees with mtcheck on the objects
the same build compiled with -g (GCC's own layout, through DWARF).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SPARSE = MTCHECK = KBUILD = None
SKIP_STATUS = 77    # ctest's SKIP_RETURN_CODE: a test that could not run
SOURCES = ["lib/maple_tree.c", "mm/mmap.c", "drivers/regs.c", "kernel/cred.c"]
HEADER = "./include/linux/maple_tree.h"
MAPLE = [
    HEADER + ":24:47: warning: [MT001] 'meta.end', 'meta.gap' overlay bytes 248-249 of "
    "pointer 'slot[15]' in 'struct maple_range_64'; its value depends on byte order",
    HEADER + ":21:28:    'slot[15]' reads 0x????????????BBAA on little-endian and "
    "0xAABB???????????? on big-endian (AA = meta.end, BB = meta.gap, ?? = bytes not written "
    "through 'meta')",
]
REGS = [
    "drivers/regs.c:8:21: warning: [MT003] 'bits.ready', 'bits.code', 'bits.count' overlay "
    "bytes 0-3 of integer 'word' in 'union dev_status'; its value depends on byte order",
    "drivers/regs.c:6:13:    'word' reads 0bCCCCCCCCCCCCCCCCCCCCCCCCBBBBBBBA on little-endian "
    "and 0bABBBBBBBCCCCCCCCCCCCCCCCCCCCCCCC on big-endian (A = bits.ready, B = bits.code, "
    "C = bits.count)",
]
ARCHES = {
    # ARCH: (compiler, target line, JSON target, physical bit of ready, code, count)
    "x86_64": ("gcc", "is little-endian", {"endian": "little", "pointer_bits": 64,
                                            "triple": "x86_64-linux-gnu"}, [0, 1, 8]),
    "s390": ("s390x-linux-gnu-gcc", "is big-endian", {"endian": "big", "pointer_bits": 64,
                                                       "triple": "s390x-linux-gnu"}, [7, 0, 24]),
}


def leaves(f):
    return (f["rule"], f["record"], f["little_endian"], f["big_endian"],
            tuple((l["path"], l["offset"], l.get("bit_offset"), l.get("bit_size"))
                  for l in [f["wide"]] + f["narrow"]))


class KernelBuild(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="mtcheck-kbuild.")
        self.tree = os.path.join(self.tmp, "linux")
        shutil.copytree(KBUILD, self.tree)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def make(self, *args):
        return subprocess.run(["make", "--no-print-directory"] + list(args), cwd=self.tree,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def checked(self, r):
        return re.findall(r"^  CHECK   (\S+)$", r.stdout, re.M)

    def build(self, arch):
        cc, endian, target, bits = ARCHES[arch]
        compiled = shutil.which(cc) is not None
        out = os.path.join(self.tmp, arch + ".jsonl")
        r = self.make("ARCH=" + arch, "C=2", "CHECK=" + SPARSE, "CF=--mtcheck-json=" + out,
                      "CC=" + (cc if compiled else ""))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("not available or not up to date", r.stderr)
        self.assertEqual(self.checked(r), SOURCES)

        # the text: once per file that uses the type, after the build's own lines
        tline = "    this target (%s) %s" % (target["triple"], endian)
        self.assertEqual(r.stderr.splitlines(), [
            MAPLE[0], MAPLE[1], HEADER + ":21:28:" + tline,
            MAPLE[0], MAPLE[1], HEADER + ":21:28:" + tline,
            REGS[0], REGS[1], "drivers/regs.c:6:13:" + tline])

        # the JSON of the whole run: one report per checked file
        with open(out, encoding="utf-8") as f:
            reports = [json.loads(l) for l in f.read().splitlines()]
        self.assertEqual(len(reports), 4)
        by_input = {}
        for rep in reports:
            self.assertEqual(rep["version"], 1)
            for f in rep["findings"]:
                self.assertEqual(f["target"], target)
                self.assertEqual(f["frontend"], "sparse")
                by_input.setdefault(f["input"], []).append(f)
        self.assertEqual(sorted(by_input), ["drivers/regs.c", "lib/maple_tree.c", "mm/mmap.c"])
        for src in ("lib/maple_tree.c", "mm/mmap.c"):
            (f,) = by_input[src]
            self.assertEqual((f["rule"], f["record"], f["wide"]["path"], f["wide"]["offset"]),
                             ("MT001", "struct maple_range_64", "slot[15]", 248))
            self.assertEqual(f["location"], {"file": HEADER, "line": 24, "column": 47})
        (regs,) = by_input["drivers/regs.c"]
        self.assertEqual([n["bit_offset"] for n in regs["narrow"]], bits)
        self.assertEqual([n["bit_size"] for n in regs["narrow"]], [1, 7, 24])

        # GCC's layout of the same files, through DWARF, says the same
        if not compiled:
            return "%s not installed: checked without compiling" % cc
        for obj, src in (("lib/maple_tree.o", "lib/maple_tree.c"),
                         ("drivers/regs.o", "drivers/regs.c")):
            m = subprocess.run([MTCHECK, "--format=json", os.path.join(self.tree, obj)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.assertIn(m.returncode, (0, 1), m.stderr)
            gcc = json.loads(m.stdout)["findings"]
            self.assertEqual(len(gcc), 1)
            self.assertEqual(gcc[0]["target"], target)
            self.assertEqual(leaves(gcc[0]), leaves(by_input[src][0]))
        return None

    def test_x86_64(self):
        skipped = self.build("x86_64")
        if skipped:
            self.skipTest(skipped)

    def test_s390(self):
        skipped = self.build("s390")
        if skipped:
            self.skipTest(skipped)

    def test_c1_checks_what_is_compiled(self):
        first = self.make("C=1", "CHECK=" + SPARSE, "CF=--mtcheck-quiet")
        self.assertEqual((first.returncode, self.checked(first), first.stderr),
                         (0, SOURCES, ""))
        again = self.make("C=1", "CHECK=" + SPARSE, "CF=--mtcheck-quiet")
        self.assertEqual((again.returncode, self.checked(again)), (0, []))
        os.utime(os.path.join(self.tree, "mm/mmap.c"))
        touched = self.make("C=1", "CHECK=" + SPARSE, "CF=--mtcheck-quiet")
        self.assertEqual(self.checked(touched), ["mm/mmap.c"])
        every = self.make("C=2", "CHECK=" + SPARSE, "CF=--mtcheck-quiet")
        self.assertEqual(self.checked(every), SOURCES)

    def test_findings_fail_the_build_only_when_asked(self):
        r = self.make("C=2", "CHECK=" + SPARSE, "CF=--mtcheck-quiet --mtcheck-fail-on=warning")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(self.checked(r), ["lib/maple_tree.c"])
        self.assertIn("Error 1", r.stderr)

    def test_sparse_that_fails_the_probe_is_turned_off(self):
        probe = subprocess.run([os.path.join(self.tree, "scripts/checker-valid.sh"), "sparse"],
                               stdout=subprocess.PIPE, text=True, cwd=self.tree)
        if probe.stdout.strip() != "0":
            # not a skip: with such a sparse there is nothing to turn off
            print("not applicable: this sparse knows __typeof_unqual__", file=sys.stderr)
            return
        r = self.make("C=1", "CHECK=sparse")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(self.checked(r), [])
        self.assertIn("C=1 specified, but sparse is not available or not up to date", r.stderr)

    def test_missing_c2xml_is_found_by_the_probe(self):
        r = self.make("C=1", "CHECK=%s --mtcheck-c2xml=/nonexistent/c2xml" % SPARSE)
        self.assertEqual(r.returncode, 0)
        self.assertEqual(self.checked(r), [])
        self.assertIn("is not available or not up to date", r.stderr)


def main():
    global SPARSE, MTCHECK, KBUILD
    if len(sys.argv) not in (4, 6):
        sys.exit(__doc__)
    SPARSE, MTCHECK, KBUILD = (os.path.abspath(a) for a in sys.argv[1:4])
    missing = [p for p in ("c2xml", "make", "gcc") if not shutil.which(p)]
    if missing:
        print("SKIP: %s not installed" % ", ".join(missing))
        return SKIP_STATUS
    prefix = None
    if len(sys.argv) == 6:
        prefix = tempfile.mkdtemp(prefix="mtcheck-prefix.")
        subprocess.run([sys.argv[4], "--install", sys.argv[5], "--prefix", prefix],
                       stdout=subprocess.DEVNULL, check=True)
        SPARSE = os.path.join(prefix, "bin", "mtcheck-sparse")
        MTCHECK = os.path.join(prefix, "bin", "mtcheck")
        os.environ.pop("MTCHECK_RULES_DIR", None)
        print("installed into %s" % prefix)
    try:
        prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
    finally:
        if prefix:
            shutil.rmtree(prefix)
    if not prog.result.wasSuccessful():
        return 1
    return SKIP_STATUS if prog.result.skipped else 0


if __name__ == "__main__":
    sys.exit(main())

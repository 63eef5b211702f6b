#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile input: files made to hang, exhaust or crash mtcheck (issue 12).

usage: test_hostile.py MTCHECK SOURCE_DIR
Each input must end within seconds with one message naming it and exit
status 2.  A timeout here is a failure: the bug that made it hang is back.
"""
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

from harness import SkipTest, expect, expect_error, main, test

MTCHECK, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CASES = os.path.join(SRC, "testcases")
TMP = tempfile.mkdtemp(prefix="mtcheck-hostile.")
LIMIT = 60  # seconds: generous on a loaded machine; a hang is what is caught


def run(*args, env=None, stdout=subprocess.PIPE):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([MTCHECK, *args], stdout=stdout, stderr=subprocess.PIPE, text=True,
                          env=e, cwd=TMP, timeout=LIMIT)


def path(name):
    return os.path.join(TMP, name)


# Raw BTF: header, then types, then strings.
def btf_file(name, types, strings):
    hdr = struct.pack("<HBBIIIII", 0xeb9f, 1, 0, 24, 0, len(types), len(types), len(strings))
    with open(path(name), "wb") as fh:
        fh.write(hdr + types + strings)
    return path(name)


def btf_type(name_off, kind, vlen, size_or_type):
    return struct.pack("<III", name_off, (kind << 24) | vlen, size_or_type)


def btf_int(name_off, size, bits):
    return btf_type(name_off, 1, 0, size) + struct.pack("<I", bits)


def btf_member(name_off, type_id, bit_offset):
    return struct.pack("<III", name_off, type_id, bit_offset)


STRUCT, UNION = 4, 5


@test
def btf_union_containing_itself():
    # [1] int  [2] union u { int a; union u self; }
    f = btf_file("self.btf", btf_int(1, 4, 32) + btf_type(5, UNION, 2, 4) +
                 btf_member(7, 1, 0) + btf_member(9, 2, 0), b"\0int\0u\0a\0self\0")
    expect_error(run(f), f + ": invalid BTF: 'union u' (type [2]) contains itself")


@test
def btf_two_records_containing_each_other():
    # [1] int  [2] struct a { struct b b; }  [3] struct b { struct a a; }
    f = btf_file("pair.btf", btf_int(1, 4, 32) + btf_type(5, STRUCT, 1, 4) + btf_member(7, 3, 0) +
                 btf_type(7, STRUCT, 1, 4) + btf_member(5, 2, 0), b"\0int\0a\0b\0")
    expect_error(run(f), f + ": invalid BTF: 'struct a' (type [2]) contains itself")


@test
def btf_scalar_of_256_mib():
    # [1] a 2^28-byte "int"  [2] char  [3] union w { big x; char c; }
    f = btf_file("big.btf", btf_int(1, 1 << 28, 32) + btf_int(13, 1, 8) +
                 btf_type(5, UNION, 2, 1 << 28) + btf_member(7, 1, 0) + btf_member(9, 2, 0),
                 b"\0big\0w\0x\0c\0char\0")
    expect_error(run(f), f + ": 'union w' member 'x' is a 268435456-byte integer ('big'); "
                 "mtcheck reads scalars of at most 64 bytes")


@test
def dwarf_anonymous_record_containing_itself():
    src = path("cyc.c")
    with open(src, "w") as fh:
        fh.write("struct outer { union { int a; int b; } u; long w; };\nstruct outer o;\n")
    obj = path("cyc.o")
    subprocess.run(["gcc", "-g", "-gdwarf-4", "-c", src, "-o", obj], check=True)
    # BTF in the object, so that only the DWARF positions reader meets the cycle
    subprocess.run(["pahole", "--btf_encode", obj], check=True, stdout=subprocess.DEVNULL)
    expect(run(obj).returncode == 0, "the object before the patch is fine")
    dump = subprocess.run(["readelf", "--debug-dump=info", obj], capture_output=True,
                          text=True, check=True).stdout
    union = int(re.search(r"<1><([0-9a-f]+)>: Abbrev Number: \d+ \(DW_TAG_union_type\)",
                          dump).group(1), 16)
    attr = int(re.search(r"DW_AT_name\s+: b\n(?:.*\n)*?\s+<([0-9a-f]+)>\s+DW_AT_type",
                         dump).group(1), 16)
    data = bytearray(open(obj, "rb").read())
    # member b's type becomes the union it is in (ref4, one CU at offset 0)
    pos = section_offset(data, ".debug_info") + attr
    data[pos:pos + 4] = struct.pack("<I", union)
    bad = path("cycd.o")
    with open(bad, "wb") as fh:
        fh.write(data)
    expect_error(run(bad), bad + ": invalid DWARF: an anonymous record in 'struct outer' "
                 "contains itself through 'u.b'")


def section_offset(data, name):
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)

    def header(i):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
    strings = header(shstrndx)[4]
    for i in range(shnum):
        h = header(i)
        end = data.index(b"\0", strings + h[0])
        if data[strings + h[0]:end].decode() == name:
            return h[4]
    raise AssertionError("no section " + name)


@test
def fifo_and_devices_are_refused():
    fifo = path("pipe.o")
    os.mkfifo(fifo)
    expect_error(run(fifo), fifo + ": not a regular file (a FIFO)")
    cfg = path("pipe.yaml")
    os.mkfifo(cfg)
    maple = path("maple.o")
    subprocess.run(["gcc", "-g", "-c", os.path.join(CASES, "maple_range.c"), "-o", maple],
                   check=True)
    expect_error(run("--config=" + cfg, maple), cfg + ": not a regular file (a FIFO)")
    expect_error(run("--rules=" + cfg, maple), cfg + ": not a regular file (a FIFO)")
    zero = path("zero.o")
    os.symlink("/dev/zero", zero)
    expect_error(run(zero), zero + ": not a regular file (a character device)")


@test
def sources_that_never_end_are_refused():
    if run("--version").returncode or not has_clang():
        raise SkipTest("mtcheck was built without the libclang front end")
    fifo = path("pipe.c")
    os.mkfifo(fifo)
    expect_error(run(fifo), fifo + ": not a regular file (a FIFO)")
    zero = path("zero.c")
    os.symlink("/dev/zero", zero)
    expect_error(run(zero), zero + ": not a regular file (a character device)")


def has_clang():
    probe = path("probe.c")
    with open(probe, "w") as fh:
        fh.write("int x;\n")
    r = run(probe)
    return "built without" not in r.stderr


@test
def source_nesting_a_hundred_thousand_brackets():
    if not has_clang():
        raise SkipTest("mtcheck was built without the libclang front end")
    deep = path("deep.c")
    with open(deep, "w") as fh:
        fh.write("int x" + "[[" * 100000 + "\n")
    expect_error(run(deep), deep + ":1:1030: brackets nest more than 1024 deep; mtcheck does "
                 "not hand such a file to clang")
    # a million levels that only macros build: clang's parse fails, it does not crash
    macro = path("macro.c")
    with open(macro, "w") as fh:
        fh.write("#define A " + "[" * 50 + "\n#define B A A A A A A A A A A\nint x " +
                 "B " * 2000 + ";\n")
    r = run(macro)
    expect(r.returncode == 2 and r.stdout == "", "exit %d" % r.returncode)
    expect(r.stderr.startswith("mtcheck: %s: clang cannot parse it for " % macro), r.stderr[:300])


@test
def yaml_nesting_and_width():
    maple = path("maple2.o")
    subprocess.run(["gcc", "-g", "-c", os.path.join(CASES, "maple_range.c"), "-o", maple],
                   check=True)
    deep = path("deep.yaml")
    with open(deep, "w") as fh:
        fh.write("rules:" + " [" * 100000 + "\n")
    expect_error(run("--config=" + deep, maple), deep + ":1:134: nests more than 64 levels deep")
    expect_error(run("--rules=" + deep, maple), deep + ":1:134: nests more than 64 levels deep")
    wide = path("wide.yaml")
    with open(wide, "w") as fh:
        fh.write("rules:\n" + "".join("  K%d: off\n" % i for i in range(100000)))
    expect_error(run("--config=" + wide, maple), wide + ":2:3: 'rules' names more than 1024 rules")
    dup = path("dup.yaml")
    with open(dup, "w") as fh:
        fh.write("allow:\n" + "".join("  - {record: r%d, member: m, reason: x, record: y}\n" % i
                                      for i in range(50000)))
    expect_error(run("--config=" + dup, maple), dup + ":2:40: duplicate key 'record'")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead
    with open("/proc/%d/stat" % pid) as fh:
        return fh.read().split(")")[-1].split()[0] != "Z"


@test
def signal_during_pahole_leaves_nothing():
    maple = path("maple3.o")
    subprocess.run(["gcc", "-g", "-c", os.path.join(CASES, "maple_range.c"), "-o", maple],
                   check=True)
    for sig in (signal.SIGTERM, signal.SIGINT):
        scratch = tempfile.mkdtemp(dir=TMP)
        pidfile = os.path.join(TMP, "pahole.pid")
        if os.path.exists(pidfile):
            os.unlink(pidfile)
        fake = os.path.join(TMP, "slow-pahole")
        with open(fake, "w") as fh:
            fh.write("#!/bin/sh\necho $$ > %s\nexec sleep 60\n" % pidfile)
        os.chmod(fake, 0o755)
        env = dict(os.environ, MTCHECK_PAHOLE=fake, TMPDIR=scratch)
        p = subprocess.Popen([MTCHECK, maple], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        for _ in range(200):
            if os.path.exists(pidfile) and open(pidfile).read().strip():
                break
            time.sleep(0.05)
        child = int(open(pidfile).read())
        expect(len(os.listdir(scratch)) == 1, "the scratch directory exists during the run")
        p.send_signal(sig)
        out, err = p.communicate(timeout=LIMIT)
        expect(p.returncode == -sig, "exit %s after %s" % (p.returncode, sig))
        expect(os.listdir(scratch) == [], "left behind: %s" % os.listdir(scratch))
        expect(not alive(child), "pahole (pid %d) still runs" % child)
        expect(out == b"" and err == b"", (out, err))


@test
def nothing_on_stdout_after_a_write_error():
    maple = path("maple4.o")
    subprocess.run(["gcc", "-g", "-c", os.path.join(CASES, "maple_range.c"), "-o", maple],
                   check=True)
    expect_error(run("--emit-asserts=/dev/full", maple),
                 "/dev/full: cannot write the header: Input/output error")
    expect_error(run("--output=/dev/full", maple),
                 "/dev/full: cannot write the report: Input/output error")
    with open("/dev/full", "w") as full:
        for args, msg in (([maple], "standard output: cannot write the report: "
                                    "Input/output error"),
                          (["--list-rules"], "standard output: No space left on device"),
                          (["--version"], "standard output: No space left on device"),
                          (["--explain=maple_range_64", maple],
                           "standard output: No space left on device")):
            r = run(*args, stdout=full)
            expect(r.returncode == 2, "%s: exit %d" % (args, r.returncode))
            expect(r.stderr == "mtcheck: %s\n" % msg, r.stderr)



@test
def union_of_three_hundred_members_is_bounded():
    # member i: a 16-bit scalar at byte i, after i bytes of padding; every
    # pair overlays, so without a bound 300 members give ~90,000 findings
    src = path("wide_union.c")
    with open(src, "w") as fh:
        fh.write("#include <stdint.h>\nunion many {\n")
        for i in range(300):
            pad = "uint8_t pad%d[%d]; " % (i, i) if i else ""
            fh.write("    struct { %suint16_t x; } m%d;\n" % (pad, i))
        fh.write("};\nunion many u;\n")
    obj = path("wide_union.o")
    subprocess.run(["gcc", "-g", "-c", src, "-o", obj], check=True, timeout=LIMIT)
    # every overlay here is low confidence (alternatives): --all makes --fail-on count them
    r = run("--format=json", "--all", "--fail-on=note", obj)
    expect(r.returncode == 1, "exit %d: %s" % (r.returncode, r.stderr[-300:]))
    fs = json.loads(r.stdout)["findings"]
    expect({f["confidence"] for f in fs} == {"low"}, "confidence")
    expect(len(fs) == 300, "%d findings" % len(fs))
    more = [f["more_in_union"] for f in fs if "more_in_union" in f]
    # byte views of each 16-bit member through the others' padding
    expect(len(more) == 1 and more[0] == 44401, more)
    expect(("%d more overlays in this union are not reported" % more[0]) in
           [f for f in fs if "more_in_union" in f][0]["note"], "note")
    # the text report with every finding: a header, three lines a finding, a closing line
    r = run("--all", obj)
    expect(len(r.stdout.splitlines()) == 902, "%d lines" % len(r.stdout.splitlines()))

main(cleanup=lambda: shutil.rmtree(TMP, ignore_errors=True))

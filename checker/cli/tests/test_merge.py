#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mtcheck --merge: JSON and SARIF reports read back, each finding once.

usage: test_merge.py MTCHECK SOURCE_DIR
Each check asserts the exact bytes, message or exit status; the last line is
'N passed, N failed'.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from harness import SkipTest, expect, expect_error, main, runner, test

MTCHECK, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CASES = os.path.join(SRC, "testcases")
run = runner(MTCHECK)
TMP = tempfile.mkdtemp(prefix="mtcheck-merge.")


def path(name):
    return os.path.join(TMP, name)


def compile_case(name, cc="gcc"):
    out = path(os.path.basename(name) + "." + cc + ".o")
    subprocess.run([cc, "-g", "-c", os.path.join(CASES, name), "-o", out], check=True)
    return out


def write(name, text):
    with open(path(name), "w") as f:
        f.write(text)
    return path(name)


def report(name, *args):
    """An analysis report (exit 0 or 1) written to TMP/name."""
    r = run(*args)
    expect(r.returncode in (0, 1) and r.stderr == "", "mtcheck %s: %s" % (args, r.stderr))
    return write(name, r.stdout)


def merge(*args):
    r = run("--merge", *args)
    expect(r.returncode in (0, 1) and r.stderr == "", "--merge %s: %s" % (args, r.stderr))
    return r.stdout


MAPLE = compile_case("maple_range.c")
OBJS = [compile_case(c) for c in ("u64_halves.c", "bitfield_word.c", "byte_view.c", "nested.c")]
BTF = path("maple.btf")
subprocess.run(["pahole", "--btf_encode_detached=" + BTF, MAPLE], check=True,
               stdout=subprocess.DEVNULL)


@test
def json_sarif_json_round_trip():
    """JSON -> merge -> SARIF -> merge -> JSON gives the first merge's bytes"""
    a = report("a.json", "--format=json", MAPLE)
    b = report("b.json", "--format=json", *OBJS)
    first = merge("--format=json", a, b)
    recs = [f["record"] for f in json.loads(first)["findings"]]
    expect(recs == ["union reg", "union two_views", "union two_views", "union ipv4",
                    "struct maple_range_64", "struct packet", "struct packet",
                    "union u64_halves"], recs)
    m = write("m.json", first)
    sarif = write("m.sarif", merge("--format=sarif", m))
    expect(merge("--format=json", sarif) == first, "SARIF merged back differs")
    # and text from either is the same
    expect(merge(sarif) == merge(a, b), "text from SARIF differs")


@test
def cli_sarif_merges_like_cli_json():
    """--format=sarif of an analysis merges into exactly its --format=json report"""
    for name, inputs in (("objs", [MAPLE] + OBJS), ("btf", [BTF])):
        js = run("--format=json", *inputs).stdout
        sarif = report(name + ".sarif", "--format=sarif", *inputs)
        expect(merge("--format=json", sarif) == js, name + ": SARIF merged differs from JSON")


@test
def sarif_results_carry_the_finding():
    """each SARIF result's properties hold the finding's JSON fields"""
    js = json.loads(run("--format=json", MAPLE).stdout)["findings"]
    sarif = json.loads(run("--format=sarif", MAPLE).stdout)
    props = [r["properties"] for r in sarif["runs"][0]["results"]]
    expect(props == js, props)


@test
def multi_target_round_trip():
    """target lists and confirmed_by_layout survive JSON -> SARIF -> JSON"""
    src = os.path.join(CASES, "maple_range.c")
    r = run("--format=json", "--target=x86_64-linux-gnu,s390x-linux-gnu", src)
    if r.returncode == 2 and "libclang" in r.stderr:
        raise SkipTest("built without libclang")
    expect(r.returncode == 1, r.stderr)
    f = json.loads(r.stdout)["findings"]
    expect(isinstance(f[0]["target"], list) and "confirmed_by_layout" in f[0], f[0])
    m = write("multi.json", r.stdout)
    expect(merge("--format=json", m) == r.stdout, "multi-target JSON merged differs")
    sarif = write("multi.sarif", merge("--format=sarif", m))
    expect(merge("--format=json", sarif) == r.stdout, "multi-target SARIF merged differs")


@test
def json_lines_and_sorted_keys():
    """JSON Lines (mtcheck-sparse) and a report with its keys sorted (jq -S) are read"""
    a = json.loads(run("--format=json", MAPLE).stdout)
    b = json.loads(run("--format=json", *OBJS).stdout)
    want = merge("--format=json", write("a2.json", json.dumps(a)), write("b2.json", json.dumps(b)))
    lines = write("all.jsonl", json.dumps(a) + "\n" + json.dumps(b) + "\n" + json.dumps(a) + "\n")
    expect(merge("--format=json", lines) == want, "JSON Lines")
    s = write("sorted.json", json.dumps(b, sort_keys=True, indent=1))
    expect(merge("--format=json", s, write("a3.json", json.dumps(a))) == want, "sorted keys")


@test
def declaring_file_is_part_of_the_identity():
    """two headers' own `union u1` are two findings; one header in two objects is one"""
    d = path("ident")
    os.makedirs(d)
    body = "#include <stdint.h>\nunion u1 { uint64_t v; uint32_t h[2]; };\n"
    for h in ("a.h", "b.h"):
        with open(os.path.join(d, h), "w") as f:
            f.write(body)
    objs = []
    for c, h in (("a.c", "a.h"), ("b.c", "b.h"), ("c.c", "a.h")):
        with open(os.path.join(d, c), "w") as f:
            f.write('#include "%s"\nunion u1 x_%s;\n' % (h, c[0]))
        objs.append(os.path.join(d, c[0] + ".o"))
        subprocess.run(["gcc", "-g", "-c", c, "-o", objs[-1]], check=True, cwd=d)
    reports = [report("ident%d.json" % i, "--format=json", o) for i, o in enumerate(objs)]
    got = json.loads(merge("--format=json", *reports))["findings"]
    expect([(f["record"], f["location"]["file"]) for f in got] ==
           [("union u1", os.path.join(d, "a.h")), ("union u1", os.path.join(d, "b.h"))], got)
    # the analysis of the objects themselves agrees (-j 1: the first input read is kept)
    direct = json.loads(run("--format=json", "-j", "1", *objs).stdout)["findings"]
    expect(direct == got, direct)
    # without positions (raw BTF) it is one with the placed finding
    btf = path("ident.btf")
    subprocess.run(["pahole", "--btf_encode_detached=" + btf, objs[0]], check=True,
                   stdout=subprocess.DEVNULL)
    got = json.loads(merge("--format=json", reports[0], report("identbtf.json", "--format=json", btf)))
    expect([f["location"]["file"] for f in got["findings"]] == [os.path.join(d, "a.h")], got)


@test
def adapted_overlays_drop_when_both_byte_orders_agree():
    """an x86_64 and an s390x report merged: what the source adapts is dropped, the rest kept"""
    if not shutil.which("s390x-linux-gnu-gcc"):
        raise SkipTest("s390x-linux-gnu-gcc is not installed (Debian: gcc-s390x-linux-gnu)")
    le = report("adaptive-le.json", "--format=json", compile_case("multi/adaptive.c"))
    be = report("adaptive-be.json", "--format=json",
                compile_case("multi/adaptive.c", "s390x-linux-gnu-gcc"))
    records = lambda fs: sorted((f["record"], f["target"]["endian"]) for f in fs)
    alone = json.loads(open(le).read())["findings"] + json.loads(open(be).read())["findings"]
    expect([r for r, _ in records(alone)] ==
           ["union adaptive"] * 2 + ["union adaptive_bits"] * 2 + ["union fixed"] * 2 +
           ["union fixed_bits"] * 2, records(alone))
    got = json.loads(merge("--format=json", le, be))["findings"]
    expect(records(got) == [("union fixed", "big"), ("union fixed", "little"),
                            ("union fixed_bits", "big"), ("union fixed_bits", "little")],
           records(got))
    # two reports of one byte order keep everything
    got = json.loads(merge("--format=json", le, report("adaptive-le2.json", "--format=json",
                                                       "-j", "1", compile_case("multi/adaptive.c"))))
    expect(sorted(f["record"] for f in got["findings"]) ==
           ["union adaptive", "union adaptive_bits", "union fixed", "union fixed_bits"], got)


def finding_json():
    return json.loads(run("--format=json", MAPLE).stdout)


@test
def nul_in_a_string_is_refused():
    """a \\u0000 in any string is an error naming the file, the finding and the key"""
    for key, edit in (("record", lambda f: f.__setitem__("record", "struct a\0b")),
                      ("narrow[1].path", lambda f: f["narrow"][1].__setitem__("path", "meta\0x")),
                      ("location.file", lambda f: f["location"].__setitem__("file", "a\0.c"))):
        rep = finding_json()
        edit(rep["findings"][0])
        p = write("nul.json", json.dumps(rep))
        expect("\\u0000" in open(p).read(), "the test writes \\u0000")
        expect_error(run("--merge", p),
                     "%s: finding 1: '%s' contains a NUL character (\\u0000)" % (p, key))


@test
def bad_findings_name_file_finding_and_key():
    a = json.loads(run("--format=json", *OBJS).stdout)
    a["findings"][2]["record"] = 7
    p = write("bad.json", json.dumps(a))
    expect_error(run("--merge", p), "%s: finding 3: 'record' is not a string" % p)
    a = json.loads(run("--format=json", *OBJS).stdout)
    del a["findings"][1]["wide"]["offset"]
    p = write("bad.json", json.dumps(a))
    expect_error(run("--merge", p), "%s: finding 2: 'wide.offset' is missing" % p)


@test
def fifo_and_directory_are_refused():
    """a FIFO is refused at once, not read (which would wait for a writer)"""
    fifo = path("fifo.json")
    os.mkfifo(fifo)
    try:
        r = subprocess.run([MTCHECK, "--merge", fifo], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        raise AssertionError("mtcheck --merge blocked on a FIFO")
    expect_error(r, fifo + ": not a regular file (a FIFO)")
    expect_error(run("--merge", TMP), TMP + ": not a regular file")


@test
def not_reports():
    c = os.path.join(CASES, "maple_range.c")
    r = run("--merge", c)
    expect_error(r, c + ": not valid JSON: not an object at byte 0")
    p = write("empty.json", "")
    expect_error(run("--merge", p), p + ": empty file, not a report")
    p = write("v2.json", '{"version": 2, "findings": []}')
    expect_error(run("--merge", p),
                 p + ": report version 2; this mtcheck reads JSON version 1 and SARIF 2.1.0")
    sarif = run("--format=sarif", MAPLE).stdout
    p = write("two.sarif", sarif + sarif)
    expect_error(run("--merge", p),
                 p + ": not valid JSON: data after the report at byte %d" % len(sarif))
    foreign = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "mtcheck"}},
                                             "results": [{"ruleId": "MT001"}]}]}
    p = write("foreign.sarif", json.dumps(foreign))
    expect_error(run("--merge", p),
                 p + ": finding 1: a SARIF result without mtcheck's finding in its properties "
                 "(SARIF from another tool, or from an older mtcheck)")


@test
def damaged_reports_get_one_message():
    """truncated and byte-flipped reports: exit 0, 1 or 2, never a crash; 2 with one line"""
    import random
    rnd = random.Random(12)
    good = run("--format=json", MAPLE, OBJS[1]).stdout.encode()
    sarif = run("--format=sarif", MAPLE).stdout.encode()
    damaged = [good[:n] for n in range(0, len(good), max(1, len(good) // 60))]
    for base in (good, sarif):
        for _ in range(80):
            b = bytearray(base)
            for _ in range(rnd.randint(1, 4)):
                b[rnd.randrange(len(b))] = rnd.choice(b'{}[]",:\\0 \x00\xff\n-9')
            damaged.append(bytes(b))
    p = path("damaged.json")
    for i, d in enumerate(damaged):
        with open(p, "wb") as f:
            f.write(d)
        r = subprocess.run([MTCHECK, "--merge", "--format=json", p], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        err = r.stderr.decode(errors="replace")
        expect(r.returncode in (0, 1, 2), "case %d: exit %d: %s" % (i, r.returncode, err))
        if r.returncode == 2:
            expect(err.startswith("mtcheck: %s: " % p) and err.count("\n") == 1 and
                   r.stdout == b"", "case %d: %r" % (i, err))


main(lambda: shutil.rmtree(TMP))

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Command-line tests of mtcheck: exit statuses, bad input, options, reports.

usage: test_cli.py MTCHECK SOURCE_DIR
Each check asserts the exact message or value; the last line is
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


def compile_case(name, out, cc="gcc", debug=True):
    cmd = [cc] + (["-g"] if debug else []) + ["-c", os.path.join(CASES, name), "-o", out]
    subprocess.run(cmd, check=True)
    return out


TMP = tempfile.mkdtemp(prefix="mtcheck-cli.")
MAPLE = compile_case("maple_range.c", os.path.join(TMP, "maple.o"))
BYTES = compile_case("byte_view.c", os.path.join(TMP, "bytes.o"))
HALVES = compile_case("u64_halves.c", os.path.join(TMP, "halves.o"))
BTF = os.path.join(TMP, "maple.btf")
subprocess.run(["pahole", "--btf_encode_detached=" + BTF, MAPLE], check=True,
               stdout=subprocess.DEVNULL)


def findings(r):
    return json.loads(r.stdout)["findings"]


@test
def maple_json_exact():
    r = run("--format=json", MAPLE, cwd=TMP)
    expect(r.returncode == 1, "exit %d" % r.returncode)
    fs = findings(r)
    expect(len(fs) == 1, "%d findings" % len(fs))
    f = fs[0]
    expect((f["rule"], f["name"], f["severity"], f["record"]) ==
           ("MT001", "pointer-overlaid-by-narrow", "warning", "struct maple_range_64"), f)
    expect(f["target"] == {"endian": "little", "pointer_bits": 64, "triple": "x86_64-linux-gnu"},
           f["target"])
    expect({k: f["wide"][k] for k in ("path", "type", "kind", "offset", "size")} ==
           {"path": "slot[15]", "type": "void *", "kind": "pointer", "offset": 248, "size": 8},
           f["wide"])
    expect([(n["path"], n["type"], n["kind"], n["offset"], n["size"]) for n in f["narrow"]] ==
           [("meta.end", "unsigned char", "integer", 248, 1),
            ("meta.gap", "unsigned char", "integer", 249, 1)],
           f["narrow"])
    expect(f["little_endian"] == "0x????????????BBAA", f["little_endian"])
    expect(f["big_endian"] == "0xAABB????????????", f["big_endian"])
    expect(f["frontend"] == "btf", f["frontend"])
    expect(f["location"]["line"] == 18 and f["location"]["file"].endswith("maple_range.c"),
           f["location"])


@test
def maple_s390x_big_endian():
    if not shutil.which("s390x-linux-gnu-gcc"):
        raise SkipTest("s390x-linux-gnu-gcc not installed (apt-get install gcc-s390x-linux-gnu)")
    obj = compile_case("maple_range.c", os.path.join(TMP, "maple-s390x.o"), "s390x-linux-gnu-gcc")
    f = findings(run("--format=json", obj))
    expect(len(f) == 1 and f[0]["rule"] == "MT001", f)
    expect(f[0]["target"] == {"endian": "big", "pointer_bits": 64, "triple": "s390x-linux-gnu"},
           f[0]["target"])
    expect((f[0]["wide"]["path"], f[0]["wide"]["offset"]) == ("slot[15]", 248), f[0]["wide"])
    expect((f[0]["little_endian"], f[0]["big_endian"]) ==
           ("0x????????????BBAA", "0xAABB????????????"), f[0])


@test
def maple_text():
    r = run(MAPLE, cwd=TMP)
    lines = r.stdout.splitlines()
    expect(r.returncode == 1 and len(lines) == 5, r.stdout)
    expect(lines[0].endswith(":11:8: 'struct maple_range_64': 1 finding shown (1 high)"), lines[0])
    expect(lines[1].endswith(": warning: [MT001] 'meta.end', 'meta.gap' overlay bytes 248-249 of "
                             "pointer 'slot[15]' in 'struct maple_range_64'; its value depends on "
                             "byte order"), lines[1])
    expect(lines[2].endswith(": note: 'slot[15]' reads 0x????????????BBAA on little-endian and "
                             "0xAABB???????????? on big-endian (AA = meta.end, BB = meta.gap, "
                             "?? = bytes not written through 'meta')"), lines[2])
    expect(lines[3].endswith(":17:10: note: high confidence: co-live: the 15 members before the "
                             "overlay repeat the wide side's by type ('pad[0]' as 'slot[0]'), so "
                             "both are live at once; the overlay is the last data of both "
                             "members: stashed in the tail"), lines[3])
    expect(":18:" in lines[1] and ":15:" in lines[2], r.stdout)
    expect(lines[4] == "mtcheck: 1 finding shown (1 high)", lines[4])


@test
def default_text_hides_low_confidence():
    low = compile_case("confidence_low.c", os.path.join(TMP, "low.o"))
    r = run(MAPLE, HALVES, low, cwd=TMP)
    lines = r.stdout.splitlines()
    heads = [l.split(": ", 1)[1] for l in lines if " finding" in l and ": warning:" not in l
             and ": note:" not in l and not l.startswith("mtcheck:")]
    expect(r.returncode == 1, r.stdout)
    expect(heads == ["'struct maple_range_64': 1 finding shown (1 high)",
                     "'union u64_halves': 1 finding shown (1 medium)"], heads)
    expect(lines[-1] == "mtcheck: 2 findings shown (1 high, 1 medium); 6 hidden: "
           "1 tag-selected, 3 alternatives, 1 padding, 1 lifetime reuse (--all shows them)",
           lines[-1])
    r = run("--all", MAPLE, HALVES, low, cwd=TMP)
    expect(r.stdout.splitlines()[-1] == "mtcheck: 8 findings shown (1 high, 1 medium, 6 low)",
           r.stdout)
    expect(r.stdout.count(": warning: [") == 8, r.stdout)
    # only low findings: nothing shown, exit 0, and the closing line says what was hidden
    r = run(low, cwd=TMP)
    expect(r.returncode == 0 and r.stdout == "mtcheck: 0 findings shown; 6 hidden: "
           "1 tag-selected, 3 alternatives, 1 padding, 1 lifetime reuse (--all shows them)\n",
           r.stdout)


@test
def raw_btf_has_no_location():
    f = findings(run("--format=json", BTF))
    expect(len(f) == 1 and f[0]["location"] is None and f[0]["wide"]["location"] is None, f)
    r = run(BTF)
    expect(r.stdout.startswith(BTF + ": 'struct maple_range_64': 1 finding shown (1 high)\n" +
                               BTF + ": warning: [MT001]"), r.stdout)


@test
def same_record_in_two_inputs_reported_once():
    other = compile_case("maple_range.c", os.path.join(TMP, "maple2.o"))
    f = findings(run("--format=json", MAPLE, other, BTF))
    expect(len(f) == 1, "%d findings" % len(f))


@test
def many_inputs_in_parallel():
    r = run("--format=json", "-j", "3", MAPLE, BYTES, HALVES)
    expect(sorted(x["rule"] for x in findings(r)) == ["MT001", "MT002", "MT004"], r.stdout)


@test
def fail_on_levels():
    expect(run(BYTES).returncode == 0, "a note does not fail by default")
    # the byte view has low confidence: hidden, so not counted, unless shown
    expect(run("--fail-on=note", BYTES).returncode == 0, "--fail-on=note, hidden")
    expect(run("--fail-on=note", "--all", BYTES).returncode == 1, "--fail-on=note --all")
    expect(run("--fail-on=note", "--min-confidence=low", BYTES).returncode == 1,
           "--fail-on=note --min-confidence=low")
    expect(run("--fail-on=error", MAPLE).returncode == 0, "--fail-on=error")
    # the halves are a medium view: shown by default, hidden above medium
    expect(run(HALVES).returncode == 1, "a medium warning fails")
    expect(run("--min-confidence=high", HALVES).returncode == 0, "--min-confidence=high")
    expect(run("--min-confidence=high", MAPLE).returncode == 1, "the maple node is high")


@test
def enable_disable():
    r = run("--disable=MT001", "--format=json", MAPLE)
    expect(r.returncode == 0 and findings(r) == [], r.stdout)
    r = run("--disable=MT001", "--enable=MT001", "--format=json", MAPLE)
    expect(len(findings(r)) == 1, r.stdout)
    expect_error(run("--disable=MT999", MAPLE), "--disable: unknown rule 'MT999' (see --list-rules)")


@test
def type_filter():
    f = findings(run("--format=json", "--type=maple_range_64", MAPLE, HALVES))
    expect([x["record"] for x in f] == ["struct maple_range_64"], f)
    expect_error(run("--type=nosuch", MAPLE), "no input declares a record named 'nosuch'")


@test
def output_file():
    out = os.path.join(TMP, "report.json")
    r = run("--format=json", "-o", out, MAPLE)
    expect(r.returncode == 1 and r.stdout == "", r.stdout)
    with open(out) as fh:
        expect(json.load(fh)["findings"][0]["rule"] == "MT001", "report file")
    expect_error(run("-o", "/nonexistent/dir/r.txt", MAPLE),
                 "/nonexistent/dir/r.txt: No such file or directory")


@test
def list_rules_and_version():
    r = run("--list-rules")
    lines = r.stdout.splitlines()
    expect(r.returncode == 0 and [l.split()[0] for l in lines] ==
           ["MT010", "MT001", "MT003", "MT002", "MT004"], r.stdout)
    expect(lines[4].split()[1:3] == ["byte-view", "note"], lines[4])
    r = run("--list-rules", "--disable=MT004")
    expect(r.stdout.splitlines()[4].split()[2] == "off", r.stdout)
    r = run("--version")
    expect(r.returncode == 0 and r.stdout.startswith("mtcheck "), r.stdout)
    r = run("--help")
    expect(r.returncode == 0 and "Usage: mtcheck" in r.stdout and "Exit status" in r.stdout, r.stdout)


@test
def user_rules():
    d = os.path.join(TMP, "rules")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "MT004.yaml"), "w") as fh:
        fh.write("id: MT004\nname: byte-view\nseverity: error\nprecedence: 40\n"
                 "summary: bytes\nmatch:\n  - wide: [integer]\n    byte_array: true\n")
    r = run("--rules=" + d, "--format=json", "--all", BYTES)
    expect(r.returncode == 1 and findings(r)[0]["severity"] == "error", r.stdout)


@test
def explain_maple():
    r = run("--explain=struct maple_range_64", MAPLE)
    expect(r.returncode == 0, r.stderr)
    expect(r.stdout.startswith("struct maple_range_64: 256 bytes (x86_64-linux-gnu, little-endian, "
                               "64-bit pointers)\n"), r.stdout)
    expect("|slot[15]" in r.stdout and "|meta.end|meta.gap|" in r.stdout, r.stdout)
    expect("(15 rows above lay out the same widths in every member)" in r.stdout, r.stdout)
    expect(r.stdout.endswith(
        "\n  findings, the most likely hazard first (1):\n"
        "    [MT001] 'meta.end', 'meta.gap' overlay bytes 248-249 of pointer 'slot[15]' in "
        "'struct maple_range_64'; its value depends on byte order\n"
        "      high confidence: co-live: the 15 members before the overlay repeat the wide "
        "side's by type ('pad[0]' as 'slot[0]'), so both are live at once; the overlay is the "
        "last data of both members: stashed in the tail (rank 99)\n"), r.stdout)
    expect_error(run("--explain=nosuch", MAPLE), "no input declares a record named 'nosuch'")


@test
def usage_errors():
    for args, msg in ((["--format=xml", MAPLE], "--format: 'xml' is not text, json, sarif or codeclimate"),
                      (["--fail-on=fatal", MAPLE], "--fail-on: 'fatal' is not note, warning or error"),
                      (["--min-confidence=sure", MAPLE],
                       "--min-confidence: 'sure' is not low, medium or high"),
                      (["--bogus", MAPLE], "unknown option '--bogus'"),
                      ([], "no input given")):
        r = run(*args)
        expect(r.returncode == 2 and r.stdout == "", "%s: exit %d" % (args, r.returncode))
        expect(r.stderr == "mtcheck: %s\nTry 'mtcheck --help' for more information.\n" % msg,
               r.stderr)


@test
def bad_inputs():
    missing = os.path.join(TMP, "missing.o")
    expect_error(run(missing), missing + ": No such file or directory")
    txt = os.path.join(TMP, "notes.txt")
    with open(txt, "w") as fh:
        fh.write("just text\n")
    expect_error(run(txt), txt + ": not an ELF object or a BTF file (compile C sources with -g, "
                 "or pass the object)")
    empty = os.path.join(TMP, "empty.o")
    open(empty, "w").close()
    expect_error(run(empty), empty + ": empty file")
    expect_error(run(TMP), TMP + ": not a regular file")
    with open(MAPLE, "rb") as fh:
        data = fh.read()
    short = os.path.join(TMP, "short.o")
    with open(short, "wb") as fh:
        fh.write(data[:40])
    expect_error(run(short), short + ": truncated ELF file: 40 bytes do not hold an ELF header")
    cut = os.path.join(TMP, "cut.o")
    with open(cut, "wb") as fh:
        fh.write(data[:len(data) // 2])
    expect_error(run(cut), "%s: truncated ELF file: its headers need %d bytes, the file has %d"
                 % (cut, len(data), len(data) // 2))
    nodebug = compile_case("maple_range.c", os.path.join(TMP, "nodebug.o"), debug=False)
    expect_error(run(nodebug), nodebug + ": no debug information (no .BTF or .debug_info section);"
                 " compile with -g")


@test
def corrupt_btf():
    with open(BTF, "rb") as fh:
        data = bytearray(fh.read())
    bad = os.path.join(TMP, "bad.btf")
    hdr = bytearray(data)
    hdr[12:16] = (0x7fffffff).to_bytes(4, "little")  # type_len
    with open(bad, "wb") as fh:
        fh.write(hdr)
    expect_error(run(bad), "%s: truncated or corrupt BTF: the header describes %d bytes, the file "
                 "has %d" % (bad, 24 + int.from_bytes(data[8:12], "little") + 0x7fffffff, len(data)))
    ver = bytearray(data)
    ver[2] = 7
    with open(bad, "wb") as fh:
        fh.write(ver)
    expect_error(run(bad), bad + ": invalid BTF: version 7, only version 1 exists")
    types = bytearray(data)
    types[24 + 4:24 + 8] = (0x7f000000).to_bytes(4, "little")  # kind 31 in the first type
    with open(bad, "wb") as fh:
        fh.write(types)
    expect_error(run(bad), bad + ": invalid BTF: libbpf rejects its type or string data "
                 "(Invalid argument)")


@test
def missing_pahole():
    expect_error(run(MAPLE, env={"PATH": "/nonexistent"}),
                 MAPLE + ": needs pahole to read DWARF, and 'pahole' is not installed "
                 "(Debian: apt-get install dwarves)")


@test
def failing_pahole_is_quoted():
    fake = os.path.join(TMP, "fake-pahole")
    with open(fake, "w") as fh:
        fh.write("#!/bin/sh\necho \"die__process: DW_TAG_foo not handled\" >&2\n"
                 "echo \"pahole: $2: cannot encode\" >&2\nexit 3\n")
    os.chmod(fake, 0o755)
    expect_error(run(MAPLE, env={"MTCHECK_PAHOLE": fake}),
                 MAPLE + ": " + fake + " could not convert its DWARF to BTF (exit status 3): "
                 "die__process: DW_TAG_foo not handled")


@test
def keep_going():
    missing = os.path.join(TMP, "missing.o")
    r = run("--keep-going", "--format=json", missing, MAPLE)
    expect(r.returncode == 2, "exit %d" % r.returncode)
    expect(r.stderr == "mtcheck: %s: No such file or directory\n" % missing, r.stderr)
    expect(len(findings(r)) == 1, r.stdout)
    r = run(missing, MAPLE)
    expect(r.returncode == 2 and r.stdout == "", "without --keep-going no report")


@test
def bad_config():
    cfg = os.path.join(TMP, "bad.yaml")
    for text, msg in (
            ("rules:\n  MT001: maybe\n",
             "2:10: rule MT001: 'maybe' is not on, off, note, warning or error"),
            ("rulez:\n  MT001: off\n", "1:1: unknown key 'rulez' (rules, allow, fail-on)"),
            ("allow:\n  - record: struct x\n    member: y\n",
             "2:5: allow entry needs a 'reason': say why the overlay is intended"),
            ("rules: [\n", "2:1: did not find expected node content"),
            ("fail-on: sometimes\n", "1:10: fail-on must be note, warning or error, not 'sometimes'"),
            ("rules:\n  MT777: off\n", "2:3: unknown rule 'MT777' (see --list-rules)")):
        with open(cfg, "w") as fh:
            fh.write(text)
        expect_error(run("--config=" + cfg, MAPLE), "%s:%s" % (cfg, msg))


@test
def config_found_upward():
    top = os.path.join(TMP, "proj")
    sub = os.path.join(top, "a", "b")
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(top, ".mtcheck.yaml"), "w") as fh:
        fh.write("allow:\n  - record: maple_range_64\n    member: slot[15]\n"
                 "    reason: metadata lives there only while the node is not full\n")
    r = run("--format=json", MAPLE, cwd=sub)
    expect(r.returncode == 0 and findings(r) == [], r.stdout + r.stderr)


@test
def bad_rule_file():
    d = os.path.join(TMP, "badrules")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "MT900.yaml")
    with open(path, "w") as fh:
        fh.write("id: MT900\nname: x\nseverity: loud\nprecedence: 1\nsummary: s\n"
                 "match:\n  - wide: [pointer]\n")
    expect_error(run("--rules=" + path, MAPLE),
                 path + ":3:11: severity must be note, warning or error, not 'loud'")


@test
def scalar_storage_order_in_reverse_is_silent():
    src = os.path.join(CASES, "multi", "storage_order.c")
    obj = os.path.join(TMP, "sso.o")
    subprocess.run(["gcc", "-g", "-c", src, "-o", obj], check=True)
    f = findings(run("--format=json", obj))
    expect([x["record"] for x in f] == ["union le_u"], f)
    if shutil.which("s390x-linux-gnu-gcc"):
        subprocess.run(["s390x-linux-gnu-gcc", "-g", "-c", src, "-o", obj], check=True)
        f = findings(run("--format=json", obj))
        expect([x["record"] for x in f] == ["union be_u"], f)


main(lambda: shutil.rmtree(TMP))

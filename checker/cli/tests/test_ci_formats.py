#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reports for CI: --baseline (new, unchanged, absent; --fail-on counts new
findings only) and --format=codeclimate (GitLab Code Quality).

usage: test_ci_formats.py MTCHECK SOURCE_DIR
Each check asserts the exact states, bytes, message or exit status; the
last line is 'N passed, N failed'.  The SARIF written with a baseline is
validated by test_sarif.sh.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from harness import expect, expect_error, main, runner, test

MTCHECK, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
TMP = tempfile.mkdtemp(prefix="mtcheck-ci.")
_run = runner(MTCHECK)


def run(*args):
    """mtcheck in TMP, where the sources are: paths in reports stay relative."""
    return _run(*args, cwd=TMP)


def path(name):
    return os.path.join(TMP, name)


def write(name, text):
    with open(path(name), "w") as f:
        f.write(text)
    return name


NODE = """\
struct node {
	void *parent;
	union {
		void *slot[4];
		struct {
			void *pad[3];
			struct { unsigned char end, gap; } meta;
		};
	};
};
struct node n;
"""
HALVES = """\
#include <stdint.h>
union halves {
	uint64_t v;
	struct { uint32_t lo, hi; } s;
};
union halves h;
"""
# the next version: node's lines move down, a member of halves is renamed,
# and a new union appears
NODE2 = "/* a comment\n   that moves everything down */\n\n" + NODE
HALVES2 = HALVES.replace("lo, hi;", "lo, high;") + """\
union word {
	uint32_t w;
	uint16_t h[2];
};
union word w;
"""
# ... and one after it whose only new finding is hidden by default (low: a tag)
HALVES3 = HALVES2 + """\
struct tagged {
	int type;
	union { uint64_t v; uint32_t w[2]; } u;
};
struct tagged t;
"""


def build(version):
    """node.o and halves.o of a version (1, 2, 3) in TMP."""
    node, halves = {1: (NODE, HALVES), 2: (NODE2, HALVES2), 3: (NODE2, HALVES3)}[version]
    for name, text in (("node.c", node), ("halves.c", halves)):
        write(name, text)
        subprocess.run(["gcc", "-g", "-c", name, "-o", name[:-2] + ".o"], cwd=TMP, check=True)
    return ["node.o", "halves.o"]


def report(name, *args):
    r = run(*args, "-o", name)
    expect(r.returncode in (0, 1) and r.stderr == "", "mtcheck %s: %s" % (args, r.stderr))
    return name


def load(name):
    with open(path(name)) as f:
        return json.load(f)


def states(doc):
    """(fingerprint, state, line) of each finding of a JSON report, in order."""
    return [(f["fingerprint"], f.get("baseline"), f["location"]["line"])
            for f in doc["findings"]]


# reports of version 1 in every format a baseline may be
OBJS = build(1)
BASE_JSON = report("v1.json", "--format=json", *OBJS)
BASE_SARIF = report("v1.sarif", "--format=sarif", *OBJS)
with open(path("v1.jsonl"), "w") as out:
    # JSON Lines, as mtcheck-sparse appends: one report per object
    for o in OBJS:
        out.write(run("--format=json", o).stdout.replace("\n", "").replace("  ", "") + "\n")
build(2)

V2_STATES = [
    ("MT002:union halves:v:s.lo,s.hi", "absent", 4),
    ("MT002:union halves:v:s.lo,s.high", "new", 4),
    ("MT002:union word:w:h[0],h[1]", "new", 9),
    ("MT001:struct node:slot[3]:meta.end,meta.gap", "unchanged", 10),
]


@test
def states_are_exact():
    report("v2.json", "--format=json", "--baseline=v1.json", *OBJS)
    expect(states(load("v2.json")) == V2_STATES, states(load("v2.json")))
    # the moved finding is the same one, on its new line; it was on line 7
    v1 = {f["fingerprint"]: f["location"]["line"] for f in load("v1.json")["findings"]}
    expect(v1["MT001:struct node:slot[3]:meta.end,meta.gap"] == 7, v1)
    # without --baseline no finding has a state
    report("plain.json", "--format=json", *OBJS)
    expect(all("baseline" not in f for f in load("plain.json")["findings"]), "baseline key")


@test
def every_baseline_format_gives_the_same_states():
    for base in (BASE_SARIF, "v1.jsonl"):
        r = run("--format=json", "--baseline=" + base, *OBJS)
        expect(r.returncode == 1 and r.stderr == "", "%s: %d %s" % (base, r.returncode, r.stderr))
        expect(states(json.loads(r.stdout)) == V2_STATES, "%s: %s" % (base, r.stdout))


@test
def text_marks_new_findings_and_counts_states():
    r = run("--baseline=v1.json", *OBJS)
    expect(r.returncode == 1, "exit %d" % r.returncode)
    lines = r.stdout.splitlines()
    marked = [l for l in lines if l.endswith(" [new]")]
    expect(marked == [
        "halves.c:4:20: warning: [MT002] 's.lo', 's.high' overlay bytes 0-7 of integer 'v' in "
        "'union halves'; its value depends on byte order [new]",
        "halves.c:9:11: warning: [MT002] 'h[0]', 'h[1]' overlay bytes 0-3 of integer 'w' in "
        "'union word'; its value depends on byte order [new]",
    ], marked)
    expect(lines[-1] == "mtcheck: 3 findings shown (1 high, 2 medium); "
           "baseline: 2 new, 1 unchanged, 1 absent", lines[-1])
    # the absent finding is counted, not listed
    expect("'s.lo', 's.hi'" not in r.stdout, r.stdout)


@test
def fail_on_counts_only_new_findings():
    build(1)
    try:
        same = run("--baseline=v1.json", *OBJS)
        expect(same.returncode == 0, "no new finding: exit %d" % same.returncode)
        expect(same.stdout.splitlines()[-1] == "mtcheck: 2 findings shown (1 high, 1 medium); "
               "baseline: 0 new, 2 unchanged, 0 absent", same.stdout)
        expect(run(*OBJS).returncode == 1, "without a baseline the same findings fail")
        expect(run("--fail-on=note", "--baseline=v1.json", *OBJS).returncode == 0,
               "--fail-on=note, nothing new")
    finally:
        build(2)
    expect(run("--baseline=v1.json", *OBJS).returncode == 1, "new warnings: exit 1")
    expect(run("--fail-on=error", "--baseline=v1.json", *OBJS).returncode == 0,
           "new warnings, --fail-on=error: exit 0")


@test
def fail_on_counts_only_new_findings_that_are_shown():
    report("v2-plain.json", "--format=json", *OBJS)
    build(3)
    try:
        r = run("--baseline=v2-plain.json", *OBJS)
        expect(r.returncode == 0, "a new low finding is hidden: exit %d" % r.returncode)
        expect(r.stdout.splitlines()[-1] == "mtcheck: 3 findings shown (1 high, 2 medium); "
               "1 hidden: 1 tag-selected (--all shows them); "
               "baseline: 0 new, 3 unchanged, 0 absent", r.stdout)
        r = run("--all", "--baseline=v2-plain.json", *OBJS)
        expect(r.returncode == 1, "--all shows it: exit %d" % r.returncode)
        expect(r.stdout.splitlines()[-1] == "mtcheck: 4 findings shown (1 high, 2 medium, 1 low); "
               "baseline: 1 new, 3 unchanged, 0 absent", r.stdout)
    finally:
        build(2)


@test
def a_report_written_with_a_baseline_is_a_baseline():
    # v2.json holds an absent finding: not found then, so not a finding to compare
    r = run("--format=json", "--baseline=v2.json", *OBJS)
    expect(r.returncode == 0 and r.stderr == "", "exit %d %s" % (r.returncode, r.stderr))
    expect([s for _, s, _ in states(json.loads(r.stdout))] == ["unchanged"] * 3, r.stdout)


@test
def same_fingerprint_pairs_by_file_first():
    # two files each declare their own union u: one fingerprint, two findings
    u = "#include <stdint.h>\nunion u { uint64_t v; uint32_t w[2]; };\nunion u %s;\n"
    write("a.c", u % "a")
    write("b.c", "\n\n" + u % "b")
    for c in ("a.c", "b.c"):
        subprocess.run(["gcc", "-g", "-c", c, "-o", c[:-2] + ".o"], cwd=TMP, check=True)
    report("a.json", "--format=json", "a.o")
    r = run("--format=json", "--baseline=a.json", "b.o", "a.o")
    got = [(f["location"]["file"], f["baseline"]) for f in json.loads(r.stdout)["findings"]]
    expect(got == [("a.c", "unchanged"), ("b.c", "new")], got)
    report("b.json", "--format=json", "b.o")
    r = run("--format=json", "--baseline=b.json", "a.o", "b.o")
    got = [(f["location"]["file"], f["baseline"]) for f in json.loads(r.stdout)["findings"]]
    expect(got == [("a.c", "new"), ("b.c", "unchanged")], got)


@test
def sarif_carries_states_and_fingerprints():
    r = run("--format=sarif", "--baseline=v1.json", *OBJS)
    expect(r.returncode == 1 and r.stderr == "", r.stderr)
    results = json.loads(r.stdout)["runs"][0]["results"]
    got = [(x["partialFingerprints"]["mtcheckOverlay/v1"], x["baselineState"],
            x["locations"][0]["physicalLocation"]["region"]["startLine"]) for x in results]
    expect(got == V2_STATES, got)
    # without a baseline no result has a state
    results = json.loads(run("--format=sarif", *OBJS).stdout)["runs"][0]["results"]
    expect(all("baselineState" not in x for x in results), "baselineState without --baseline")


@test
def merge_with_a_baseline():
    report("v2-halves.json", "--format=json", "halves.o")
    report("v2-node.sarif", "--format=sarif", "node.o")
    r = run("--merge", "--format=json", "--baseline=v1.json", "v2-halves.json", "v2-node.sarif")
    expect(r.returncode == 1 and r.stderr == "", "exit %d %s" % (r.returncode, r.stderr))
    expect(states(json.loads(r.stdout)) == V2_STATES, r.stdout)
    # a report with states merges without a baseline as it is: states kept
    r = run("--merge", "--format=json", "v2.json")
    expect(r.stdout == open(path("v2.json")).read(), "round trip of states")
    # and with one, the states are worked out again (the old absent finding goes)
    r = run("--merge", "--format=json", "--baseline=v2-plain.json", "v2.json")
    expect([s for _, s, _ in states(json.loads(r.stdout))] == ["unchanged"] * 3, r.stdout)
    r = run("--merge", "--baseline=v1.json", "--fail-on=error", "v2-halves.json")
    expect(r.returncode == 0, "exit %d" % r.returncode)


@test
def bad_baselines_get_one_message():
    write("garbage.json", "garbage\n")
    write("empty.json", "")
    write("notreport.json", '{"version": 7}\n')
    os.makedirs(path("dir.json"), exist_ok=True)
    cases = [
        ("missing.json", "--baseline: missing.json: No such file or directory"),
        ("garbage.json", "--baseline: garbage.json: not valid JSON: not an object at byte 0"),
        ("empty.json", "--baseline: empty.json: empty file, not a report"),
        ("dir.json", "--baseline: dir.json: not a regular file"),
    ]
    for name, message in cases:
        expect_error(run("--baseline=" + name, *OBJS), message)
        expect_error(run("--merge", "--baseline=" + name, "v1.json"), message)
    expect_error(run("--baseline=notreport.json", *OBJS), "--baseline: notreport.json: report "
                 "version 7; this mtcheck reads JSON version 1 and SARIF 2.1.0")
    expect_error(run("--baseline", *OBJS[:0]), "option '--baseline' needs a value\n"
                 "Try 'mtcheck --help' for more information.")


CODECLIMATE_MAPLE = [{
    "type": "issue",
    "check_name": "MT001",
    "description": "[MT001] 'meta.end', 'meta.gap' overlay bytes 248-249 of pointer 'slot[15]' "
                   "in 'struct maple_range_64'; its value depends on byte order",
    "content": {"body": "'slot[15]' reads 0x????????????BBAA on little-endian and "
                        "0xAABB???????????? on big-endian (AA = meta.end, BB = meta.gap, "
                        "?? = bytes not written through 'meta').\n\nhigh confidence: co-live: "
                        "the 15 members before the overlay repeat the wide side's by type "
                        "('pad[0]' as 'slot[0]'), so both are live at once; the overlay is the "
                        "last data of both members: stashed in the tail."},
    "categories": ["Bug Risk", "Compatibility"],
    "severity": "critical",
    "fingerprint": "MT001:struct maple_range_64:slot[15]:meta.end,meta.gap",
    "location": {"path": "maple_range.c", "lines": {"begin": 18}},
}]


@test
def codeclimate_exact():
    shutil.copy(os.path.join(SRC, "testcases", "maple_range.c"), path("maple_range.c"))
    subprocess.run(["gcc", "-g", "-c", "./maple_range.c", "-o", "maple.o"], cwd=TMP, check=True)
    r = run("--format=codeclimate", "maple.o")
    expect(r.returncode == 1 and r.stderr == "", "exit %d %s" % (r.returncode, r.stderr))
    expect(json.loads(r.stdout) == CODECLIMATE_MAPLE, r.stdout)
    # the bytes: one issue per finding, each pretty-printed, in an array
    expect(r.stdout.startswith('[\n{\n  "type": "issue",\n  "check_name": "MT001",\n') and
           r.stdout.endswith('\n    }\n  }\n}\n]\n'), r.stdout)
    # the same from --merge of its JSON and of its SARIF
    report("maple.json", "--format=json", "maple.o")
    report("maple.sarif", "--format=sarif", "maple.o")
    for rep in ("maple.json", "maple.sarif"):
        m = run("--merge", "--format=codeclimate", rep)
        expect(m.returncode == 1 and m.stdout == r.stdout, "%s: %s" % (rep, m.stdout))
    # no findings: an empty array
    r = run("--format=codeclimate", "--disable=MT001", "maple.o")
    expect(r.returncode == 0 and r.stdout == "[]\n", repr(r.stdout))


@test
def codeclimate_fingerprints_are_sarifs():
    sarif = json.loads(run("--format=sarif", *OBJS).stdout)["runs"][0]["results"]
    cq = json.loads(run("--format=codeclimate", *OBJS).stdout)
    expect([x["partialFingerprints"]["mtcheckOverlay/v1"] for x in sarif] ==
           [i["fingerprint"] for i in cq], "fingerprints differ")
    expect([(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"])
            for i in cq] == [("MT002", "halves.c", 4), ("MT002", "halves.c", 9),
                             ("MT001", "node.c", 10)], cq)


@test
def codeclimate_leaves_absent_findings_out():
    cq = json.loads(run("--format=codeclimate", "--baseline=v1.json", *OBJS).stdout)
    expect([i["fingerprint"] for i in cq] == [fp for fp, s, _ in V2_STATES if s != "absent"], cq)


@test
def codeclimate_severity_table():
    # note: info at any confidence; warning: minor, major, critical for low,
    # medium, high; error: major, critical, blocker
    write("byte.c", "#include <stdint.h>\nunion ipv4 { uint32_t a; unsigned char b[4]; };\n"
          "union ipv4 x;\n")
    subprocess.run(["gcc", "-g", "-c", "byte.c", "-o", "byte.o"], cwd=TMP, check=True)
    build(3)
    try:
        objs = OBJS + ["byte.o"]
        sev = lambda doc: [(i["check_name"], i["location"]["path"], i["severity"]) for i in doc]
        got = sev(json.loads(run("--format=codeclimate", *objs).stdout))
        expect(got == [("MT004", "byte.c", "info"), ("MT002", "halves.c", "major"),
                       ("MT002", "halves.c", "major"), ("MT002", "halves.c", "minor"),
                       ("MT001", "node.c", "critical")], got)
        write("err.yaml", "rules:\n  MT001: error\n  MT002: error\n  MT004: error\n")
        got = sev(json.loads(run("--config=err.yaml", "--format=codeclimate", *objs).stdout))
        expect(got == [("MT004", "byte.c", "major"), ("MT002", "halves.c", "critical"),
                       ("MT002", "halves.c", "critical"), ("MT002", "halves.c", "major"),
                       ("MT001", "node.c", "blocker")], got)
    finally:
        build(2)


@test
def format_usage_names_codeclimate():
    expect_error(run("--format=xml", "x.o"), "--format: 'xml' is not text, json, sarif or "
                 "codeclimate\nTry 'mtcheck --help' for more information.")


main(lambda: shutil.rmtree(TMP))

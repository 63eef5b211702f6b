#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""docs/ci.md works: the commands of its snippets, run on a small project.

usage: test_ci_docs.py MTCHECK SOURCE_DIR

The snippets are found by their '<!-- snippet: NAME -->' markers.  The
project is two test cases and a Makefile in a scratch git repository, with
the built mtcheck first on PATH.  GitHub's `run:` steps and GitLab's
`script:` lines run as the runners run them (bash -e, in order, stopping at
the first failure); the steps that install mtcheck and the actions
(`uses:`) cannot run here, and are only checked for options that exist.
Each check asserts exit statuses and the exact findings of the files
written; the last line is 'N passed, N failed'.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

from harness import SkipTest, expect, main, test

MTCHECK, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
TMP = tempfile.mkdtemp(prefix="mtcheck-ci-docs.")
PROJ = os.path.join(TMP, "project")
BIN = os.path.join(TMP, "bin")

try:
    import yaml
except ImportError:  # python3-yaml
    yaml = None

MAKEFILE = """\
OBJS = $(patsubst src/%.c,build/%.o,$(wildcard src/*.c))
all: $(OBJS)
build/%.o: src/%.c
\t@mkdir -p build
\t$(CC) $(CFLAGS) -c $< -o $@
"""
WORD = "#include <stdint.h>\nunion word { uint32_t w; uint16_t h[2]; };\nunion word wd;\n"
OLD = {"MT001:struct maple_range_64:slot[15]:meta.end,meta.gap",
       "MT002:union u64_halves:v:s.lo,s.hi"}
NEW = "MT002:union word:w:h[0],h[1]"


def snippets():
    """{name: (language, text)} of the marked fenced blocks of docs/ci.md."""
    with open(os.path.join(SRC, "docs", "ci.md")) as f:
        doc = f.read()
    found = {}
    for m in re.finditer(r"<!-- snippet: ([\w-]+) -->\n```(\w+)\n(.*?)```\n", doc, re.S):
        expect(m.group(1) not in found, "snippet %s twice" % m.group(1))
        found[m.group(1)] = (m.group(2), m.group(3))
    return found


SNIPPETS = snippets()


def snippet(name, lang):
    expect(name in SNIPPETS, "docs/ci.md has no snippet %s" % name)
    expect(SNIPPETS[name][0] == lang, "%s is %s, not %s" % (name, SNIPPETS[name][0], lang))
    text = SNIPPETS[name][1]
    if lang == "yaml":
        if yaml is None:
            raise SkipTest("python3-yaml is not installed")
        return yaml.safe_load(text)
    return text


ENV = dict(os.environ, PATH=BIN + os.pathsep + os.environ["PATH"],
           GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
           GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")


def sh(script, *, shell=("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c")):
    return subprocess.run([*shell, script], cwd=PROJ, env=ENV, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


def git(*args):
    r = subprocess.run(["git", *args], cwd=PROJ, env=ENV, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    return r


def setup():
    for tool in ("git", "make", "gcc", "bash"):
        if not shutil.which(tool):
            raise SkipTest("%s is not installed" % tool)
    os.makedirs(os.path.join(PROJ, "src"))
    os.makedirs(BIN)
    os.symlink(MTCHECK, os.path.join(BIN, "mtcheck"))
    shutil.copy(os.path.join(SRC, "testcases", "maple_range.c"), os.path.join(PROJ, "src"))
    shutil.copy(os.path.join(SRC, "testcases", "u64_halves.c"), os.path.join(PROJ, "src"))
    with open(os.path.join(PROJ, "Makefile"), "w") as f:
        f.write(MAKEFILE)
    with open(os.path.join(PROJ, ".gitignore"), "w") as f:
        f.write("build/\n*.sarif\ngl-code-quality-report.json\n")
    expect(git("init", "-q").returncode == 0, "git init")
    git("add", ".")
    expect(git("commit", "-qm", "project").returncode == 0, "first commit")


def fingerprints(path):
    """The fingerprints of a JSON, SARIF or Code Quality report in PROJ."""
    with open(os.path.join(PROJ, path)) as f:
        doc = json.load(f)
    if isinstance(doc, list):
        return [i["fingerprint"] for i in doc]
    if "runs" in doc:
        return [r["partialFingerprints"]["mtcheckOverlay/v1"] for r in doc["runs"][0]["results"]]
    return [f["fingerprint"] for f in doc["findings"]]


class new_union:
    """The project with one more union, whose finding the baseline lacks."""
    def __enter__(self):
        with open(os.path.join(PROJ, "src", "word.c"), "w") as f:
            f.write(WORD)

    def __exit__(self, *exc):
        for p in ("src/word.c", "build/word.o"):
            if os.path.exists(os.path.join(PROJ, p)):
                os.unlink(os.path.join(PROJ, p))
        git("rm", "-q", "--cached", "--ignore-unmatch", "src/word.c")


def check_install(script):
    """Install commands name only options that exist."""
    with open(os.path.join(SRC, "scripts", "install-deps")) as f:
        install_deps = f.read()
    with open(os.path.join(SRC, "CMakeLists.txt")) as f:
        options = set(re.findall(r"option\((MTCHECK_\w+)", f.read()))
    for flag in re.findall(r"install-deps((?: --[\w-]+)*)", script):
        for opt in flag.split():
            expect(re.search(r"^\s*%s\)" % re.escape(opt), install_deps, re.M),
                   "install-deps has no %s" % opt)
    used = re.findall(r"-D(MTCHECK_\w+)=", script)
    expect(used, "no -DMTCHECK_ option in %r" % script)
    for o in used:
        expect(o in options, "CMakeLists.txt has no option %s" % o)


def run_steps(steps):
    """{step name: exit status} of the run: steps, as a runner runs them."""
    status, failed, out = {}, False, {}
    for s in steps:
        name = s.get("name", s.get("uses"))
        if "uses" in s or name.startswith("Install mtcheck"):
            continue
        if failed and s.get("if") != "always()":
            continue
        r = sh(s["run"])
        status[name], out[name] = r.returncode, r.stdout + r.stderr
        failed |= r.returncode != 0
    return status, out


@test
def baseline_create():
    r = sh(snippet("baseline-create", "sh"))
    expect(r.returncode == 0, "exit %d: %s" % (r.returncode, r.stderr))
    expect(set(fingerprints(".mtcheck-baseline.json")) == OLD, fingerprints(".mtcheck-baseline.json"))
    expect(git("diff", "--cached", "--name-only").stdout == ".mtcheck-baseline.json\n", "git add")
    expect(git("commit", "-qm", "baseline").returncode == 0, "commit the baseline")


@test
def github_actions():
    wf = snippet("github-actions", "yaml")
    job = wf["jobs"]["mtcheck"]
    expect(job["permissions"]["security-events"] == "write", job["permissions"])
    steps = job["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    expect(uses == ["actions/checkout@v4", "actions/checkout@v4",
                    "github/codeql-action/upload-sarif@v3"], uses)
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")][0]
    expect(upload.get("if") == "always()", "upload-sarif runs if: always()")
    install = [s for s in steps if s.get("name", "").startswith("Install mtcheck") and "run" in s]
    expect(len(install) == 1, install)
    check_install(install[0]["run"])
    run_step = [s for s in steps if s.get("name") == "Run mtcheck"][0]
    expect("--output=%s" % upload["with"]["sarif_file"] in run_step["run"], "uploads what it writes")

    status, out = run_steps(steps)
    expect(status == {"Build with debug information": 0, "Run mtcheck": 0,
                      "Fail on new findings": 0}, status)
    expect(set(fingerprints("mtcheck.sarif")) == OLD, fingerprints("mtcheck.sarif"))
    with open(os.path.join(PROJ, "mtcheck.sarif")) as f:
        results = json.load(f)["runs"][0]["results"]
    expect(all("baselineState" not in r for r in results), "the uploaded SARIF has no states")
    expect(out["Fail on new findings"].splitlines()[-1] == "mtcheck: 2 findings shown (1 high, "
           "1 medium); baseline: 0 new, 2 unchanged, 0 absent", out["Fail on new findings"])
    with new_union():
        status, out = run_steps(steps)
        expect(status == {"Build with debug information": 0, "Run mtcheck": 0,
                          "Fail on new findings": 1}, status)
        expect(set(fingerprints("mtcheck.sarif")) == OLD | {NEW}, fingerprints("mtcheck.sarif"))
        marked = [l for l in out["Fail on new findings"].splitlines() if l.endswith(" [new]")]
        expect(len(marked) == 1 and "'union word'" in marked[0], marked)


@test
def gitlab_ci():
    ci = snippet("gitlab-ci", "yaml")
    job = ci["mtcheck"]
    expect(job["artifacts"]["when"] == "always", job["artifacts"])
    report = job["artifacts"]["reports"]["codequality"]
    check_install("\n".join(job["before_script"]))
    expect(any("--format=codeclimate --output=%s" % report in l for l in job["script"]),
           "the job writes the report it hands over")

    def script():
        for line in job["script"]:
            r = sh(line)
            if r.returncode:
                return r.returncode
        return 0

    expect(script() == 0, "the same findings as the baseline: exit 0")
    expect(set(fingerprints(report)) == OLD, fingerprints(report))
    with new_union():
        expect(script() == 1, "a new finding: exit 1")
        with open(os.path.join(PROJ, report)) as f:
            issues = json.load(f)
        got = sorted((i["fingerprint"], i["check_name"], i["severity"], i["location"]["path"])
                     for i in issues)
        expect(got == sorted([
            ("MT001:struct maple_range_64:slot[15]:meta.end,meta.gap", "MT001", "critical",
             "src/maple_range.c"),
            ("MT002:union u64_halves:v:s.lo,s.hi", "MT002", "major", "src/u64_halves.c"),
            (NEW, "MT002", "major", "src/word.c")]), got)


@test
def git_hook():
    hook = os.path.join(PROJ, ".git", "hooks", "pre-commit")
    with open(hook, "w") as f:
        f.write(snippet("git-hook", "sh"))
    os.chmod(hook, 0o755)
    try:
        head = git("rev-parse", "HEAD").stdout
        with open(os.path.join(PROJ, "src", "u64_halves.c"), "a") as f:
            f.write("/* a change without a new finding */\n")
        r = git("commit", "-qam", "no new finding")
        expect(r.returncode == 0, "refused: %s" % r.stdout + r.stderr)
        expect(git("rev-parse", "HEAD").stdout != head, "not committed")
        head = git("rev-parse", "HEAD").stdout
        with new_union():
            git("add", "src/word.c")
            r = git("commit", "-qm", "a new finding")
            expect(r.returncode == 1, "exit %d: %s" % (r.returncode, r.stderr))
            expect(" [new]" in r.stderr, r.stderr)  # git hands a hook stderr for stdout
            expect(git("rev-parse", "HEAD").stdout == head, "committed")
    finally:
        os.unlink(hook)


@test
def pre_commit_framework():
    cfg = snippet("pre-commit-config", "yaml")
    expect(cfg["repos"][0]["repo"] == "local", cfg)
    hook = cfg["repos"][0]["hooks"][0]
    expect(hook["language"] == "system" and hook["pass_filenames"] is False, hook)
    files = re.compile(hook["files"])
    expect([p for p in ("src/a.c", "include/a.h", "README.md", "a.cc") if files.search(p)] ==
           ["src/a.c", "include/a.h"], hook["files"])
    # pre-commit splits the entry as a shell would and runs it without a shell
    argv = shlex.split(hook["entry"])
    r = subprocess.run(argv, cwd=PROJ, env=ENV, stdout=subprocess.PIPE, text=True)
    expect(r.returncode == 0, "no new finding: exit %d" % r.returncode)
    with new_union():
        r = subprocess.run(argv, cwd=PROJ, env=ENV, stdout=subprocess.PIPE, text=True)
        expect(r.returncode == 1, "a new finding: exit %d" % r.returncode)


try:
    setup()
except SkipTest as e:
    print("SKIP: %s\n0 passed, 0 failed, 1 skipped" % e)
    shutil.rmtree(TMP)
    sys.exit(77)
main(lambda: shutil.rmtree(TMP))

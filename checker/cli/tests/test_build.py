#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mtcheck build, and the findings that travel in the .mtcheck section.

usage: test_build.py MTCHECK SOURCE_DIR
Each check asserts the exact report, message or exit status; the last line
is 'N passed, N failed'.  A check whose tool (cmake, ccache, distcc) is
missing is a skip (exit 77).
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zlib

from harness import SkipTest, expect, main, runner, test

MTCHECK, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
run = runner(MTCHECK)
TMP = tempfile.mkdtemp(prefix="mtcheck-build.")

HEADER = """\
struct meta { unsigned char end, gap; };
struct node {
\tvoid *parent;
\tunion {
\t\tvoid *slot[4];
\t\tstruct { void *pad[3]; struct meta meta; };
\t};
};
"""

# The one finding every project below has: struct node, from node.h.
FINDING_LINE = ("node.h:6:38: warning: [MT001] 'meta.end', 'meta.gap' overlay bytes 32-33 of "
                "pointer 'slot[3]' in 'struct node'; its value depends on byte order")
SUMMARY = "mtcheck: 1 finding shown (1 high)\n"

MAKEFILE = """\
OBJS = u1.o u2.o u3.o u4.o u5.o main.o x.o a.o
prog: $(OBJS)
\t$(CC) -v -o $@ $(OBJS) 2> link.log
%.o: %.c
\t$(CC) -v -c -o $@ $< 2> $@.log
x.o: x.cc
\t$(CC) -v -c -o $@ $< 2> $@.log
a.o: a.S
\t$(CC) -v -c -o $@ $< 2> $@.log
pre.i: u1.c
\t$(CC) -v -E -o $@ u1.c 2> pre.log
clean:
\trm -f *.o prog pre.i
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def project(name, makefile=MAKEFILE, units=5):
    """node.h shared by several C units, a C++ unit, an assembler file and main."""
    d = os.path.join(TMP, name)
    shutil.rmtree(d, ignore_errors=True)
    write(os.path.join(d, "node.h"), HEADER)
    for i in range(1, units + 1):
        write(os.path.join(d, "u%d.c" % i),
              '#include "node.h"\nint f%d(struct node *n) { return n->meta.end; }\n' % i)
    write(os.path.join(d, "main.c"), "int main(void) { return 0; }\n")
    write(os.path.join(d, "x.cc"), 'extern "C" int cxx(void) { return 1; }\n')
    write(os.path.join(d, "a.S"), '\t.section .note.GNU-stack,"",@progbits\n'
                                  '\t.text\n\t.globl asmf\nasmf:\n\tret\n')
    if makefile:
        write(os.path.join(d, "Makefile"), makefile)
    return d


def read(path):
    with open(path) as f:
        return f.read()


def has_section(path):
    r = subprocess.run(["readelf", "-S", "-W", path], stdout=subprocess.PIPE, text=True, check=True)
    return " .mtcheck " in r.stdout


def text_findings(out):
    return [l for l in out.splitlines() if ": warning: " in l]


@test
def make_parallel_one_report():
    d = project("make")
    r = run("build", "--", "make", "-j4", "prog", "pre.i", cwd=d)
    expect(r.returncode == 1, "exit %d, expected 1: %s" % (r.returncode, r.stderr))
    # the header's record once, from five units
    expect(text_findings(r.stdout) == [FINDING_LINE], "findings: %r" % text_findings(r.stdout))
    expect(r.stdout.endswith(SUMMARY), "summary: %r" % r.stdout[-200:])
    # C compiles run the plugin (and keep their findings in the object) ...
    for i in range(1, 6):
        expect("-fplugin=" in read(os.path.join(d, "u%d.o.log" % i)), "u%d.c without plugin" % i)
        expect(has_section(os.path.join(d, "u%d.o" % i)), "u%d.o has no .mtcheck" % i)
    # the findings are the report's, not compiler warnings
    expect("[MT001" not in read(os.path.join(d, "u1.o.log")), "u1.c: the plugin warned")
    # ... C++, assembler, -E and the link go through untouched
    for log in ("x.o.log", "a.o.log", "pre.log", "link.log"):
        expect("-fplugin" not in read(os.path.join(d, log)), "%s: the plugin was added" % log)
    expect(not has_section(os.path.join(d, "x.o")), "x.o has a .mtcheck section")
    expect(not has_section(os.path.join(d, "a.o")), "a.o has a .mtcheck section")
    # the linked program holds every C unit's record (5 + main), each one report
    reports = section_reports(os.path.join(d, "prog"))
    expect(sorted(len(r["findings"]) for r in reports) == [0, 1, 1, 1, 1, 1],
           "findings per unit: %r" % [len(r["findings"]) for r in reports])


def section_reports(path):
    """The reports in @path's .mtcheck section: "MTCZ1 SIZE ZSIZE\\n" and deflate, each."""
    out = os.path.join(TMP, "section.bin")
    subprocess.run(["objcopy", "--dump-section", ".mtcheck=" + out, path,
                    os.path.join(TMP, "scratch.o")], check=True)
    with open(out, "rb") as f:
        data = f.read()
    reports = []
    while data:
        head, data = data.split(b"\n", 1)
        magic, size, zsize = head.split(b" ")
        expect(magic == b"MTCZ1", "record header %r" % head)
        text = zlib.decompress(data[:int(zsize)])
        expect(len(text) == int(size), "record size %d, inflated %d" % (int(size), len(text)))
        reports.append(json.loads(text))
        data = data[int(zsize):]
    return reports


@test
def formats_output_and_fail_on():
    d = project("formats")
    out = os.path.join(d, "report.json")
    r = run("build", "--format=json", "-o", out, "--fail-on=error", "--", "make", "-j2", cwd=d)
    expect(r.returncode == 0, "exit %d with --fail-on=error: %s" % (r.returncode, r.stderr))
    expect(r.stdout.count("warning: [MT001") == 0 and "mtcheck:" not in r.stdout,
           "report on stdout with -o: %r" % r.stdout[-300:])
    doc = json.loads(read(out))
    expect([(f["rule"], f["record"], f["location"]["line"]) for f in doc["findings"]] ==
           [("MT001", "struct node", 6)], "JSON findings: %r" % doc["findings"])
    subprocess.run(["make", "clean"], cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # the default fails on the warning; --min-confidence=high still shows it
    r = run("build", "--min-confidence=high", "--", "make", "-B", "-j2", cwd=d)
    expect(r.returncode == 1, "exit %d, expected 1" % r.returncode)
    # --no-section: the report is the same, from the per-unit reports alone
    r = run("build", "--no-section", "--", "make", "-B", "-j2", cwd=d)
    expect(r.returncode == 1 and text_findings(r.stdout) == [FINDING_LINE], "--no-section: %r" % r.stdout)
    expect(not has_section(os.path.join(d, "u1.o")), "--no-section: u1.o has .mtcheck")
    # switched off for the plugin: nothing to report
    r = run("build", "--disable=MT001", "--", "make", "-B", "-j2", cwd=d)
    expect((r.returncode, r.stdout) == (0, ""),
           "--disable=MT001: exit %d, %r" % (r.returncode, r.stdout))


@test
def werror_build_goes_on():
    d = project("werror", makefile=None)
    r = run("build", "--", "gcc", "-Wall", "-Werror", "-c", "u1.c", "-o", "w.o", cwd=d)
    expect((r.returncode, text_findings(r.stdout)) == (1, [FINDING_LINE]),
           "exit %d: %r %r" % (r.returncode, r.stdout, r.stderr))
    expect(os.path.exists(os.path.join(d, "w.o")) and r.stderr == "",
           "the -Werror compile failed: %r" % r.stderr)


@test
def wrapper_outside_build_passes_through():
    """A wrapper path that a CMake cache kept, run outside mtcheck build: the real gcc."""
    d = os.path.join(TMP, "stale")
    os.makedirs(d)
    os.symlink(MTCHECK, os.path.join(d, "gcc"))
    want = subprocess.run(["gcc", "-dumpfullversion"], stdout=subprocess.PIPE, text=True).stdout
    env = dict(os.environ, PATH=d + ":" + os.environ["PATH"])
    for argv0 in (os.path.join(d, "gcc"), "gcc"):
        r = subprocess.run([argv0, "-dumpfullversion"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, env=env)
        expect((r.returncode, r.stdout, r.stderr) == (0, want, ""), "%s: %r" % (argv0, r))
    # with nothing else of that name on PATH
    os.symlink(MTCHECK, os.path.join(d, "nosuch-gcc"))
    r = subprocess.run([os.path.join(d, "nosuch-gcc")], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, env=env)
    expect((r.returncode, r.stderr) == (127, "mtcheck: nosuch-gcc: no such program on PATH "
                                             "besides mtcheck's wrapper\n"), "%r" % (r,))


@test
def failing_build():
    d = project("fail")
    write(os.path.join(d, "bad.c"), "int broken(void) { return }\n")
    r = run("build", "--", "sh", "-c", "make -j2 u1.o u2.o && make bad.o", cwd=d)
    expect(r.returncode == 3, "exit %d, expected 3: %s" % (r.returncode, r.stderr))
    expect(r.stderr.endswith("mtcheck build: the build command failed (exit status 2)\n"),
           "stderr: %r" % r.stderr[-300:])
    # what compiled before the failure is reported
    expect(text_findings(r.stdout) == [FINDING_LINE], "findings: %r" % r.stdout)


@test
def usage_errors():
    for args in (["build"], ["build", "--"], ["build", "--format=text"]):
        r = run(*args)
        expect((r.returncode, r.stdout) == (2, ""), "%r: exit %d" % (args, r.returncode))
        expect(r.stderr == "mtcheck build: no build command given (mtcheck build [OPTION]... -- "
                           "COMMAND...)\nTry 'mtcheck build --help' for more information.\n",
               "%r: %r" % (args, r.stderr))
    r = run("build", "make")
    expect(r.returncode == 2 and r.stderr.startswith(
        "mtcheck build: 'make': the build command goes after '--'\n"), "bare command: %r" % r.stderr)
    r = run("build", "--fail-on=fatal", "--", "true")
    expect(r.returncode == 2 and r.stderr.startswith(
        "mtcheck build: --fail-on: 'fatal' is not note, warning or error\n"), "%r" % r.stderr)
    r = run("build", "--", "/nonexistent/make")
    expect((r.returncode, r.stdout, r.stderr) ==
           (2, "", "mtcheck build: cannot run '/nonexistent/make': No such file or directory\n"),
           "missing command: %d %r" % (r.returncode, r.stderr))


@test
def cmake_project():
    if not shutil.which("cmake"):
        raise SkipTest("cmake is not installed")
    d = project("cmake", makefile=None)
    write(os.path.join(d, "CMakeLists.txt"),
          "cmake_minimum_required(VERSION 3.13)\nproject(p C)\n"
          "add_library(units STATIC u1.c u2.c u3.c)\nadd_executable(prog main.c)\n"
          "target_link_libraries(prog units)\n")
    b = os.path.join(d, "build")
    r = run("build", "--", "sh", "-c",
            "cmake -S . -B build >/dev/null && cmake --build build -j2 >/dev/null", cwd=d)
    expect(r.returncode == 1, "exit %d: %s" % (r.returncode, r.stderr))
    # CMake compiles by absolute paths
    expect(text_findings(r.stdout.replace(d + "/", "")) == [FINDING_LINE], "findings: %r" % r.stdout)
    # the archive CMake made holds the findings too
    r = run(os.path.join(b, "libunits.a"))
    expect(r.returncode == 1 and text_findings(r.stdout.replace(d + "/", "")) == [FINDING_LINE],
           "libunits.a: %d %r %r" % (r.returncode, r.stdout, r.stderr))


@test
def meson_project():
    if not shutil.which("meson") or not shutil.which("ninja"):
        raise SkipTest("meson or ninja is not installed (scripts/install-deps)")
    d = project("meson", makefile=None)
    write(os.path.join(d, "meson.build"),
          "project('p', 'c')\nexecutable('prog', 'u1.c', 'u2.c', 'u3.c', 'main.c')\n")
    r = run("build", "--", "sh", "-c", "meson setup bd && meson compile -C bd", cwd=d)
    expect(r.returncode == 1, "exit %d: %s" % (r.returncode, r.stderr[-2000:]))
    # ninja compiles from the build directory
    expect(text_findings(r.stdout) == ["../" + FINDING_LINE], "findings: %r" % r.stdout)
    r = run(os.path.join(d, "bd", "prog"), cwd=os.path.join(d, "bd"))
    expect(text_findings(r.stdout) == ["../" + FINDING_LINE], "prog: %r" % r.stdout)


@test
def autotools_project():
    if not shutil.which("autoreconf") or not shutil.which("automake"):
        raise SkipTest("autoconf or automake is not installed (scripts/install-deps)")
    d = project("autotools", makefile=None)
    write(os.path.join(d, "configure.ac"), "AC_INIT([p],[1])\nAM_INIT_AUTOMAKE([foreign])\n"
          "AC_PROG_CC\nAC_CONFIG_FILES([Makefile])\nAC_OUTPUT\n")
    write(os.path.join(d, "Makefile.am"), "bin_PROGRAMS = prog\nprog_SOURCES = u1.c u2.c main.c node.h\n")
    subprocess.run(["autoreconf", "-i"], cwd=d, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    r = run("build", "--", "sh", "-c", "./configure && make -j2", cwd=d)
    expect(r.returncode == 1, "exit %d: %s" % (r.returncode, r.stderr[-2000:]))
    expect(text_findings(r.stdout) == [FINDING_LINE], "findings: %r" % r.stdout)


def plugin():
    r = run("--plugin-path")
    expect(r.returncode == 0, "--plugin-path: %s" % r.stderr)
    return r.stdout.strip()


@test
def section_in_objects_archives_and_binaries():
    d = project("section", makefile=None)
    cc = ["gcc", "-fplugin=" + plugin()]
    subprocess.run(cc + ["-c", "u1.c", "u2.c", "main.c"], cwd=d, check=True,
                   stderr=subprocess.DEVNULL)
    subprocess.run(["ar", "rcs", "libu.a", "u1.o", "u2.o"], cwd=d, check=True)
    subprocess.run(["gcc", "-o", "prog", "main.o", "u1.o", "u2.o"], cwd=d, check=True)
    subprocess.run(["strip", "-o", "prog.stripped", "prog"], cwd=d, check=True)
    expect(has_section(os.path.join(d, "prog.stripped")), "strip dropped .mtcheck")
    # the object alone, the archive, the program, the stripped program: one finding each
    for f in ("u1.o", "libu.a", "prog", "prog.stripped"):
        r = run(f, cwd=d)
        expect((r.returncode, text_findings(r.stdout)) == (1, [FINDING_LINE]),
               "%s: exit %d, %r %r" % (f, r.returncode, r.stdout, r.stderr))
        expect(r.stdout.endswith(SUMMARY), "%s: %r" % (f, r.stdout))
    # several inputs: still once
    r = run("--format=json", "u1.o", "u2.o", "libu.a", "prog", cwd=d)
    expect(len(json.loads(r.stdout)["findings"]) == 1, "deduplicated: %r" % r.stdout)
    # --type picks one record's findings from the section
    write(os.path.join(d, "two.c"), '#include "node.h"\nunion two { void *p; char c[2]; short s; };\n'
          'int t(union two *u) { return u->s; }\n')
    subprocess.run(cc + ["-c", "two.c"], cwd=d, check=True, stderr=subprocess.DEVNULL)
    r = run("--format=json", "two.o", cwd=d)
    expect(sorted({f["record"] for f in json.loads(r.stdout)["findings"]}) ==
           ["struct node", "union two"], "two.o: %r" % r.stdout)
    for want in ("two", "union two"):
        r = run("--format=json", "--type=" + want, "two.o", cwd=d)
        expect({f["record"] for f in json.loads(r.stdout)["findings"]} == {"union two"},
               "--type=%s: %r" % (want, r.stdout))
    # a unit without findings: a section saying so, and a clean report
    r = run("main.o", cwd=d)
    expect((r.returncode, r.stdout, r.stderr) == (0, "", ""), "main.o: %r %r" % (r.stdout, r.stderr))
    # section=off: no section, and without -g nothing else to read
    subprocess.run(cc + ["-fplugin-arg-mtcheck-section=off", "-c", "u3.c"], cwd=d, check=True,
                   stderr=subprocess.DEVNULL)
    expect(not has_section(os.path.join(d, "u3.o")), "section=off wrote a section")
    r = run("u3.o", cwd=d)
    expect((r.returncode, r.stderr) == (2, "mtcheck: u3.o: no debug information (no .BTF or "
                                           ".debug_info section); compile with -g\n"),
           "u3.o: %d %r" % (r.returncode, r.stderr))
    # a damaged section: one message naming the object and the section
    subprocess.run(["objcopy", "--update-section", ".mtcheck=" +
                    write(os.path.join(d, "junk"), '{"version":1,"findings":[{"rule":7}]}\n'),
                    "main.o", "junk.o"], cwd=d, check=True)
    r = run("junk.o", cwd=d)
    expect(r.returncode == 2 and r.stderr.startswith("mtcheck: junk.o: section .mtcheck: finding 1:"),
           "junk.o: %r" % r.stderr)
    # damaged compressed records, after a good one
    good = zlib.compress(b'{"version":1,"findings":[]}')
    for body, why in (
            (b"MTCZ1 100 50\n0123456789", "byte %d: a record longer than the section"),
            (b"MTCZ1 5 3\nabc", "byte %d: a compressed report that does not inflate to its size"),
            (b"MTCZ1 five 3\nabc", "byte %d: a record header that is not \"MTCZ1 SIZE COMPRESSED-SIZE\""),
            (b"\x7fELF", "byte %d: not an mtcheck record (\"MTCZ1 ...\" or a JSON report)")):
        first = b"MTCZ1 27 %d\n" % len(good) + good
        why = why.replace("%d", str(len(first)))
        with open(os.path.join(d, "junk"), "wb") as f:
            f.write(first + body)
        subprocess.run(["objcopy", "--update-section", ".mtcheck=junk", "main.o", "junk.o"], cwd=d,
                       check=True)
        r = run("junk.o", cwd=d)
        expect((r.returncode, r.stdout, r.stderr) ==
               (2, "", "mtcheck: junk.o: section .mtcheck: %s\n" % why), "%r: %r" % (body, r.stderr))


@test
def section_of_a_big_endian_object():
    """An s390x object (big-endian ELF) compiled with the cross GCC's plugin."""
    cross = os.path.join(os.path.dirname(os.path.dirname(MTCHECK)), "plugin",
                         "s390x-linux-gnu-gcc-12", "mtcheck.so")
    if not os.path.exists(cross) or not shutil.which("s390x-linux-gnu-gcc-12"):
        raise SkipTest("no s390x plugin in this build (gcc-12-plugin-dev-s390x-linux-gnu)")
    d = project("s390x", makefile=None)
    subprocess.run(["s390x-linux-gnu-gcc-12", "-fplugin=" + cross, "-c", "u1.c"], cwd=d, check=True,
                   stderr=subprocess.DEVNULL)
    r = run("--format=json", "u1.o", cwd=d)
    f = json.loads(r.stdout)["findings"]
    expect([(x["target"]["triple"], x["target"]["endian"], x["little_endian"], x["big_endian"])
            for x in f] == [("s390x-linux-gnu", "big", "0x????????????BBAA", "0xAABB????????????")],
           "s390x: %r" % f)


def ccache_stats(env):
    r = subprocess.run(["ccache", "--print-stats"], stdout=subprocess.PIPE, text=True, env=env,
                       check=True)
    stats = dict(l.split("\t") for l in r.stdout.splitlines() if "\t" in l)
    return (int(stats.get("direct_cache_hit", 0)) + int(stats.get("preprocessed_cache_hit", 0)),
            int(stats.get("cache_miss", 0)))


@test
def ccache_hit_keeps_findings():
    if not shutil.which("ccache"):
        raise SkipTest("ccache is not installed (scripts/install-deps)")
    d = project("ccache", makefile=MAKEFILE.replace(" -v", ""))
    env = dict(os.environ, CCACHE_DIR=os.path.join(TMP, "ccache-dir"), CCACHE_NOHASHDIR="1")
    reports = []
    for n in range(2):
        subprocess.run(["make", "clean"], cwd=d, stdout=subprocess.DEVNULL)
        r = subprocess.run([MTCHECK, "build", "--format=json", "--", "make", "-j2", "CC=ccache gcc",
                            "u1.o", "u2.o", "u3.o", "main.o"],
                           cwd=d, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        expect(r.returncode == 1, "build %d: exit %d: %s" % (n, r.returncode, r.stderr))
        reports.append(r.stdout)
        if n == 0:
            expect(ccache_stats(env) == (0, 4), "first build: %r" % (ccache_stats(env),))
    expect(ccache_stats(env) == (4, 4), "second build not from the cache: %r" % (ccache_stats(env),))
    expect(reports[0] == reports[1], "the reports differ")
    expect(len(json.loads(reports[1])["findings"]) == 1, "findings: %r" % reports[1])


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@test
def distcc_findings_come_back_in_the_object():
    """distcc with a local daemon.  distccd (3.4) refuses every command with
    -fplugin= as insecure, whatever its options, so the plugin's compile is
    not distributed: distcc falls back to compiling here.  What the test
    holds: the daemon was asked and refused, the build went on, and the
    findings reached the report through the objects alone (the wrapper passes
    no json= through distcc, so no per-unit report is written)."""
    if not shutil.which("distcc") or not shutil.which("distccd"):
        raise SkipTest("distcc is not installed (scripts/install-deps)")
    d = project("distcc", makefile=MAKEFILE.replace(" -v", ""))
    port = free_port()
    # run as root, distccd drops to its own user, which must write these
    logs = os.path.join(TMP, "distccd")
    os.makedirs(logs)
    os.chmod(TMP, 0o755)
    os.chmod(logs, 0o1777)
    log = os.path.join(logs, "distccd.log")
    pidfile = os.path.join(logs, "distccd.pid")
    subprocess.run(["distccd", "--daemon", "--allow", "127.0.0.1", "--listen", "127.0.0.1",
                    "--port", str(port), "--log-file", log, "--pid-file", pidfile, "--jobs", "2"],
                   check=True)
    try:
        for _ in range(50):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        os.makedirs(os.path.join(TMP, "distcc-dir"))
        # a refusal puts the host in backoff: later compiles go straight to local
        env = dict(os.environ, DISTCC_HOSTS="127.0.0.1:%d/2" % port,
                   DISTCC_DIR=os.path.join(TMP, "distcc-dir"))
        r = subprocess.run([MTCHECK, "build", "--keep-reports", "--", "make", "-j2",
                            "CC=distcc gcc", "u1.o", "u2.o", "main.o"],
                           cwd=d, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=300)
        expect(r.returncode == 1, "exit %d: %s" % (r.returncode, r.stderr))
        expect(text_findings(r.stdout) == [FINDING_LINE], "findings: %r" % r.stdout)
        refused = read(log).count("-fplugin= and/or -specs= passed, which are insecure")
        expect(refused >= 1, "distccd did not refuse the plugin: %r" % read(log)[-2000:])
        kept = r.stderr.strip().rsplit(" ", 1)[-1]
        expect(os.listdir(kept) == [], "per-unit reports through distcc: %r" % os.listdir(kept))
        shutil.rmtree(os.path.dirname(kept))
    finally:
        try:
            os.kill(int(read(pidfile).strip()), signal.SIGTERM)
        except (OSError, ValueError):
            pass


@test
def example_make_check():
    """examples/make-check: `make check` fails on the hazard and passes once fixed."""
    d = os.path.join(TMP, "example")
    shutil.copytree(os.path.join(SRC, "examples", "make-check"), d)
    r = subprocess.run(["make", "check", "MTCHECK=" + MTCHECK], cwd=d, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    expect(r.returncode == 2, "make check: exit %d, expected 2: %s" % (r.returncode, r.stderr))
    want = ("node.h:30:21: warning: [MT001] 'meta.count', 'meta.flags' overlay bytes 120-121 of "
            "pointer 'slot[7]' in 'struct node'; its value depends on byte order")
    expect(text_findings(r.stdout) == [want], "findings: %r" % r.stdout)
    expect("mtcheck: 1 finding shown (1 high)\n" in r.stdout, "summary: %r" % r.stdout)
    expect("./table" not in r.stdout, "the program ran after the failed check")
    r = subprocess.run(["make", "check", "MTCHECK=" + MTCHECK, "CPPFLAGS=-DNODE_SEPARATE_META"],
                       cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    expect(r.returncode == 0, "fixed: exit %d: %s" % (r.returncode, r.stderr))
    expect(text_findings(r.stdout) == [] and r.stdout.endswith("./table\nok\n"),
           "fixed: %r" % r.stdout)


main(cleanup=lambda: shutil.rmtree(TMP, ignore_errors=True))

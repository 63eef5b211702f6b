#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The union sanitizer's run-time library, held to its documented output.

usage:
  test_runtime.py --scenarios PROGRAM      the host's rt_scenarios
      [--mtcheck MTCHECK --library LIB]    and mtcheck --runtime-path: LIB
  test_runtime.py --threads PROGRAM        the host's rt_threads
  test_runtime.py --valgrind --scenarios PROGRAM --threads PROGRAM
                                           both under valgrind's memcheck,
                                           whose messages would break the
                                           exact comparisons
  test_runtime.py --cross TARGET --workdir DIR
                                           both, cross-built statically for
                                           TARGET (s390x, ppc64, sparc64:
                                           big-endian; i686: 32-bit; mips:
                                           both; x86_64: the host, static)
                                           and run through scripts/run-foreign
                                           (scripts/cross-matrix runs each)

Every report is compared word for word with the text docs/sanitizer.md
describes, with the values the target's byte order and pointer width give;
every exit status, the summary line, report_limit, halt_on_error, log_path,
and each bad option's message.  Exit status: 0 all passed, 1 a check
failed, 77 the cross compiler or qemu-user is missing (ctest: skipped).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.normpath(os.path.join(HERE, ".."))
RUN_FOREIGN = os.path.normpath(os.path.join(HERE, "..", "..", "scripts", "run-foreign"))

# target: cross compiler, byte order, pointer bytes, Debian package
CROSS = {
    "x86_64": ("gcc", "little", 8, "gcc"),
    "s390x": ("s390x-linux-gnu-gcc", "big", 8, "gcc-s390x-linux-gnu"),
    "i686": ("i686-linux-gnu-gcc", "little", 4, "gcc-i686-linux-gnu"),
    "mips": ("mips-linux-gnu-gcc", "big", 4, "gcc-mips-linux-gnu"),
    "ppc64": ("powerpc64-linux-gnu-gcc", "big", 8, "gcc-powerpc64-linux-gnu"),
    "sparc64": ("sparc64-linux-gnu-gcc", "big", 8, "gcc-sparc64-linux-gnu"),
}

OVERLAY_END = "struct maple_range_64: 'meta.end' overlays pointer 'slot[15]' (bytes 248-255)"
OVERLAY_GAP = "struct maple_range_64: 'meta.gap' overlays pointer 'slot[15]' (bytes 248-255)"
STORE_END = "written as 'end' (unsigned char) in struct maple_metadata at mt.c:20:12 in ma_set_meta"
STORE_GAP = "written as 'gap' (unsigned char) in struct maple_metadata at mt.c:21:12 in ma_set_meta"
STORE_B = "written as 'b[0]' (uint8_t) in union u16_bytes at mt.c:40:9 in ma_set_meta"
STORE_ANY = "written as 'lo' (uint16_t) at mt.c:50:3 in ma_set_meta"
OVERLAYS_B = ["union u16_bytes: 'b[0]' overlays 'w' (bytes 0-1)",
              "union u16_bytes: 'b' overlays 'w' (bytes 0-1)"]

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("PASS " + what)
    else:
        failed += 1
        print("FAIL " + what + ("\n" + detail if detail else ""))


class Target:
    def __init__(self, endian, ptr, launcher):
        self.endian = endian
        self.ptr = ptr
        self.launcher = launcher

    def value_line(self, mem):
        """The value line for a load of the bytes mem (in memory order)."""
        le = "0x" + "".join("%02x" % b for b in reversed(mem))
        be = "0x" + "".join("%02x" % b for b in mem)
        if self.endian == "little":
            return "value: %s on this little-endian machine, %s on big-endian" % (le, be)
        return "value: %s on this big-endian machine, %s on little-endian" % (be, le)

    def u16(self, v):
        """The memory bytes of a 2-byte store of v on this target."""
        b = [v & 0xff, v >> 8]
        return b if self.endian == "little" else b[::-1]


def report(head, load, stores, overlays, value):
    lines = ["mtcheck-rt: error: load of %s reads bytes last written through a narrower member" % head,
             "mtcheck-rt:   load at " + load]
    lines += ["mtcheck-rt:   " + s for s in stores]
    lines += ["mtcheck-rt:   overlay: " + o for o in overlays]
    lines.append("mtcheck-rt:   " + value)
    return "\n".join(lines) + "\n"


def summary(n, hidden=0, limit=0):
    s = "mtcheck-rt: summary: %d report%s" % (n, "" if n == 1 else "s")
    if hidden:
        s += ", %d not shown (report_limit=%d)" % (hidden, limit)
    return s + "\n"


def expected_reports(t):
    """scenario -> the reports it makes, in order."""
    p = t.ptr
    slot_head = "'slot' (void *, %d bytes) in struct maple_range_64" % p
    void_head = "void * (%d bytes)" % p
    meta = lambda end: [end, 0] + [0] * (p - 2)
    end_gap = ["byte 0 of %d %s" % (p, STORE_END), "byte 1 of %d %s" % (p, STORE_GAP)]
    both = [OVERLAY_END, OVERLAY_GAP]
    r = {}
    r["pointer"] = [report(slot_head, "mt.c:100:10 in mas_next_slot", end_gap, both,
                           t.value_line(meta(14)))]
    r["pointer_slots"] = [report(void_head, "mt.c:110:22 in mas_slot_locked", end_gap, both,
                                 t.value_line(meta(14)))]
    r["int32"] = [report("uint32_t (4 bytes)", "mt.c:120:14 in u32_read",
                         ["bytes 2-3 of 4 written as 'h[1]' (uint16_t) in union u32_halves "
                          "at mt.c:30:7 in ma_set_meta"],
                         ["union u32_halves: 'h[1]' overlays 'v' (bytes 0-3)"],
                         t.value_line([0, 0] + t.u16(0x1234)))]
    r["int16"] = [report("'w' (uint16_t, 2 bytes) in union u16_bytes", "mt.c:130:14 in u16_read",
                         ["byte 0 of 2 " + STORE_B], OVERLAYS_B, t.value_line([0xab, 0]))]
    r["partial"] = [report("'q' (uint64_t, 8 bytes)", "mt.c:140:5 in q_read",
                           ["bytes 3-4 of 8 " + STORE_ANY], [],
                           t.value_line([0, 0, 0] + t.u16(0x1234) + [0, 0, 0]))]
    r["scattered"] = [report("uint32_t (4 bytes)", "mt.c:120:14 in u32_read",
                             ["bytes 0,2 of 4 " + STORE_B, "byte 1 of 4 " + STORE_END],
                             OVERLAYS_B + [OVERLAY_END], t.value_line([0x11, 0x22, 0x33, 0]))]
    v40 = t.value_line([0, 0x5a] + [0] * 30)
    r["wide40"] = [report("'q' (uint64_t, 40 bytes)", "mt.c:140:5 in q_read",
                          ["byte 1 of 40 " + STORE_B], OVERLAYS_B, v40 + " (the first 32 bytes)")]
    r["clean"] = []
    r["clear_partial"] = [report(slot_head, "mt.c:100:10 in mas_next_slot",
                                 ["byte 1 of %d %s" % (p, STORE_GAP)], [OVERLAY_GAP],
                                 t.value_line(meta(14)))]
    r["copy"] = r["pointer"]
    r["copy_overlap"] = []
    r["dedupe"] = [report(void_head, "mt.c:150:1 in reader_a", end_gap, both, t.value_line(meta(14))),
                   report(void_head, "mt.c:151:1 in reader_b", end_gap, both, t.value_line(meta(14))),
                   report(void_head, "mt.c:151:1 in reader_b",
                          ["byte 0 of %d %s" % (p, STORE_ANY), "byte 1 of %d %s" % (p, STORE_GAP)],
                          [OVERLAY_GAP], t.value_line(meta(2)))]
    r["three"] = [report(void_head, "mt.c:%d:1 in reader_%s" % (150 + i, c), end_gap, both,
                         t.value_line(meta(1))) for i, c in enumerate("abc")]
    r["fork"] = r["dedupe"][:2]  # the parent's, then the child's new pair
    r["high"] = []
    r["large"] = []
    r["restore"] = []
    r["ids"] = []
    r["range"] = []
    return r


def run(t, prog, args, options=None, timeout=300):
    env = dict(os.environ)
    env.pop("MTCHECK_RT_OPTIONS", None)
    if options is not None:
        env["MTCHECK_RT_OPTIONS"] = options
    cmd = t.launcher + [prog] + args
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, "", "timed out"
    return p.returncode, p.stdout, p.stderr


def expect(what, got, rc=0, stderr=None, stdout=None):
    grc, gout, gerr = got
    detail = "exit %d\n--- stdout\n%s--- stderr\n%s" % (grc, gout, gerr)
    ok = grc == rc and (stderr is None or gerr == stderr) and (stdout is None or gout == stdout)
    if not ok and stderr is not None and gerr != stderr:
        detail += "--- expected stderr\n" + stderr
    check(ok, what, detail)


def test_scenarios(t, prog, tmp, options=True):
    """Every scenario; with options, also MTCHECK_RT_OPTIONS and the bad site."""
    reports = expected_reports(t)
    for name, reps in reports.items():
        want = "".join(reps) + (summary(len(reps)) if reps else "")
        if name == "fork":      # the child's summary counts its own report only
            want = reps[0] + reps[1] + summary(1) + summary(1)
        stdout = "main\nafter the first report\n" if name == "three" else "main\n"
        expect("scenario %s: %d report(s)" % (name, len(reps)), run(t, prog, [name]),
               0, want, stdout)
    if not options:
        return
    three = reports["three"]
    expect("report_limit=1: one report shown, two counted",
           run(t, prog, ["three"], "report_limit=1"), 0, three[0] + summary(3, 2, 1))
    expect("report_limit=2,halt_on_error=0",
           run(t, prog, ["three"], "report_limit=2,halt_on_error=0"), 0,
           three[0] + three[1] + summary(3, 1, 2))
    expect("an option given twice: the later wins",
           run(t, prog, ["three"], "halt_on_error=1,halt_on_error=0"), 0,
           "".join(three) + summary(3))
    expect("report_limit=0 is no limit", run(t, prog, ["three"], "report_limit=0"), 0,
           "".join(three) + summary(3))
    expect("halt_on_error=1: exit 3 at the first report",
           run(t, prog, ["three"], "halt_on_error=1"), 3, three[0] + summary(1), "main\n")
    expect("empty options and separators only", run(t, prog, ["pointer"], ":,:"), 0,
           reports["pointer"][0] + summary(1))

    log = os.path.join(tmp, "rt.log")
    if os.path.exists(log):
        os.unlink(log)
    for i in range(2):
        expect("log_path, run %d: nothing on stderr" % (i + 1),
               run(t, prog, ["pointer"], "halt_on_error=0:log_path=" + log), 0, "", "main\n")
    with open(log) as f:
        text = f.read()
    want = (reports["pointer"][0] + summary(1)) * 2
    check(text == want, "log_path appends both runs' reports and summaries",
          "--- got\n%s--- expected\n%s" % (text, want))

    bad = [
        ("foo=1", "unknown option 'foo' (known: halt_on_error, log_path, report_limit)"),
        ("halt_on_error=yes", "halt_on_error=yes: the value must be 0 or 1"),
        ("log_path=/dev/null:halt_on_error=2", "halt_on_error=2: the value must be 0 or 1"),
        ("report_limit=-1", "report_limit=-1: the value must be a non-negative decimal integer (0: no limit)"),
        ("report_limit=12x", "report_limit=12x: the value must be a non-negative decimal integer (0: no limit)"),
        ("report_limit=99999999999999999999999", "report_limit=99999999999999999999999: the value must be a non-negative decimal integer (0: no limit)"),
        ("halt_on_error", "'halt_on_error' is not NAME=VALUE"),
        ("log_path=", "log_path=: the value must be a file name"),
    ]
    for opts, msg in bad:
        expect("MTCHECK_RT_OPTIONS=%s: exit 2 before main" % opts, run(t, prog, ["pointer"], opts),
               2, "mtcheck-rt: MTCHECK_RT_OPTIONS: %s\n" % msg, "")
    missing = os.path.join(tmp, "no-such-dir", "rt.log")
    expect("log_path in a missing directory: exit 2 before main",
           run(t, prog, ["pointer"], "log_path=" + missing), 2,
           "mtcheck-rt: log_path=%s: cannot open: No such file or directory\n" % missing, "")
    expect("a site of an unknown ABI: exit 2", run(t, prog, ["bad_abi"]), 2,
           "mtcheck-rt: an instrumented access has site ABI version 99, and this run-time "
           "library knows version 4 only: compile and link with the plugin and run-time "
           "library of one mtcheck (mtcheck --plugin-path, mtcheck --runtime-path)\n")


def test_threads(t, prog, nthreads=16, iterations=2000):
    rc, out, err = run(t, prog, [str(nthreads), str(iterations)])
    lines = err.splitlines()
    heads = [l for l in lines if l.startswith("mtcheck-rt: error: ")]
    loads = sorted(l for l in lines if l.startswith("mtcheck-rt:   load at "))
    want_loads = sorted(["mtcheck-rt:   load at threads.c:%d:1 in %s" % (100 + i, f)
                         for i in range(nthreads) for f in ("own_reader", "copy_reader")])
    ok = (rc == 0 and out == "main\nthreads: %d done\n" % nthreads and len(heads) == 2 * nthreads
          and loads == want_loads and lines[-1] == summary(2 * nthreads).strip())
    check(ok, "threads: %d threads x %d iterations, exactly one report per load site"
          % (nthreads, iterations),
          "exit %d\n--- stdout\n%s--- stderr\n%s" % (rc, out, err))


def cross_build(target, workdir):
    cc, endian, ptr, package = CROSS[target]
    if not shutil.which(cc):
        print("SKIPPED %s: %s is not installed (Debian: apt-get install %s)" % (target, cc, package))
        sys.exit(77)
    os.makedirs(workdir, exist_ok=True)
    progs = {}
    srcs = [os.path.join(RUNTIME, "src", f) for f in ("rt_shadow.c", "rt_report.c")]
    for prog in ("rt_scenarios", "rt_threads"):
        out = os.path.join(workdir, prog)
        cmd = [cc, "-std=c11", "-O2", "-g", "-Wall", "-Wextra", "-Werror",
               "-pthread", "-static", "-I" + os.path.join(RUNTIME, "include"),
               "-I" + os.path.join(RUNTIME, "src"), os.path.join(HERE, prog + ".c")] + srcs + ["-o", out]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode:
            check(False, "%s: %s builds" % (target, prog), " ".join(cmd) + "\n" + p.stdout)
            sys.exit(1)
        progs[prog] = out
    launcher = [sys.executable, RUN_FOREIGN]
    p = subprocess.run(launcher + ["--print", progs["rt_scenarios"]], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    first = p.stdout.split()[0] if p.stdout.split() else ""
    if p.returncode or (first.startswith("qemu") and not shutil.which(first)):
        print("SKIPPED %s: cannot run its programs here (%s%s; Debian: apt-get install qemu-user)"
              % (target, p.stdout.strip(), p.stderr.strip()))
        sys.exit(77)
    return Target(endian, ptr, launcher), progs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios")
    ap.add_argument("--threads")
    ap.add_argument("--cross", choices=sorted(CROSS))
    ap.add_argument("--workdir")
    ap.add_argument("--valgrind", action="store_true")
    ap.add_argument("--mtcheck")
    ap.add_argument("--library")
    a = ap.parse_args()
    launcher = []
    if a.valgrind:
        if not shutil.which("valgrind"):
            print("SKIPPED: valgrind is not installed (Debian: apt-get install valgrind)")
            return 77
        launcher = ["valgrind", "-q", "--error-exitcode=42", "--leak-check=full",
                    "--errors-for-leak-kinds=definite,indirect"]
    host = Target(sys.byteorder, 8 if sys.maxsize > 2**32 else 4, launcher)
    with tempfile.TemporaryDirectory() as tmp:
        if a.cross:
            t, progs = cross_build(a.cross, a.workdir or os.path.join(tmp, a.cross))
            test_scenarios(t, progs["rt_scenarios"], tmp)
            test_threads(t, progs["rt_threads"])
        if a.scenarios:
            # under memcheck, the scenarios only: the option runs add time, not memory checks
            test_scenarios(host, a.scenarios, tmp, options=not a.valgrind)
        if a.mtcheck:
            p = subprocess.run([a.mtcheck, "--runtime-path"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            want = os.path.realpath(a.library) + "\n"
            check(p.returncode == 0 and p.stdout == want and p.stderr == "",
                  "mtcheck --runtime-path in the build tree: " + want.strip(),
                  "exit %d: %s%s" % (p.returncode, p.stdout, p.stderr))
        if a.threads:
            # memcheck runs one thread at a time: fewer iterations
            test_threads(host, a.threads, 16, 100 if a.valgrind else 2000)
    print("test_runtime: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())

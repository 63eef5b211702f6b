#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mtcheck-sparse against the installed sparse (c2xml).

usage: test_mtcheck_sparse.py MTCHECK-SPARSE MTCHECK SOURCE-DIR

Output is compared exactly: the text a kernel developer sees, the JSON a CI
job reads, the exit status a build acts on.  Bad input and a missing or
failing c2xml each give one clear line.  A differential test holds the
bitfield positions against GCC's own (DWARF, read by mtcheck) for x86-64
and, when the cross compiler is there, for big-endian s390x.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

SPARSE = MTCHECK = CASES = None
SKIP_STATUS = 77    # ctest's SKIP_RETURN_CODE: a test that could not run

MAPLE_WARNING = ("maple_range.c:18:47: warning: [MT001] 'meta.end', 'meta.gap' overlay bytes "
                 "248-249 of pointer 'slot[15]' in 'struct maple_range_64'; its value depends "
                 "on byte order")
MAPLE_NOTE = ("maple_range.c:15:22:    'slot[15]' reads 0x????????????BBAA on little-endian "
              "and 0xAABB???????????? on big-endian (AA = meta.end, BB = meta.gap, ?? = bytes "
              "not written through 'meta')")
MAPLE_TARGET = "maple_range.c:15:22:    this target (x86_64-linux-gnu) is little-endian"
MAPLE = [MAPLE_WARNING, MAPLE_NOTE, MAPLE_TARGET]
MISSING_C2XML = ("mtcheck-sparse: error: maple_range.c: not checked: c2xml ('%s') is not "
                 "installed; it comes with sparse (Debian: apt-get install sparse), or name it "
                 "with --mtcheck-c2xml=PROGRAM")

# GCC-only options of a kernel build, which sparse and mtcheck-sparse pass over
KERNEL_GCC_FLAGS = [
    "-Wp,-MMD,./.maple_range.o.d", "-fno-strict-aliasing", "-fno-common", "-fshort-wchar",
    "-fno-PIE", "-mno-sse", "-mno-mmx", "-mno-sse2", "-mno-3dnow", "-mno-avx",
    "-fcf-protection=none", "-mno-80387", "-mno-fp-ret-in-387", "-mpreferred-stack-boundary=3",
    "-mskip-rax-setup", "-mtune=generic", "-mno-red-zone", "-mcmodel=kernel",
    "-mindirect-branch=thunk-extern", "-mindirect-branch-register", "-fno-jump-tables",
    "--param=allow-store-data-races=0", "--param", "max-inline-insns-single=600",
    "-fstack-protector-strong", "-ftrivial-auto-var-init=zero", "-pg", "-mrecord-mcount",
    "-mfentry", "-DCC_USING_FENTRY", "-fplugin=./scripts/gcc-plugins/stackleak_plugin.so",
    "-fplugin-arg-stackleak_plugin-track-min-size=100", "-fsanitize=kernel-address",
    "-g", "-gdwarf-5", "-O2", "-DKBUILD_MODNAME=\"maple\"", "-D__KBUILD_MODNAME=kmod_maple",
]


def run(args, cwd=None, env=None):
    return subprocess.run([SPARSE] + args, cwd=cwd or CASES, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


def lines(text):
    return text.splitlines()


class Tmp(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="mtcheck-sparse-test.")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, text, mode=0o644):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(text))
        os.chmod(path, mode)
        return path

    def reports(self, path):
        with open(path, encoding="utf-8") as f:
            return [json.loads(l) for l in f.read().splitlines()]


class Text(Tmp):
    def test_maple_warning_reads_like_sparse(self):
        r = run(["maple_range.c"])
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stdout, "")
        self.assertEqual(lines(r.stderr), MAPLE)

    def test_kernel_gcc_flags_do_not_stop_it(self):
        r = run(["-D__linux__", "-Dlinux", "-D__STDC__", "-Dunix", "-D__unix__", "-Wbitwise",
                 "-Wno-return-void", "-Wno-unknown-attribute", "-D__x86_64__", "--arch=x86_64",
                 "-mlittle-endian", "-m64"] + KERNEL_GCC_FLAGS + ["maple_range.c"])
        self.assertEqual((r.returncode, lines(r.stderr)), (0, MAPLE))

    def test_diagnostic_prefix(self):
        r = run(["-fdiagnostic-prefix=sparse", "maple_range.c"])
        self.assertEqual(lines(r.stderr), [
            MAPLE_WARNING.replace(": warning:", ": sparse: warning:"),
            MAPLE_NOTE.replace(":15:22: ", ":15:22: sparse: "),
            MAPLE_TARGET.replace(":15:22: ", ":15:22: sparse: ")])

    def test_tabstop_moves_columns_like_sparse(self):
        # three tabs before 'struct maple_metadata meta': 12 + 22 columns with tabstop 4
        r = run(["-ftabstop=4", "maple_range.c"])
        self.assertEqual(lines(r.stderr), [MAPLE_WARNING.replace(":18:47:", ":18:35:"),
                                           MAPLE_NOTE.replace(":15:22:", ":15:14:"),
                                           MAPLE_TARGET.replace(":15:22:", ":15:14:")])

    def test_target_line_names_the_arch(self):
        r = run(["--arch=s390x", "-mbig-endian", "-m64", "maple_range.c"])
        self.assertEqual(lines(r.stderr), [MAPLE_WARNING, MAPLE_NOTE,
                                           "maple_range.c:15:22:    this target (s390x-linux-gnu) "
                                           "is big-endian"])
        # x86 made big-endian is no target with a name
        r = run(["-mbig-endian", "maple_range.c"])
        self.assertEqual(lines(r.stderr)[2], "maple_range.c:15:22:    this target is big-endian")

    def test_note_severity_and_error_severity(self):
        # byte_view.c's finding has low confidence: --mtcheck-all shows it
        r = run(["--mtcheck-all", "byte_view.c"])
        self.assertEqual((r.returncode, lines(r.stderr)[0]), (0, (
            "byte_view.c:7:23: note: [MT004] 'bytes[0]', 'bytes[1]', 'bytes[2]', 'bytes[3]' "
            "overlay bytes 0-3 of integer 'addr' in 'union ipv4'; its value depends on byte order")))
        # the configuration allows the maple overlay and raises MT004 to an error,
        # which still does not fail the run without --mtcheck-fail-on
        r = run(["--mtcheck-all", "--mtcheck-config=configs/allow-maple.yaml", "allowed.c"])
        self.assertEqual(r.returncode, 0)
        self.assertEqual(len(lines(r.stderr)), 3)
        self.assertTrue(lines(r.stderr)[0].startswith("allowed.c:25:23: error: [MT004] "))

    def test_rules_switched_off(self):
        r = run(["--mtcheck-disable=MT001", "maple_range.c"])
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))
        r = run(["--mtcheck-disable=MT001", "--mtcheck-enable=MT001", "maple_range.c"])
        self.assertEqual(lines(r.stderr), MAPLE)

    def test_confidence_threshold(self):
        # maple_range.c high, u64_halves.c medium, ptr_u32.c low
        first = lambda r: [l.split(": ", 2)[1] + ":" + l.split(":")[0] for l in lines(r.stderr)
                           if ": warning: " in l]
        cases = ["maple_range.c", "u64_halves.c", "ptr_u32.c"]
        self.assertEqual(first(run(cases)), ["warning:maple_range.c", "warning:u64_halves.c"])
        self.assertEqual(first(run(["--mtcheck-min-confidence=high"] + cases)),
                         ["warning:maple_range.c"])
        self.assertEqual(first(run(["--mtcheck-min-confidence=low"] + cases)),
                         ["warning:maple_range.c", "warning:u64_halves.c", "warning:ptr_u32.c"])
        self.assertEqual(first(run(["--mtcheck-all"] + cases)),
                         ["warning:maple_range.c", "warning:u64_halves.c", "warning:ptr_u32.c"])
        # the JSON report has every finding, whatever is shown
        r = run(["--mtcheck-min-confidence=high", "--mtcheck-json=-", "ptr_u32.c"])
        self.assertEqual((r.stderr, [f["confidence"] for f in json.loads(r.stdout)["findings"]]),
                         ("", ["low"]))
        r = run(["--mtcheck-min-confidence=most", "ptr_u32.c"])
        self.assertEqual((r.returncode, lines(r.stderr)), (1, [
            "mtcheck-sparse: error: --mtcheck-min-confidence: 'most' is not low, medium or high"]))

    def test_version_and_help(self):
        r = run(["--version"])
        self.assertEqual((r.returncode, r.stdout),
                         (0, "mtcheck-sparse 0.1.0 (layouts from sparse's c2xml)\n"))
        r = run(["--mtcheck-help"])
        self.assertEqual(r.returncode, 0)
        self.assertIn("--mtcheck-json=FILE", r.stdout)
        self.assertIn("make C=1 CHECK=mtcheck-sparse", r.stdout)

    def test_no_input_is_no_work(self):
        r = run(["--arch=s390x", "-m64"])
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))


class ExitStatus(Tmp):
    def test_fail_on(self):
        self.assertEqual(run(["--mtcheck-fail-on=warning", "maple_range.c"]).returncode, 1)
        self.assertEqual(run(["--mtcheck-fail-on=error", "maple_range.c"]).returncode, 0)
        self.assertEqual(run(["--mtcheck-fail-on=warning", "byte_view.c"]).returncode, 0)
        self.assertEqual(run(["--mtcheck-fail-on=note", "--mtcheck-all", "byte_view.c"]).returncode, 1)
        self.assertEqual(run(["--mtcheck-fail-on=warning", "same_width.c"]).returncode, 0)

    def test_fail_on_counts_what_is_shown(self):
        # byte_view.c: a low-confidence note, hidden by default and not counted
        r = run(["--mtcheck-fail-on=note", "byte_view.c"])
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        r = run(["--mtcheck-fail-on=warning", "--mtcheck-min-confidence=high", "u64_halves.c"])
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        r = run(["--mtcheck-fail-on=warning", "--mtcheck-min-confidence=medium", "u64_halves.c"])
        self.assertEqual(r.returncode, 1)

    def test_unknown_mtcheck_option(self):
        r = run(["--mtcheck-jsn=x", "maple_range.c"])
        self.assertEqual((r.returncode, r.stdout, lines(r.stderr)), (1, "", [
            "mtcheck-sparse: error: unknown option '--mtcheck-jsn=x' "
            "(--mtcheck-help lists mtcheck's options)"]))


class Json(Tmp):
    def test_reports_append_one_line_per_file(self):
        out = os.path.join(self.tmp, "mtcheck.jsonl")
        for flags in ([], ["--arch=s390x", "-mbig-endian", "-m64"], ["-m32"]):
            r = run(["--mtcheck-quiet", "--mtcheck-json=" + out] + flags + ["maple_range.c"])
            self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))
        le, be, m32 = self.reports(out)
        for rep in (le, be, m32):
            self.assertEqual(rep["version"], 1)
            self.assertEqual(rep["tool"]["name"], "mtcheck")
            self.assertEqual(len(rep["findings"]), 1)
            f = rep["findings"][0]
            self.assertEqual((f["rule"], f["record"], f["frontend"], f["input"]),
                             ("MT001", "struct maple_range_64", "sparse", "maple_range.c"))
            self.assertEqual(f["location"], {"file": "maple_range.c", "line": 18, "column": 47})
            self.assertEqual([n["path"] for n in f["narrow"]], ["meta.end", "meta.gap"])
        self.assertEqual(le["findings"][0]["target"],
                         {"endian": "little", "pointer_bits": 64, "triple": "x86_64-linux-gnu"})
        self.assertEqual(be["findings"][0]["target"],
                         {"endian": "big", "pointer_bits": 64, "triple": "s390x-linux-gnu"})
        self.assertEqual(m32["findings"][0]["target"],
                         {"endian": "little", "pointer_bits": 32, "triple": "i686-linux-gnu"})
        self.assertEqual((le["findings"][0]["wide"]["offset"], le["findings"][0]["wide"]["size"]),
                         (248, 8))
        self.assertEqual((m32["findings"][0]["wide"]["offset"], m32["findings"][0]["wide"]["size"]),
                         (124, 4))
        self.assertEqual(m32["findings"][0]["little_endian"], "0x????BBAA")

    def test_clean_file_still_reports(self):
        out = os.path.join(self.tmp, "r.jsonl")
        r = run(["--mtcheck-json=" + out, "same_width.c"])
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        self.assertEqual(self.reports(out)[0]["findings"], [])

    def test_json_on_stdout(self):
        r = run(["--mtcheck-quiet", "--mtcheck-json=-", "ptr_u32.c", "u64_halves.c"])
        reps = [json.loads(l) for l in lines(r.stdout)]
        self.assertEqual([rep["findings"][0]["record"] for rep in reps],
                         ["struct handle", "union u64_halves"])

    def test_parallel_jobs_do_not_interleave(self):
        out = os.path.join(self.tmp, "all.jsonl")
        procs = [subprocess.Popen([SPARSE, "--mtcheck-quiet", "--mtcheck-json=" + out, case],
                                  cwd=CASES)
                 for case in ["million.c", "nested_views.c", "packed.c", "maple_range.c"] * 4]
        self.assertEqual([p.wait() for p in procs], [0] * 16)
        reps = self.reports(out)
        self.assertEqual(len(reps), 16)
        self.assertEqual(sorted(rep["findings"][0]["input"] for rep in reps),
                         sorted(["million.c", "nested_views.c", "packed.c", "maple_range.c"] * 4))

    def test_json_lines_merge(self):
        """mtcheck --merge reads the JSON Lines file: each finding once, sorted"""
        out = os.path.join(self.tmp, "m.jsonl")
        for case in ["u64_halves.c", "ptr_u32.c", "u64_halves.c"]:
            self.assertEqual(run(["--mtcheck-quiet", "--mtcheck-json=" + out, case]).returncode, 0)
        reps = self.reports(out)
        self.assertEqual(len(reps), 3)
        m = subprocess.run([MTCHECK, "--merge", "--format=json", out], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        self.assertEqual((m.returncode, m.stderr), (1, ""))
        want = sorted(reps[0]["findings"] + reps[1]["findings"],
                      key=lambda f: (f["location"]["file"], f["location"]["line"]))
        self.assertEqual(json.loads(m.stdout)["findings"], want)

    def test_json_file_that_cannot_be_written(self):
        r = run(["--mtcheck-quiet", "--mtcheck-json=/nonexistent/dir/r.jsonl", "maple_range.c"])
        self.assertEqual((r.returncode, lines(r.stderr)), (1, [
            "mtcheck-sparse: error: /nonexistent/dir/r.jsonl: No such file or directory"]))

    def test_typedef_from_header(self):
        self.write("handle.h", """\
            typedef struct {
            \tunion {
            \t\tvoid *ptr;
            \t\tunsigned int id;
            \t};
            } handle_t;
            """)
        self.write("user.c", '#include "handle.h"\nhandle_t *handle_get(int n);\n')
        r = run(["--mtcheck-quiet", "--mtcheck-json=-", "user.c"], cwd=self.tmp)
        f = json.loads(r.stdout)["findings"][0]
        self.assertEqual((f["rule"], f["record"], f["wide"]["path"], f["location"]),
                         ("MT001", "handle_t", "ptr",
                          {"file": "handle.h", "line": 4, "column": 30}))


class BadInput(Tmp):
    def test_unparsable_source(self):
        self.write("bad.c", "struct s { int a;\n\tint b c; };\n")
        out = os.path.join(self.tmp, "r.jsonl")
        r = run(["--mtcheck-json=" + out, "bad.c"], cwd=self.tmp)
        err = lines(r.stderr)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        # sparse's own errors first, then one line naming the file
        sparse_errors = [l for l in err[:-1] if ": error: " in l]
        self.assertEqual(sparse_errors, err[:-1])
        self.assertTrue(all(l.startswith("bad.c:2:") for l in sparse_errors))
        self.assertEqual(err[-1], "mtcheck-sparse: error: bad.c: not checked: sparse reported "
                                  "%d errors" % len(sparse_errors))
        self.assertFalse(os.path.exists(out))

    def test_other_files_are_still_checked(self):
        self.write("bad.c", "int x = ;\n")
        shutil.copy(os.path.join(CASES, "ptr_u32.c"), self.tmp)
        r = run(["--mtcheck-all", "bad.c", "ptr_u32.c"], cwd=self.tmp)
        err = lines(r.stderr)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(err[-4], "mtcheck-sparse: error: bad.c: not checked: sparse reported "
                                  "1 error")
        self.assertTrue(err[-3].startswith("ptr_u32.c:9:26: warning: [MT001] 'id' overlays"))

    def test_what_cannot_be_checked_is_refused(self):
        # a directory, a FIFO (c2xml would wait on it forever), a device
        fifo = os.path.join(self.tmp, "pipe.c")
        os.mkfifo(fifo)
        zero = os.path.join(self.tmp, "zero.c")
        os.symlink("/dev/zero", zero)
        for path, kind in ((self.tmp, ""), (fifo, " (a FIFO)"), (zero, " (a character device)")):
            r = subprocess.run([SPARSE, path], cwd=CASES, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=60)
            self.assertEqual((r.returncode, r.stdout, lines(r.stderr)), (1, "", [
                "mtcheck-sparse: error: %s: not a regular file%s" % (path, kind)]))
        # the others are still checked
        r = run([self.tmp, "maple_range.c"])
        self.assertEqual(r.returncode, 1)
        self.assertTrue(lines(r.stderr)[1].startswith("maple_range.c:"), r.stderr)

    def test_missing_source(self):
        r = run(["nonexistent.c"])
        self.assertEqual((r.returncode, lines(r.stderr)), (1, [
            "mtcheck-sparse: error: nonexistent.c: No such file or directory"]))

    def test_source_on_stdin(self):
        r = run(["-"])
        self.assertEqual((r.returncode, lines(r.stderr)), (1, [
            "mtcheck-sparse: error: -: not checked: the source cannot come from standard "
            "input, which carries mtcheck's target probe"]))

    def test_unknown_arch_is_sparse_error(self):
        r = run(["--arch=ppc64le", "maple_range.c"])
        self.assertEqual((r.returncode, lines(r.stderr)), (1, [
            "invalid architecture: ppc64le",
            "mtcheck-sparse: error: maple_range.c: not checked: c2xml stopped with exit "
            "status 1"]))


class C2xml(Tmp):
    def test_missing_c2xml(self):
        r = run(["--mtcheck-c2xml=/nonexistent/c2xml", "maple_range.c"])
        self.assertEqual((r.returncode, lines(r.stderr)),
                         (1, [MISSING_C2XML % "/nonexistent/c2xml"]))
        env = dict(os.environ, PATH=self.tmp)
        env.pop("MTCHECK_C2XML", None)
        r = run(["maple_range.c"], env=env)
        self.assertEqual((r.returncode, lines(r.stderr)), (1, [MISSING_C2XML % "c2xml"]))
        r = run(["maple_range.c"], env=dict(os.environ, MTCHECK_C2XML="/no/c2xml"))
        self.assertEqual(lines(r.stderr), [MISSING_C2XML % "/no/c2xml"])

    def test_kernel_probe_sees_a_broken_checker(self):
        # the kernel disables C=1 when the probe's output says "error"
        r = run(["--mtcheck-c2xml=/nonexistent/c2xml", "maple_range.c"])
        self.assertIn("error", r.stdout + r.stderr)

    def test_crashing_c2xml(self):
        fake = self.write("c2xml", "#!/bin/sh\necho 'warning: about to fail' >&2\nkill -SEGV $$\n",
                          0o755)
        r = run(["--mtcheck-c2xml=" + fake, "maple_range.c"])
        self.assertEqual((r.returncode, lines(r.stderr)), (1, [
            "warning: about to fail",
            "mtcheck-sparse: error: maple_range.c: not checked: %s was killed by signal 11 "
            "(Segmentation fault)" % fake]))

    def test_c2xml_printing_garbage(self):
        fake = self.write("c2xml", "#!/bin/sh\necho 'not xml'\n", 0o755)
        r = run(["--mtcheck-c2xml=" + fake, "maple_range.c"])
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(lines(r.stderr)), 1)
        self.assertTrue(lines(r.stderr)[0].startswith(
            "mtcheck-sparse: error: maple_range.c: c2xml printed no valid XML (line 1: "))

    def test_c2xml_without_the_probe(self):
        fake = self.write("c2xml", "#!/bin/sh\nprintf '<parse/>\\n'\n", 0o755)
        r = run(["--mtcheck-c2xml=" + fake, "maple_range.c"])
        self.assertEqual((r.returncode, lines(r.stderr)), (1, [
            "mtcheck-sparse: error: maple_range.c: c2xml's output lacks the target probe "
            "(did sparse parse standard input?)"]))

    def test_arguments_reach_c2xml_unchanged(self):
        log = os.path.join(self.tmp, "argv")
        fake = self.write("c2xml", '#!/bin/sh\nfor a; do echo "$a"; done > %s\n'
                          'exec c2xml "$@"\n' % log, 0o755)
        r = run(["--mtcheck-c2xml=" + fake, "--mtcheck-quiet", "-I", "inc", "--arch=s390x",
                 "-mbig-endian", "-fplugin-arg-x-y", "maple_range.c", "-m64"])
        self.assertEqual(r.returncode, 0)
        with open(log, encoding="utf-8") as f:
            self.assertEqual(f.read().splitlines(), [
                "-D__typeof_unqual__=__typeof__", "-D__typeof_unqual=__typeof__",
                "-I", "inc", "--arch=s390x", "-mbig-endian", "-fplugin-arg-x-y", "-m64",
                "maple_range.c", "-"])


class KernelProbe(Tmp):
    """scripts/checker-valid.sh: $(CHECK) on a file using __typeof_unqual__,
    no flags, no .c suffix; the kernel turns C=1 off if 'error' appears."""

    def test_probe_passes(self):
        probe = self.write("tmp.XXXXXXXXXX", """\
            static inline int u(const int *q)
            {
            \t__typeof_unqual__(*q) v = *q;
            \treturn v;
            }
            """)
        r = run([probe], cwd=self.tmp)
        self.assertNotIn("error", r.stdout + r.stderr)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))

    def test_typeof_unqual_in_layouts(self):
        # what the kernel does once the probe passed: unqualified copies of members
        self.write("u.c", """\
            struct maple_metadata { unsigned char end, gap; };
            extern const struct maple_metadata cm;
            struct holder {
            \tunion {
            \t\tunsigned short both;
            \t\t__typeof_unqual__(cm) meta;
            \t};
            };
            """)
        r = run(["--mtcheck-quiet", "--mtcheck-json=-", "u.c"], cwd=self.tmp)
        f = json.loads(r.stdout)["findings"][0]
        self.assertEqual((f["rule"], f["wide"]["path"], [n["path"] for n in f["narrow"]]),
                         ("MT002", "both", ["meta.end", "meta.gap"]))


BITFIELDS = """\
    union reg { unsigned int word; struct { unsigned int type : 4, len : 12, id : 16; } f; };
    union mixed {
    \tunsigned long long q;
    \tstruct { unsigned char a : 3; unsigned short b : 9; unsigned int c : 20;
    \t\t unsigned long long d : 30; } f;
    };
    union pk { unsigned short h;
    \t   struct __attribute__((packed)) { unsigned char lo : 5, hi : 3; unsigned char x; } f; };
    union reg r; union mixed m; union pk p;
    """


def leaves(report):
    return sorted((f["rule"], f["record"], f["little_endian"], f["big_endian"],
                   tuple((l["path"], l["offset"], l.get("bit_offset"), l.get("bit_size"))
                         for l in [f["wide"]] + f["narrow"]))
                  for f in report["findings"])


class Differential(Tmp):
    """Bitfield positions from sparse, corrected for byte order, against GCC's."""

    def compare(self, cc, sparse_flags):
        if not shutil.which(cc):
            self.skipTest("%s is not installed" % cc)
        src = self.write("bf.c", BITFIELDS)
        obj = os.path.join(self.tmp, "bf.o")
        subprocess.run([cc, "-g", "-c", src, "-o", obj], check=True)
        gcc = subprocess.run([MTCHECK, "--format=json", obj], stdout=subprocess.PIPE, text=True)
        r = run(["--mtcheck-quiet", "--mtcheck-json=-"] + sparse_flags + ["bf.c"], cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        want, got = leaves(json.loads(gcc.stdout)), leaves(json.loads(r.stdout))
        self.assertEqual(len(want), 3)
        self.assertEqual(got, want)

    def test_x86_64(self):
        self.compare("gcc", ["--arch=x86_64", "-mlittle-endian", "-m64"])

    def test_s390x(self):
        self.compare("s390x-linux-gnu-gcc", ["--arch=s390x", "-mbig-endian", "-m64"])


def main():
    global SPARSE, MTCHECK, CASES
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    SPARSE, MTCHECK = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    CASES = os.path.join(os.path.abspath(sys.argv[3]), "testcases")
    if not shutil.which("c2xml"):
        print("SKIP: c2xml (Debian package sparse) is not installed")
        return SKIP_STATUS
    prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
    if not prog.result.wasSuccessful():
        return 1
    return SKIP_STATUS if prog.result.skipped else 0


if __name__ == "__main__":
    sys.exit(main())

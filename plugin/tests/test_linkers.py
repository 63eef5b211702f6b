#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The .mtcheck section through each linker Debian 12 has: GNU ld (bfd), gold
and lld.

For each linker:
  - section=on: a program and a shared library linked from two instrumented
    units hold both units' records, byte for byte the objects' sections one
    after the other, and `mtcheck` reads the same findings from them as from
    the two objects; GNU strip (default, --strip-all), the linker's own -s,
    --gc-sections and (gold, lld) --icf=all keep the section;
  - section=exclude (a kernel unit): `-r` of a thin archive keeps the section,
    SHF_EXCLUDE and both records; a final link drops it, with or without a
    linker script, and --orphan-handling=error stays quiet, while the same
    link of a section=on object fails with the linker's orphan error;
  - an `-r` of one unit with and one without SHF_EXCLUDE: what each linker
    makes of the two flags, and what a final link of that keeps (documented
    in docs/build.md).
and once, where llvm-strip is installed: it removes the section unless told
--keep-section=.mtcheck (GNU strip keeps it).

usage: test_linkers.py --gcc GCC --plugin PLUGIN --mtcheck MTCHECK [TEST...]
"""
import argparse
import importlib.machinery
import importlib.util
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def _load_plugin_tests():
    """run-plugin-tests, for its Ctx and helpers"""
    path = os.path.join(HERE, "run-plugin-tests")
    loader = importlib.machinery.SourceFileLoader("run_plugin_tests", path)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


rpt = _load_plugin_tests()
expect_eq, Failure, Skip, sections_of = rpt.expect_eq, rpt.Failure, rpt.Skip, rpt.sections_of

# Two units, each with a finding; u2 has main() so that they link to a program.
UNITS = {"u1.c": "union one { void *p; unsigned char b[2]; };\nunion one g1;\n"
                 "int f1(void) { return g1.b[0]; }\n",
         "u2.c": "union two { unsigned long v; unsigned short h[2]; };\nunion two g2;\n"
                 "int f1(void);\nint main(void) { return f1() + g2.h[0]; }\n"}
# Kernel-like units: data only, so that the script's link makes no segment
# that is both writable and executable (GNU ld warns of one).
KUNITS = {"k1.c": "union one { void *p; unsigned char b[2]; };\nunion one g1;\n",
          "k2.c": "union two { unsigned long v; unsigned short h[2]; };\nunion two g2;\n"}

# The kernel's script names the sections every linker makes (vmlinux.lds's
# ELF_DETAILS: lld reports .symtab, .strtab and .shstrtab as orphans
# otherwise) and discards gold's version note; like vmlinux.lds it names
# no .mtcheck.
LINK_SCRIPT = rpt.LINK_SCRIPT.replace(
    "  /DISCARD/ : { *(.note.GNU-stack) *(.note.gnu.property) *(.eh_frame) }",
    "  .symtab 0 : { *(.symtab) }\n  .strtab 0 : { *(.strtab) }\n  .shstrtab 0 : { *(.shstrtab) }\n"
    "  /DISCARD/ : { *(.note.GNU-stack) *(.note.gnu.property) *(.eh_frame)"
    " *(.note.gnu.gold-version) }")
assert LINK_SCRIPT != rpt.LINK_SCRIPT

# -fuse-ld=NAME, the program GCC runs for it, and the error each gives for
# an orphan section under --orphan-handling=error
LINKERS = {
    "bfd": ("ld.bfd", "ld.bfd: error: unplaced orphan section `.mtcheck' from `on.o'"),
    "gold": ("ld.gold", "ld.gold: error: unplaced orphan section '.mtcheck' from 'on.o'"),
    "lld": ("ld.lld", "ld.lld: error: on.o:(.mtcheck) is being placed in '.mtcheck'"),
}


def section_bytes(ctx, path):
    """the bytes of @path's .mtcheck section"""
    dump, scratch = os.path.join(ctx.tmp, "dump.bin"), os.path.join(ctx.tmp, "scratch.o")
    r = ctx.run(["objcopy", "--dump-section", ".mtcheck=" + dump, path, scratch])
    expect_eq((r.returncode, r.stderr), (0, ""), "objcopy --dump-section .mtcheck " + path)
    with open(dump, "rb") as f:
        data = f.read()
    os.unlink(dump)
    os.unlink(scratch)
    return data


def mtcheck_json(ctx, *files):
    r = ctx.run([ctx.mtcheck, "--format=json", "--all"] + list(files))
    expect_eq((r.returncode, r.stderr), (1, ""), "mtcheck " + " ".join(files))
    return r.stdout


def which_linker(ctx, path):
    """the linker that made @path, from what each leaves in it"""
    r = ctx.run(["readelf", "-SW", "-p", ".comment", path])
    if ".note.gnu.gold-version" in r.stdout:
        return "gold"
    if "Linker: " in r.stdout and "LLD" in r.stdout:
        return "lld"
    return "bfd"


def compile_units(ctx, units, flags, plugin_args=()):
    for name, text in units.items():
        ctx.write(name, text)
        base = name[:-2]
        r = ctx.cc(["-c", name, "-o", base + ".o"] + flags,
                   plugin_args=["diagnostics=off", "json=%s/%s.json" % (ctx.tmp, base)]
                   + list(plugin_args))
        expect_eq((r.returncode, r.stderr), (0, ""), "compiling " + name)
    return [n[:-2] + ".o" for n in units]


def check_linker(ctx, name):
    ld, orphan_error = LINKERS[name]
    for tool in (ld, "ar", "readelf", "objcopy", "strip"):
        if not shutil.which(tool):
            raise Skip("%s is not installed" % tool)
    gcc = list(ctx.gcc)
    path = lambda f: os.path.join(ctx.tmp, f)

    # section=on, the default outside the kernel
    objs = compile_units(ctx, UNITS, ["-O2", "-fPIC"])
    want = sorted(rpt.keys_of(rpt.load(path("u1.json"))) + rpt.keys_of(rpt.load(path("u2.json"))))
    expect_eq([k[0] for k in want], ["union one", "union two"], "the units' own reports")
    secs = [sections_of(ctx, path(o)) for o in objs]
    expect_eq([[s[0]] for s in secs], [[("", secs[0][0][1])], [("", secs[1][0][1])]],
              "the objects' sections")
    total = secs[0][0][1] + secs[1][0][1]
    joined = section_bytes(ctx, path("u1.o")) + section_bytes(ctx, path("u2.o"))
    from_objs = mtcheck_json(ctx, *objs)
    expect_eq(rpt.keys_of(json.loads(from_objs)), want, "mtcheck u1.o u2.o")
    links = [("prog", []), ("lib.so", ["-shared"]), ("prog-s", ["-s"]),
             ("prog-gc", ["-Wl,--gc-sections"])]
    if name != "bfd":
        links.append(("prog-icf", ["-Wl,--icf=all"]))
    for out, extra in links:
        r = ctx.run(gcc + ["-fuse-ld=" + name] + extra + ["-o", out] + objs)
        expect_eq((r.returncode, r.stderr), (0, ""), "linking %s with -fuse-ld=%s" % (out, name))
        expect_eq(which_linker(ctx, path(out)), name, "the linker that made " + out)
        expect_eq(sections_of(ctx, path(out)), [("", total)], out + "'s section")
        expect_eq(section_bytes(ctx, path(out)), joined, out + "'s section: the objects' records in order")
        expect_eq(mtcheck_json(ctx, out), from_objs, "mtcheck %s against mtcheck u1.o u2.o" % out)
    for out in ("prog", "lib.so"):
        for how in ([], ["--strip-all"]):
            shutil.copy(path(out), path("stripped"))
            r = ctx.run(["strip"] + how + ["stripped"])
            expect_eq((r.returncode, r.stderr), (0, ""), "strip %r %s" % (how, out))
            expect_eq(sections_of(ctx, path("stripped")), [("", total)],
                      "the section of %s after strip %r" % (out, how))
            expect_eq(mtcheck_json(ctx, "stripped"), from_objs, "mtcheck %s after strip %r" % (out, how))

    # section=exclude, the default in a kernel unit
    kflags = ["-O2", "-fno-asynchronous-unwind-tables", "-fno-pic", "-D__KERNEL__"]
    kobjs = compile_units(ctx, KUNITS, kflags)
    ksecs = [sections_of(ctx, path(o)) for o in kobjs]
    expect_eq([[s[0][0]] for s in ksecs], [["E"], ["E"]], "the kernel units' section flags")
    ktotal = ksecs[0][0][1] + ksecs[1][0][1]
    kjoined = section_bytes(ctx, path("k1.o")) + section_bytes(ctx, path("k2.o"))
    from_kobjs = mtcheck_json(ctx, *kobjs)
    r = ctx.run(["ar", "cDPrST", "built-in.a"] + kobjs)
    expect_eq((r.returncode, r.stderr), (0, ""), "ar cDPrST")
    r = ctx.run([ld, "-r", "-o", "vmlinux.o", "--whole-archive", "built-in.a", "--no-whole-archive"])
    expect_eq((r.returncode, r.stderr), (0, ""), ld + " -r")
    expect_eq(sections_of(ctx, path("vmlinux.o")), [("E", ktotal)], "the section of %s -r's output" % ld)
    expect_eq(section_bytes(ctx, path("vmlinux.o")), kjoined, "%s -r: the records in order" % ld)
    expect_eq(mtcheck_json(ctx, "vmlinux.o"), from_kobjs, "mtcheck on %s -r's output" % ld)
    ctx.write("link.lds", LINK_SCRIPT)
    link = [ld, "--orphan-handling=error", "-T", "link.lds", "-e", "0"]
    for out, inputs in (("vmlinux", ["vmlinux.o"]), ("vmlinux-objs", kobjs)):
        r = ctx.run(link + ["-o", out] + inputs)
        expect_eq((r.returncode, r.stderr), (0, ""), "%s --orphan-handling=error of %r" % (ld, inputs))
        expect_eq(sections_of(ctx, path(out)), [], out + "'s section")
    # the kernel units compiled for a program: its final link drops the section too
    pobjs = compile_units(ctx, UNITS, ["-O2", "-fPIC", "-D__KERNEL__"])
    for out, extra in (("kprog", []), ("klib.so", ["-shared"])):
        r = ctx.run(gcc + ["-fuse-ld=" + name] + extra + ["-o", out] + pobjs)
        expect_eq((r.returncode, r.stderr), (0, ""), "linking %s from kernel units" % out)
        expect_eq(sections_of(ctx, path(out)), [], out + "'s section, from SHF_EXCLUDE inputs")
    # a section=on object in the same script link: the orphan error
    r = ctx.cc(["-c", "k1.c", "-o", "on.o"] + kflags, plugin_args=["diagnostics=off", "section=on"])
    expect_eq((r.returncode, r.stderr), (0, ""), "compiling k1.c with section=on")
    r = ctx.run(link + ["-o", "vmlinux-on", "on.o"])
    expect_eq((r.returncode, r.stderr.splitlines()), (1, [orphan_error]),
              "%s --orphan-handling=error of a section=on object" % ld)

    # -r of a unit with and a unit without SHF_EXCLUDE, in both orders
    on, off = sections_of(ctx, path("on.o"))[0][1], ksecs[1][0][1]
    # and what a final link of that keeps
    mixed = {"bfd": (([("", on), ("E", off)], [("", on)]),        # two sections
                     ([("E", off), ("", on)], [("", on)])),
             "gold": (([("", on + off)], [("", on + off)]),        # the first input's flags
                      ([("E", on + off)], [])),
             "lld": (([("E", on + off)], []),                      # SHF_EXCLUDE wins
                     ([("E", on + off)], []))}[name]
    for inputs, (want_r, want_final) in zip((["on.o", "k2.o"], ["k2.o", "on.o"]), mixed):
        r = ctx.run([ld, "-r", "-o", "mixed.o"] + inputs)
        expect_eq((r.returncode, r.stderr), (0, ""), "%s -r %r" % (ld, inputs))
        expect_eq(sections_of(ctx, path("mixed.o")), want_r, "%s -r %r: the sections" % (ld, inputs))
        expect_eq(mtcheck_json(ctx, "mixed.o"), mtcheck_json(ctx, *inputs),
                  "mtcheck on %s -r %r" % (ld, inputs))
        r = ctx.run([ld, "-e", "0", "-o", "mixed", "mixed.o"])
        expect_eq((r.returncode, r.stderr), (0, ""), "%s of %s -r %r" % (ld, ld, inputs))
        expect_eq(sections_of(ctx, path("mixed")), want_final,
                  "the final link of %s -r %r: the sections" % (ld, inputs))


def check_llvm_strip(ctx):
    """llvm-strip (package llvm-14, not among mtcheck's dependencies): when it is there"""
    llvm_strip = shutil.which("llvm-strip") or shutil.which("llvm-strip-14")
    if not llvm_strip:
        raise rpt.NotApplicable("llvm-strip is not installed")
    objs = compile_units(ctx, UNITS, ["-O2", "-fPIC"])
    r = ctx.run(list(ctx.gcc) + ["-o", "prog"] + objs)
    expect_eq((r.returncode, r.stderr), (0, ""), "linking prog")
    size = sections_of(ctx, os.path.join(ctx.tmp, "prog"))
    expect_eq(len(size), 1, "prog's sections")
    for how, want in (([], []), (["--strip-all"], []), (["--strip-debug"], size),
                      (["--keep-section=.mtcheck"], size)):
        shutil.copy(os.path.join(ctx.tmp, "prog"), os.path.join(ctx.tmp, "stripped"))
        r = ctx.run([llvm_strip] + how + ["stripped"])
        expect_eq((r.returncode, r.stderr), (0, ""), "llvm-strip %r" % how)
        expect_eq(sections_of(ctx, os.path.join(ctx.tmp, "stripped")), want,
                  "the section after llvm-strip %r" % how)


TESTS = [("bfd", lambda ctx: check_linker(ctx, "bfd")),
         ("gold", lambda ctx: check_linker(ctx, "gold")),
         ("lld", lambda ctx: check_linker(ctx, "lld")),
         ("llvm-strip", check_llvm_strip)]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gcc", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--mtcheck", required=True)
    ap.add_argument("tests", nargs="*", help="bfd, gold, lld, llvm-strip (default: all)")
    args = ap.parse_args()
    ns = argparse.Namespace(gcc=args.gcc, plugin=args.plugin, mtcheck=args.mtcheck, other=[],
                            main=True)
    passed = failed = skipped = na = 0
    for name, fn in TESTS:
        if args.tests and name not in args.tests:
            continue
        with tempfile.TemporaryDirectory(prefix="mtcheck-linkers.") as tmp:
            try:
                fn(rpt.Ctx(ns, tmp))
            except Skip as e:
                skipped += 1
                print("SKIP %s: %s" % (name, e))
                continue
            except rpt.NotApplicable as e:
                na += 1
                print("N/A %s: %s" % (name, e))
                continue
            except (Failure, OSError, ValueError, KeyError, IndexError) as e:
                failed += 1
                print("FAIL %s\n    %s" % (name, str(e).replace("\n", "\n    ")))
                continue
        passed += 1
        print("PASS %s" % name)
    print("%d passed, %d failed%s%s" % (passed, failed, ", %d skipped" % skipped if skipped else "",
                                        ", %d not applicable" % na if na else ""))
    return 1 if failed else rpt.SKIP_STATUS if skipped else 0


if __name__ == "__main__":
    sys.exit(main())

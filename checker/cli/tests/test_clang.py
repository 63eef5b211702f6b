#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of the libclang source front end: several targets, adaptive code,
target-dependent overlays, bitfields against what GCC really lays out, and
sources that do not parse.

usage: test_clang.py MTCHECK SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from harness import NotApplicable, SkipTest, expect, main, runner, test

MTCHECK, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
MULTI = os.path.join(SRC, "testcases", "multi")
CASES = os.path.join(SRC, "testcases")
run = runner(MTCHECK)
TMP = tempfile.mkdtemp(prefix="mtcheck-clang.")
LE_BE = "--target=x86_64-linux-gnu,s390x-linux-gnu"


def report(*args):
    r = run("--format=json", *args)
    expect(r.returncode in (0, 1), "exit %d: %s" % (r.returncode, r.stderr))
    return json.loads(r.stdout)["findings"]


def summary(fs):
    return sorted((f["rule"], f["record"], f["wide"]["path"], f["wide"]["offset"],
                   tuple(n["path"] for n in f["narrow"]),
                   tuple(t["triple"] for t in f["target"]), f["confirmed_by_layout"])
                  for f in fs)


@test
def adaptive_unions_are_silent():
    fs = report(LE_BE, os.path.join(MULTI, "adaptive.c"))
    expect(summary(fs) == [
        ("MT002", "union fixed", "v", 0, ("s.lo", "s.hi"),
         ("x86_64-linux-gnu", "s390x-linux-gnu"), True),
        ("MT003", "union fixed_bits", "byte", 0, ("f.ihl", "f.version"),
         ("x86_64-linux-gnu", "s390x-linux-gnu"), True),
    ], summary(fs))
    f = [x for x in fs if x["record"] == "union fixed"][0]
    expect(f["message"].endswith("(confirmed by layout on x86_64-linux-gnu and "
                                 "s390x-linux-gnu)"), f["message"])
    expect((f["little_endian"], f["big_endian"]) == ("0xBBBBBBBBAAAAAAAA", "0xAAAAAAAABBBBBBBB"), f)
    # targets as the compiler reports them, probed, not guessed
    expect(f["target"] == [{"endian": "little", "pointer_bits": 64, "triple": "x86_64-linux-gnu"},
                           {"endian": "big", "pointer_bits": 64, "triple": "s390x-linux-gnu"}],
           f["target"])


@test
def one_byte_order_cannot_prove_adaptation():
    # laid out for one target, the adaptive union is still an overlay of that layout
    fs = report("--target=s390x-linux-gnu", os.path.join(MULTI, "adaptive.c"))
    recs = sorted(f["record"] for f in fs)
    expect(recs == ["union adaptive", "union adaptive_bits", "union fixed", "union fixed_bits"], recs)
    expect(all(f["target"]["endian"] == "big" for f in fs), fs)
    # but the source shows where the declarations adapt: those are low, the others medium
    # (on s390x the #else branch, hi before lo, is compiled)
    conf = sorted((f["record"], f["confidence"], f["evidence"][0]["kind"]) for f in fs)
    expect(conf == [("union adaptive", "low", "byte-order"),
                    ("union adaptive_bits", "low", "byte-order"),
                    ("union fixed", "medium", "view"), ("union fixed_bits", "medium", "view")],
           conf)
    ev = [f["evidence"][0] for f in fs if f["record"] == "union adaptive"][0]
    expect((ev["member"], ev["macro"], ev["location"]["line"]) == ("s.hi", "__BYTE_ORDER__", 10),
           ev)


@test
def system_headers_are_quiet():
    inc = os.path.join(TMP, "sysinc")
    os.makedirs(inc, exist_ok=True)
    with open(os.path.join(inc, "sysu.h"), "w") as fh:
        fh.write("#include <stdint.h>\nunion sys_word { uint64_t v; uint32_t h[2]; };\n")
    src = os.path.join(TMP, "user.c")
    with open(src, "w") as fh:
        fh.write("#include <sysu.h>\nunion user_word { uint64_t v; uint32_t h[2]; };\n"
                 "union sys_word a;\nunion user_word b;\n")
    recs = lambda *a: sorted(f["record"] for f in report(*a))
    expect(recs(src, "--", "-isystem", inc) == ["union user_word"], "system header reported")
    expect(recs("--system-headers", src, "--", "-isystem", inc) ==
           ["union sys_word", "union user_word"], "--system-headers")
    # the same header found with -I is the user's own
    expect(recs(src, "--", "-I", inc) == ["union sys_word", "union user_word"], "-I")


@test
def target_dependent_overlay_mt010():
    fs = report("--target=x86_64-linux-gnu,s390x-linux-gnu,i686-linux-gnu",
                os.path.join(MULTI, "lp64.c"))
    expect(summary(fs) == [("MT010", "union lp", "v", 0, ("half",),
                            ("x86_64-linux-gnu", "s390x-linux-gnu"), True)], summary(fs))
    expect(fs[0]["message"] == "[MT010] 'half' overlays bytes 0-3 of integer 'v' in 'union lp' on "
           "x86_64-linux-gnu and s390x-linux-gnu only; i686-linux-gnu lays these members out "
           "without the overlay", fs[0]["message"])
    expect([(t["triple"], t["pointer_bits"]) for t in fs[0]["absent_targets"]] ==
           [("i686-linux-gnu", 32)], fs[0].get("absent_targets"))
    # --merge makes the words again from the facts: the same message, in text too
    path = os.path.join(TMP, "mt010.json")
    with open(path, "w") as fh:
        json.dump({"version": 1, "tool": {"name": "mtcheck", "version": "0"}, "findings": fs}, fh)
    merged = run("--merge", "--format=json", path)
    expect(merged.returncode == 1, "exit %d: %s" % (merged.returncode, merged.stderr))
    mfs = json.loads(merged.stdout)["findings"]
    expect([f["message"] for f in mfs] == [fs[0]["message"]], mfs)
    text = run("--merge", path).stdout
    expect(fs[0]["message"] in text and fs[0]["note"] in text, text)
    # with 64-bit targets only, the same overlay is an ordinary MT002
    fs = report(LE_BE, os.path.join(MULTI, "lp64.c"))
    expect([f["rule"] for f in fs] == ["MT002"], fs)


@test
def maple_on_three_targets():
    fs = report("--target=x86_64-linux-gnu,s390x-linux-gnu,i686-linux-gnu",
                os.path.join(MULTI, "maple_kernel.c"))
    expect(summary(fs) == [
        ("MT001", "struct maple_range_64", "slot[15]", 248, ("meta.end", "meta.gap"),
         ("x86_64-linux-gnu", "s390x-linux-gnu"), True),
        ("MT001", "struct maple_range_64", "slot[31]", 252, ("meta.end", "meta.gap"),
         ("i686-linux-gnu",), False),
    ], summary(fs))
    f32 = [f for f in fs if f["wide"]["path"] == "slot[31]"][0]
    expect((f32["little_endian"], f32["big_endian"]) == ("0x????BBAA", "0xAABB????"), f32)
    # the node fixed at 16 slots: slot[15] at offset 124 on 32-bit
    fs = report("--target=x86_64-linux-gnu,s390x-linux-gnu,i686-linux-gnu",
                os.path.join(CASES, "maple_range.c"))
    expect(sorted((f["wide"]["path"], f["wide"]["offset"]) for f in fs) ==
           [("slot[15]", 124), ("slot[15]", 248)], fs)


@test
def bitfields_match_gcc_on_s390x():
    if not shutil.which("s390x-linux-gnu-gcc"):
        raise SkipTest("s390x-linux-gnu-gcc not installed (apt-get install gcc-s390x-linux-gnu)")
    src = os.path.join(CASES, "bitfield_word.c")
    obj = os.path.join(TMP, "bw-s390x.o")
    subprocess.run(["s390x-linux-gnu-gcc", "-g", "-c", src, "-o", obj], check=True)

    def bits(fs):
        return sorted((f["record"], n["path"], n["bit_offset"], n["bit_size"])
                      for f in fs for n in f["narrow"] + [f["wide"]] if "bit_size" in n)
    from_gcc = bits(report(obj))
    from_clang = bits(report("--target=s390x-linux-gnu", src))
    expect(from_gcc and from_gcc == from_clang, "gcc %s\nclang %s" % (from_gcc, from_clang))
    # big-endian allocates from the most significant bit: f.type (4 bits, first) is bits 4-7
    expect(("union reg", "f.type", 4, 4) in from_clang, from_clang)
    host = bits(report(src))
    expect(("union reg", "f.type", 0, 4) in host, host)


@test
def source_that_does_not_parse():
    bad = os.path.join(MULTI, "broken.c")
    good = os.path.join(CASES, "u64_halves.c")
    r = run("--format=json", bad, good)
    expect(r.returncode == 2 and r.stdout == "", "exit %d, stdout %r" % (r.returncode, r.stdout))
    expect(r.stderr.startswith("mtcheck: %s: clang cannot parse it for x86_64-linux-gnu (1 error):\n"
                               "%s:4:2: error: unknown type name 'undefined_type_t'" % (bad, bad)),
           r.stderr)
    r = run("--format=json", "--keep-going", bad, good)
    expect(r.returncode == 2 and [f["record"] for f in json.loads(r.stdout)["findings"]] ==
           ["union u64_halves"], r.stdout)


@test
def compiler_flags_after_dashdash():
    src = os.path.join(TMP, "flags.c")
    with open(src, "w") as fh:
        fh.write("#include <stdint.h>\nunion u {\n\tWIDE v;\n\tuint8_t b[2];\n};\nunion u x;\n")
    r = run("--format=json", src, "--", "-DWIDE=uint16_t", "-fconserve-stack",
            "-mrecord-mcount", "-fno-allow-store-data-races")
    expect(r.returncode == 0, r.stderr)
    # one note naming every dropped flag, whatever order clang complained in
    prefix = "mtcheck: note: clang does not know these compiler flags and ignored them: "
    expect(r.stderr.startswith(prefix) and r.stderr.count("\n") == 1, r.stderr)
    expect(sorted(r.stderr[len(prefix):].split()) ==
           ["-fconserve-stack", "-fno-allow-store-data-races", "-mrecord-mcount"], r.stderr)
    f = json.loads(r.stdout)["findings"]
    expect([(x["rule"], x["wide"]["type"]) for x in f] == [("MT004", "uint16_t")], f)


@test
def compile_commands_json():
    proj = os.path.join(TMP, "proj")
    os.makedirs(os.path.join(proj, "include"), exist_ok=True)
    with open(os.path.join(proj, "include", "cfg.h"), "w") as fh:
        fh.write("#define NARROW uint16_t\n")
    with open(os.path.join(proj, "a.c"), "w") as fh:
        fh.write("#include <stdint.h>\n#include \"cfg.h\"\nunion w {\n\tuint64_t v;\n"
                 "\tNARROW n[4];\n};\nunion w x;\n")
    db = [{"directory": proj, "file": "a.c",
           "arguments": ["gcc", "-Iinclude", "-fconserve-stack", "-c", "a.c", "-o", "a.o"]}]
    build = os.path.join(proj, "build")
    os.makedirs(build, exist_ok=True)
    with open(os.path.join(build, "compile_commands.json"), "w") as fh:
        json.dump(db, fh)
    r = run("--format=json", "-p", build, os.path.join(proj, "a.c"))
    expect(r.returncode == 1, r.stderr)
    f = json.loads(r.stdout)["findings"]
    expect([(x["rule"], [n["path"] for n in x["narrow"]]) for x in f] ==
           [("MT002", ["n[0]", "n[1]", "n[2]", "n[3]"])], f)
    r = run("-p", os.path.join(TMP, "nodb"), os.path.join(proj, "a.c"))
    expect(r.returncode == 2 and "no readable compile_commands.json" in r.stderr, r.stderr)


# what a GCC kernel build passes and clang rejects or does not know
GCC_ONLY = ["-ftrivial-auto-var-init=zero", "-fzero-call-used-regs=used-gpr",
            "-mindirect-branch=thunk-extern", "-mfunction-return=thunk-extern",
            "-mrecord-mcount", "-fconserve-stack", "-fno-allow-store-data-races",
            "-mindirect-branch-register", "-fno-var-tracking-assignments",
            "-Wno-maybe-uninitialized", "-mpreferred-stack-boundary=3", "-mskip-rax-setup",
            "--param=allow-store-data-races=0", "-fplugin=/nowhere/mtcheck.so",
            "-fplugin-arg-mtcheck-json=/nowhere/"]


def gcc_db(name, compiler, flags, source):
    """A project with one source and a compile database of a GCC build."""
    proj = os.path.join(TMP, name)
    os.makedirs(os.path.join(proj, "build"), exist_ok=True)
    with open(os.path.join(proj, "a.c"), "w") as fh:
        fh.write(source)
    cmd = [compiler, "-Wp,-MMD,.a.o.d", "-nostdinc"] + flags + ["-c", "-o", "a.o", "a.c"]
    with open(os.path.join(proj, "build", "compile_commands.json"), "w") as fh:
        json.dump([{"directory": proj, "file": "a.c", "command": " ".join(cmd)}], fh)
    return proj


SHORT_ENUMS = ("enum half { LO, HI };\nunion e {\n\tunsigned int v;\n"
               "\tstruct { enum half lo, hi; } s;\n};\nunion e x;\n")


@test
def gcc_kernel_flags_dropped_layout_flags_kept():
    # -fshort-enums makes the enums one byte: two of them overlay v's low bytes
    proj = gcc_db("gccdb", "gcc", ["-fshort-enums", "-DSTRAY=1"] + GCC_ONLY, SHORT_ENUMS)
    build = os.path.join(proj, "build")
    r = run("--format=json", "-p", build, os.path.join(proj, "a.c"))
    expect(r.returncode == 1, r.stderr)
    expect(r.stderr == "mtcheck: note: 15 flags of %s/compile_commands.json change neither "
           "preprocessing nor layout and were not given to clang: "
           "--param=allow-store-data-races=0 -Wno-maybe-uninitialized -fconserve-stack "
           "-fno-allow-store-data-races -fno-var-tracking-assignments "
           "-fplugin-arg-mtcheck-json=/nowhere/ -fplugin=/nowhere/mtcheck.so "
           "-ftrivial-auto-var-init=zero -fzero-call-used-regs=used-gpr "
           "-mfunction-return=thunk-extern -mindirect-branch-register "
           "-mindirect-branch=thunk-extern -mpreferred-stack-boundary=3 -mrecord-mcount "
           "-mskip-rax-setup\n" % build, r.stderr)
    f = json.loads(r.stdout)["findings"]
    expect([(x["rule"], x["record"], x["wide"]["path"], x["wide"]["size"],
             [(n["path"], n["type"], n["offset"], n["size"]) for n in x["narrow"]],
             x["little_endian"], x["big_endian"], x["target"]) for x in f] ==
           [("MT002", "union e", "v", 4,
             [("s.lo", "enum half", 0, 1), ("s.hi", "enum half", 1, 1)],
             "0x????BBAA", "0xAABB????",
             {"endian": "little", "pointer_bits": 64, "triple": "x86_64-linux-gnu"})], f)
    # the same database without -fshort-enums: 4-byte enums, v overlaid whole, silent
    proj = gcc_db("gccdb2", "gcc", GCC_ONLY, SHORT_ENUMS)
    r = run("--format=json", "-p", os.path.join(proj, "build"), os.path.join(proj, "a.c"))
    expect(r.returncode == 0 and json.loads(r.stdout)["findings"] == [], r.stdout + r.stderr)
    expect(r.stderr.startswith("mtcheck: note: 15 flags of "), r.stderr)


@test
def gcc_db_target_from_the_compiler_and_its_flags():
    src = ("union p {\n\tvoid *ptr;\n\tunsigned short h[2];\n};\nunion p x;\n")
    # a cross GCC names its target; -m32 changes the pointer width the probe sees
    for compiler, flags, target, size in (
            ("s390x-linux-gnu-gcc-12", ["-m64"], ("big", 64, "s390x-linux-gnu"), 8),
            ("gcc", ["-m32"], ("little", 32, "x86_64-linux-gnu"), 4),
            ("ccache x86_64-linux-gnu-gcc", [], ("little", 64, "x86_64-linux-gnu"), 8)):
        proj = gcc_db("cross", compiler, flags + GCC_ONLY[:2], src)
        r = run("--format=json", "-p", os.path.join(proj, "build"), os.path.join(proj, "a.c"))
        expect(r.returncode == 1, r.stderr)
        f = json.loads(r.stdout)["findings"]
        t = f[0]["target"]
        expect(len(f) == 1 and f[0]["rule"] == "MT001" and f[0]["wide"]["size"] == size and
               (t["endian"], t["pointer_bits"], t["triple"]) == target, (compiler, f))
    # --target wins over the database's compiler
    r = run("--format=json", "--target=x86_64-linux-gnu", "-p", os.path.join(proj, "build"),
            os.path.join(proj, "a.c"))
    expect(json.loads(r.stdout)["findings"][0]["target"]["triple"] == "x86_64-linux-gnu", r.stdout)


@test
def compile_db_unit_errors_counted():
    # each unit that clang cannot parse is reported on its own, then counted
    proj = gcc_db("errs", "gcc", ["-fshort-enums"], SHORT_ENUMS)
    for name in ("b.c", "c.c"):
        with open(os.path.join(proj, name), "w") as fh:
            fh.write("int x = ;\n")
    db = [{"directory": proj, "file": f, "command": "gcc -fshort-enums -fconserve-stack -c " + f}
          for f in ("a.c", "b.c", "c.c")]
    with open(os.path.join(proj, "build", "compile_commands.json"), "w") as fh:
        json.dump(db, fh)
    srcs = [os.path.join(proj, f) for f in ("a.c", "b.c", "c.c")]
    r = run("--format=json", "--keep-going", "-j1", "-p", os.path.join(proj, "build"), *srcs)
    expect(r.returncode == 2, r.stderr)
    expect([f["record"] for f in json.loads(r.stdout)["findings"]] == ["union e"], r.stdout)
    err = "".join("mtcheck: %s: clang cannot parse it for x86_64-linux-gnu (1 error):\n"
                  "%s:1:9: error: expected expression\n" % (s, s) for s in srcs[1:])
    expect(r.stderr == "mtcheck: note: 1 flag of %s/compile_commands.json changes neither "
           "preprocessing nor layout and was not given to clang: -fconserve-stack\n%s"
           "mtcheck: 2 of 3 units could not be analysed\n" % (os.path.join(proj, "build"), err),
           r.stderr)


@test
def array_elements_keep_their_typedef():
    # as GCC and DWARF name them: 'uint32_t', not the canonical 'unsigned int'
    src = os.path.join(TMP, "elem.c")
    with open(src, "w") as fh:
        fh.write("#include <stdint.h>\ntypedef uint16_t pair_t[2];\nunion h {\n\tuint64_t v;\n"
                 "\tuint32_t half[2];\n\tpair_t q;\n};\nunion h x;\n")
    fs = report(src)
    expect(sorted((f["wide"]["type"], tuple(n["type"] for n in f["narrow"])) for f in fs) ==
           [("uint32_t", ("uint16_t", "uint16_t")),
            ("uint64_t", ("uint16_t", "uint16_t")),
            ("uint64_t", ("uint32_t", "uint32_t"))], fs)


@test
def type_names_as_gcc_spells_them():
    # a member's own qualifiers are not part of its type's name, a pointee's
    # are; a record or enum without a tag is '<anonymous>', as in GCC and BTF
    src = os.path.join(TMP, "spell.c")
    with open(src, "w") as fh:
        fh.write("typedef unsigned int u32;\nstruct q {\n\tunion {\n\t\tvoid *p;\n"
                 "\t\tconst u32 mask;\n\t\tconst char *const name;\n"
                 "\t\tvolatile unsigned short h[2];\n\t\tenum { X, Y } e;\n"
                 "\t\tstruct { int a; } *sp;\n\t\tint *restrict rp;\n\t};\n};\nstruct q x;\n")
    fs = report(src)
    expect(sorted({f["wide"]["type"] for f in fs} | {n["type"] for f in fs for n in f["narrow"]}) ==
           ["const char *", "enum <anonymous>", "int *", "struct <anonymous> *", "u32",
            "unsigned short", "void *"], fs)


@test
def gcc_only_cpu_is_dropped():
    # a CPU name clang does not know fails clang's parse before any
    # diagnostic; the CPU flag is dropped with a note and the parse retried
    r = run("--format=json", os.path.join(CASES, "u64_halves.c"), "--", "-march=k8-nosuch")
    expect(r.returncode == 1, r.stderr)
    expect(r.stderr == "mtcheck: note: clang does not know these compiler flags and ignored "
           "them: -march=k8-nosuch\n", r.stderr)


@test
def missing_cross_headers():
    if os.path.isdir("/usr/riscv64-linux-gnu/include"):
        raise NotApplicable("riscv64 headers are installed here")
    src = os.path.join(CASES, "u64_halves.c")
    r = run("--target=riscv64-linux-gnu", src)
    expect(r.returncode == 2, r.stderr)
    expect(r.stderr == "mtcheck: %s: the C library headers for riscv64-linux-gnu are not installed "
           "(/usr/riscv64-linux-gnu/include is missing; on Debian: apt-get install "
           "libc6-dev-riscv64-cross)\n" % src, r.stderr)


@test
def unknown_target():
    r = run("--target=bogus-none-none", os.path.join(CASES, "u64_halves.c"))
    expect(r.returncode == 2 and r.stderr.startswith("mtcheck: target bogus-none-none: "), r.stderr)


@test
def in_source_allow_marker():
    src = os.path.join(TMP, "allow.c")
    with open(src, "w") as fh:
        fh.write("#include <stdint.h>\nunion u {\n\tuint64_t v;\n\tuint32_t half[2]\n"
                 "\t\t__attribute__((annotate(\"mtcheck:allow:halves are read with le32toh\")));\n"
                 "};\nunion u x;\n")
    r = run("--format=json", src)
    expect(r.returncode == 0 and json.loads(r.stdout)["findings"] == [], r.stdout + r.stderr)
    # the same through the installed marker header, and its silent twin without it
    hdr = os.path.join(SRC, "plugin")
    with open(src, "w") as fh:
        fh.write("#include <stdint.h>\n#include <mtcheck.h>\nunion u {\n\tuint64_t v;\n"
                 "\tuint32_t half[2] MTCHECK_ALLOW(\"halves are read with le32toh\");\n};\n"
                 "union u x;\n")
    r = run("--format=json", src, "--", "-I" + hdr)
    expect(r.returncode == 0 and json.loads(r.stdout)["findings"] == [], r.stdout + r.stderr)
    r = run("--format=json", src, "--", "-I" + hdr, "-DMTCHECK_ALLOW(r)=")
    expect(r.returncode == 1 and [f["rule"] for f in json.loads(r.stdout)["findings"]] ==
           ["MT002"], r.stdout + r.stderr)


main(lambda: shutil.rmtree(TMP))

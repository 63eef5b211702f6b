#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scripts/run-foreign: programs of this, a compat and a foreign
architecture run with their arguments and exit status; the architecture is
read from the ELF header; MTCHECK_NO_NATIVE_FOREIGN=1 sends i686 through
qemu-i386; a kernel's ENOEXEC falls back to qemu; a missing qemu, a missing
file and a file that is not a program each get one message.

The programs print uname's machine, which tells how they ran: an i386
program run by an x86-64 kernel sees x86_64, under qemu-i386 it sees i686.

usage: test_run_foreign.py SOURCE_DIR
"""
import errno
import os
import shutil
import struct
import subprocess
import sys
import tempfile

SRC = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.join(SRC, "checker", "cli", "tests"))
from harness import SkipTest, expect, main, test  # noqa: E402

RUN_FOREIGN = os.path.join(SRC, "scripts", "run-foreign")
TMP = tempfile.mkdtemp(prefix="mtcheck-run-foreign.")
PROGRAM = r'''#include <stdio.h>
#include <sys/utsname.h>
int main(int argc, char **argv)
{
	struct utsname u;

	uname(&u);
	printf("%s", u.machine);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\n");
	return argc > 3 ? 3 : 0;
}
'''
with open(os.path.join(TMP, "uname.c"), "w") as fh:
    fh.write(PROGRAM)


def build(cc, name, static=True):
    if not shutil.which(cc):
        raise SkipTest("%s is not installed (scripts/install-deps installs it)" % cc)
    exe = os.path.join(TMP, name)
    if not os.path.exists(exe):
        r = subprocess.run([cc, "-std=c11", "-O1"] + (["-static"] if static else []) +
                           ["uname.c", "-o", name], cwd=TMP, stderr=subprocess.PIPE, text=True)
        expect(r.returncode == 0, r.stderr)
    return exe


def run_foreign(*args, env=None, path=None):
    e = dict(os.environ)
    for k in ("MTCHECK_NO_NATIVE_FOREIGN", "MTCHECK_RUN_FOREIGN_VERBOSE", "QEMU_LD_PREFIX"):
        e.pop(k, None)
    e.update(env or {})
    if path is not None:
        e["PATH"] = path
    return subprocess.run([RUN_FOREIGN, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=e, cwd=TMP)


def expect_run(r, status, stdout, stderr=""):
    expect((r.returncode, r.stdout, r.stderr) == (status, stdout, stderr),
           "got %r, want %r" % ((r.returncode, r.stdout, r.stderr), (status, stdout, stderr)))


def no_qemu_path():
    """A PATH with python3 and nothing else: no qemu-user there."""
    d = os.path.join(TMP, "no-qemu")
    if not os.path.isdir(d):
        os.mkdir(d)
        os.symlink(sys.executable, os.path.join(d, "python3"))
    return d


def need_qemu(arch):
    if not shutil.which("qemu-" + arch):
        raise SkipTest("qemu-%s is not installed (Debian package qemu-user)" % arch)
    return shutil.which("qemu-" + arch)


@test
def host_program_runs_directly():
    exe = build("gcc", "host")
    m = os.uname().machine
    expect_run(run_foreign(exe, "a b", ""), 0, "%s [a b] []\n" % m)
    # the exit status is the program's; forcing qemu leaves the host's own alone
    expect_run(run_foreign(exe, "1", "2", "3", env={"MTCHECK_NO_NATIVE_FOREIGN": "1"}),
               3, "%s [1] [2] [3]\n" % m)
    expect_run(run_foreign("--print", exe), 0, exe + "\n")


@test
def i686_natively_or_under_qemu():
    exe = build("i686-linux-gnu-gcc", "i686")
    qemu = need_qemu("i386")
    try:
        direct = subprocess.run([exe, "x"], stdout=subprocess.PIPE, text=True).stdout
    except OSError as e:
        expect(e.errno == errno.ENOEXEC, "running %s: %s" % (exe, e))
        direct = "i686 [x]\n"          # this kernel refuses i386: qemu-i386 runs it
    expect_run(run_foreign(exe, "x"), 0, direct)
    expect_run(run_foreign(exe, "x", env={"MTCHECK_NO_NATIVE_FOREIGN": "1"}), 0, "i686 [x]\n")
    expect_run(run_foreign("--print", exe, env={"MTCHECK_NO_NATIVE_FOREIGN": "1"}), 0,
               "%s %s\n" % (qemu, exe))
    expect_run(run_foreign(exe, "x", env={"MTCHECK_NO_NATIVE_FOREIGN": "1",
                                          "MTCHECK_RUN_FOREIGN_VERBOSE": "1"}),
               0, "i686 [x]\n", "run-foreign: %s %s x\n" % (qemu, exe))


@test
def architecture_comes_from_the_elf_header():
    # a big-endian s390x program named like an i686 one, in a bare name
    build("s390x-linux-gnu-gcc", "s390x")
    qemu = need_qemu("s390x")
    shutil.copy(os.path.join(TMP, "s390x"), os.path.join(TMP, "run-i686"))
    expect_run(run_foreign("run-i686", "-", env={"MTCHECK_RUN_FOREIGN_VERBOSE": "1"}), 0,
               "s390x [-]\n", "run-foreign: %s ./run-i686 -\n" % qemu)


@test
def dynamic_foreign_program_gets_the_cross_sysroot():
    exe = build("s390x-linux-gnu-gcc", "s390x-dynamic", static=False)
    qemu = need_qemu("s390x")
    if os.path.exists("/lib/ld64.so.1"):
        raise SkipTest("this machine has an s390x loader at /lib/ld64.so.1")
    expect_run(run_foreign("--print", exe), 0, "%s -L /usr/s390x-linux-gnu %s\n" % (qemu, exe))
    expect_run(run_foreign(exe, "y"), 0, "s390x [y]\n")


@test
def kernel_enoexec_falls_back_to_qemu():
    """An i386 program whose program header size the kernel rejects (ENOEXEC):
    run-foreign goes on to qemu-i386, which gives its own verdict."""
    exe = build("i686-linux-gnu-gcc", "i686")
    qemu = need_qemu("i386")
    bad = os.path.join(TMP, "i686-bad-phentsize")
    shutil.copy(exe, bad)
    with open(bad, "r+b") as fh:
        fh.seek(42)                    # e_phentsize of a 32-bit ELF header
        fh.write(struct.pack("<H", 33))
    r = run_foreign(bad, env={"MTCHECK_RUN_FOREIGN_VERBOSE": "1"})
    lines = r.stderr.splitlines()
    expect(lines[:2] == ["run-foreign: " + bad, "run-foreign: %s %s" % (qemu, bad)],
           r.stderr)
    expect(r.returncode != 0 and len(lines) > 2 and lines[2].startswith("qemu-i386: "), r.stderr)


@test
def missing_qemu_is_one_error():
    exe = build("s390x-linux-gnu-gcc", "s390x")
    expect_run(run_foreign(exe, path=no_qemu_path()), 127, "",
               "run-foreign: %s: built for s390x, which this machine runs only under "
               "qemu-s390x; qemu-s390x is not installed (Debian package qemu-user)\n" % exe)
    exe = build("i686-linux-gnu-gcc", "i686")
    expect_run(run_foreign(exe, path=no_qemu_path(), env={"MTCHECK_NO_NATIVE_FOREIGN": "1"}),
               127, "", "run-foreign: %s: built for i386, which this machine runs only under "
               "qemu-i386; qemu-i386 is not installed (Debian package qemu-user)\n" % exe)


@test
def bad_input_is_one_error():
    missing = os.path.join(TMP, "missing")
    expect_run(run_foreign(missing), 2, "", "run-foreign: %s: no such file\n" % missing)
    src = os.path.join(TMP, "uname.c")
    expect_run(run_foreign(src), 2, "", "run-foreign: %s: not an ELF program\n" % src)
    odd = os.path.join(TMP, "odd-machine")
    with open(odd, "wb") as fh:       # a 64-bit little-endian ELF for machine 0x1234
        fh.write(b"\x7fELF\x02\x01\x01" + bytes(9) + struct.pack("<HHI", 2, 0x1234, 1) +
                 bytes(40))
    expect_run(run_foreign(odd), 2, "", "run-foreign: %s: ELF machine 4660 (64-bit, "
               "little-endian) is not one qemu-user runs\n" % odd)
    r = run_foreign()
    expect(r.returncode == 2 and r.stderr.startswith("Run an ELF program"), r.stderr)


main(lambda: shutil.rmtree(TMP))

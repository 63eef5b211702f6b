#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""icecream's remote compile, reproduced on this host without a second one.

icecc packs the compiler and every -fplugin= file into an environment
(icecc-create-env ... --addfile PLUGIN), and the remote iceccd unpacks it,
chroots into it and compiles there the source that the client preprocessed
with -E -fdirectives-only.  The rules directory that is installed beside the
plugin is not part of that environment, so the plugin must use the rules
built into it.  This test builds such an environment, compiles a test case
in it the way iceccd does (chroot, a job directory, the preprocessed source
on standard input, an unprivileged user) and requires the object's .mtcheck
section to hold exactly the findings of a local compile of the same file,
and the compiler to print exactly what it prints locally.

chroot needs root: as another user the test reports a skip (exit 77), as it
does when icecc-create-env is not installed.

  test_icecream_env.py --gcc GCC --plugin PLUGIN --mtcheck MTCHECK --source FILE.c
                       --workdir DIR
"""
import os
import pwd
import shutil
import subprocess
import sys
import tarfile

from remote_common import SKIP, Failed, arguments, expect_eq, findings_of, run, verdict

# how iceccd runs the compiler on the client's preprocessed source (standard input)
JOB = "/tmp/icecc-job"	# in the chroot
JOB_ARGS = ["-x", "c", "-fno-diagnostics-show-caret", "-c", "-fpreprocessed", "-fdirectives-only",
            "-pipe"]





def environment(args, work):
    """The environment icecc makes for this compiler and plugin, unpacked"""
    r = run([args.create_env, args.gcc, "--addfile", args.plugin, "--compression", "none"],
            cwd=work)
    expect_eq(r.returncode, 0, "icecc-create-env: " + r.stdout + r.stderr)
    tars = [f for f in os.listdir(work) if f.endswith(".tar")]
    expect_eq(len(tars), 1, "the environments icecc-create-env made")
    root = os.path.join(work, "env")
    with tarfile.open(os.path.join(work, tars[0])) as t:
        names = t.getnames()
        # what the test is about: the plugin is in it at its own path, its rules are not
        expect_eq(args.plugin.lstrip("/") in names, True, "the plugin in the environment")
        expect_eq([n for n in names if "share/mtcheck" in n], [], "rules in the environment")
        t.extractall(root)
    return root


def as_icecc_user():
    """iceccd compiles as its own user: icecc where the package made one, else nobody"""
    for name in ("icecc", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            pass
    return None


def compile_in_chroot(root, plugin, source_i, job):
    """What iceccd runs: the compiler in the chroot, in a job directory, the
    preprocessed source on standard input, the object written there"""
    os.makedirs(os.path.join(root, job.lstrip("/")))
    user = as_icecc_user()
    if user:
        os.chown(os.path.join(root, job.lstrip("/")), user.pw_uid, user.pw_gid)

    def enter():
        os.chroot(root)
        os.chdir(job)
        if user:
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)

    cmd = ["/usr/bin/gcc"] + JOB_ARGS + ["-fplugin=" + plugin, "-", "-o", "remote.o"]
    with open(source_i) as stdin:
        r = subprocess.run(cmd, stdin=stdin, capture_output=True, text=True, preexec_fn=enter,
                           env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
    return r, os.path.join(root, job.lstrip("/"), "remote.o")



def main():
    args = arguments(__doc__)
    if os.geteuid() != 0:
        print("SKIP: chroot needs root, as iceccd has")
        return SKIP
    args.create_env = shutil.which("icecc-create-env")
    if not args.create_env:
        print("SKIP: icecc-create-env is not installed (Debian: apt-get install icecc)")
        return SKIP
    args.gcc = shutil.which(args.gcc)
    args.plugin = os.path.abspath(args.plugin)
    work = os.path.abspath(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    def body():
        name = os.path.basename(args.source)
        shutil.copy(args.source, os.path.join(work, name))
        env = dict(os.environ, LC_ALL="C")
        env.pop("MTCHECK_RULES_DIR", None)
        # this host: the compile as the user wrote it, and icecc's preprocessing
        local = run([args.gcc, "-fplugin=" + args.plugin, "-fno-diagnostics-show-caret",
                     "-c", name, "-o", "local.o"], cwd=work, env=env)
        expect_eq(local.returncode, 0, "the local compile: " + local.stderr)
        r = run([args.gcc, "-E", "-fdirectives-only", name, "-o", "unit.i"], cwd=work, env=env)
        expect_eq((r.returncode, r.stderr), (0, ""), "preprocessing as icecc does")
        root = environment(args, work)
        expect_eq(os.path.exists(os.path.join(root, "usr/bin/gcc")), True, "gcc in the environment")
        remote, remote_o = compile_in_chroot(root, args.plugin, os.path.join(work, "unit.i"),
                                             JOB)
        # it prints what the same job prints on this host with the rules installed: the
        # findings, no word about rules (GCC counts a tab as one column in both, since
        # the job's directory has no source to expand the tabs from)
        os.makedirs(os.path.join(work, "job"))
        with open(os.path.join(work, "unit.i")) as stdin:
            here = run([args.gcc] + JOB_ARGS + ["-fplugin=" + args.plugin, "-", "-o", "here.o"],
                       cwd=os.path.join(work, "job"), env=env, stdin=stdin)
        expect_eq((here.returncode, ": warning: [MT" in here.stderr), (0, True),
                  "the job on this host: exit status and a warning")
        expect_eq((remote.returncode, remote.stderr), (0, here.stderr),
                  "the job in the environment: exit status and what it prints")
        want = findings_of(args.mtcheck, os.path.join(work, "local.o"))
        got = findings_of(args.mtcheck, remote_o)
        # not vacuous: the test case has findings
        expect_eq(want[0], 1, "mtcheck's exit status on the local object")
        expect_eq(len(want[1]) > 0, True, "findings in the local object")
        # each finding names its unit as the compiler saw it: in the job's directory there
        inputs = [[f.pop("input") for f in fs[1]] for fs in (want, got)]
        expect_eq(inputs, [[os.path.join(work, name)] * len(want[1]),
                           [os.path.join(JOB, name)] * len(want[1])], "the findings' units")
        expect_eq(got, want, "the findings the object built in the environment carries")
        print("PASS: %d findings, the same from the object compiled in icecc's environment"
              % len(want[1]))
        return 0

    def cleanup():
        shutil.rmtree(work, ignore_errors=True)

    return verdict(body, cleanup)


if __name__ == "__main__":
    sys.exit(main())

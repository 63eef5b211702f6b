#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A real distcc remote compile on one host, the plugin run by the server.

distccd refuses every job whose command line has -fplugin=, so the plugin
is added on the server: the job names the compiler mtcheck-gcc, which on
the client here is plain GCC and on the server is mtcheck's mtcheck-gcc
(the plugin's GCC with the plugin, checker/cli/build.h).  The test starts
its own distccd on 127.0.0.1 (never "localhost", which distcc compiles on
without asking a server) on a port the system gives free, allowed to run
only the compilers listed in DISTCC_CMDLIST (the server's mtcheck-gcc, by
its absolute path), and runs the client with DISTCC_FALLBACK=0, so that a
job the server does not compile fails instead of compiling here.  It
holds:

  - the server compiled the job (its log line), the client ran its
    mtcheck-gcc only to preprocess, without the plugin, and the object's
    findings are those of a local compile with the plugin;
  - with mtcheck's mtcheck-gcc on the client too, -fplugin-arg-mtcheck-*
    options on the command line reach the server's plugin (the client's
    preprocessing drops them);
  - mtcheck build -- distcc mtcheck-gcc ... reports the remote findings,
    and with no server that answers, those of the compile distcc then
    runs here (mtcheck-gcc adds the plugin, and mtcheck build's options
    once each);
  - -fplugin= on the client's command line is refused with distcc's
    message, and the compile fails.

The daemon is stopped by its id at the end, and a watchdog stops it if the
test is killed first.  Without distcc and distccd: exit 77, a skip.

  test_distcc_remote.py --gcc GCC --plugin PLUGIN --mtcheck MTCHECK --source FILE.c
                        --workdir DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

from remote_common import (SKIP, Failed, arguments, expect_eq, findings_anywhere, free_port, read,
                           verdict, watchdog)

OWN_CC = "mtcheck-gcc"
REFUSED = ("(dcc_run_job) Warning: -fplugin= and/or -specs= passed, which are insecure "
           "and not supported.")
NO_FALLBACK = "(dcc_build_somewhere) ERROR: failed to distribute and fallbacks are disabled\n"







class Distccd:
    """distccd on 127.0.0.1 and a free port, running only @cmdlist's compilers"""

    def __init__(self, work, distccd, cmdlist):
        self.work, self.distccd, self.cmdlist = work, distccd, cmdlist
        self.port = free_port()
        self.log = os.path.join(work, "distccd.log")
        self.proc = self.watchdog = None

    def start(self):
        # run as root, distccd works as its own user, which must write the log
        with open(self.log, "w"):
            pass
        os.chmod(self.log, 0o666)
        env = dict(os.environ, DISTCC_CMDLIST=self.cmdlist, PATH="/usr/bin:/bin", LC_ALL="C")
        self.proc = subprocess.Popen(
            [self.distccd, "--daemon", "--no-detach", "--listen", "127.0.0.1",
             "--port", str(self.port), "--allow", "127.0.0.1", "--jobs", "1",
             "--log-file", self.log, "--log-level", "info"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        self.watchdog = watchdog([self.proc.pid])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failed("distccd exited with %d: %s" % (self.proc.returncode,
                                                            read(self.log)[-2000:]))
            if "listening on 127.0.0.1:%d" % self.port in read(self.log):
                return
            time.sleep(0.2)
        raise Failed("distccd did not listen in 30 s: %s" % read(self.log)[-2000:])

    def settled_log(self, text, count, timeout=10):
        """The log once it holds @text @count times: distccd may write its
        line about a job after the client has the object back"""
        deadline = time.monotonic() + timeout
        log = read(self.log)
        while log.count(text) < count and time.monotonic() < deadline:
            time.sleep(0.1)
            log = read(self.log)
        return log

    def stop(self):
        if self.watchdog:
            self.watchdog.kill()
            self.watchdog.wait()
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()



def diagnostics(text):
    """The compiler's messages about the source, without their columns:
    GCC counts a tab as one column in preprocessed source without the file"""
    return [re.sub(r"^([^:]+:\d+):\d+:", r"\1:", line) for line in text.splitlines()
            if not line.startswith("distcc[")]


def main():
    args = arguments(__doc__)
    distcc = shutil.which("distcc")
    distccd = shutil.which("distccd", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if not distcc or not distccd:
        print("SKIP: distcc is not installed (Debian: apt-get install distcc)")
        return SKIP
    mtcheck = os.path.abspath(args.mtcheck)
    own = os.path.join(os.path.dirname(mtcheck), OWN_CC)
    if os.path.realpath(own) != os.path.realpath(mtcheck):
        raise SystemExit("FAIL: %s is not a link to %s" % (own, mtcheck))
    gcc = shutil.which(args.gcc)
    work = os.path.abspath(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.chmod(work, 0o755)
    # the client's mtcheck-gcc: plain GCC that notes each command line it runs
    client_bin = os.path.join(work, "client-bin")
    os.makedirs(client_bin)
    calls = os.path.join(work, "client-calls")
    with open(os.path.join(client_bin, OWN_CC), "w") as f:
        f.write('#!/bin/sh\nprintf "%%s\\n" "$*" >> "%s"\nexec "%s" "$@"\n' % (calls, gcc))
    os.chmod(os.path.join(client_bin, OWN_CC), 0o755)
    cmdlist = os.path.join(work, "cmdlist")
    with open(cmdlist, "w") as f:
        f.write(own + "\n")
    daemon = Distccd(work, distccd, cmdlist)
    runs = [0]

    def client(cmd, path_first, what, **extra):
        """distcc CMD in @work, each run with its own state (no backoff from the last)"""
        runs[0] += 1
        state = os.path.join(work, "distcc-dir-%d" % runs[0])
        os.makedirs(state)
        env = dict(os.environ, LC_ALL="C", PATH=path_first + ":" + os.environ["PATH"],
                   DISTCC_HOSTS="127.0.0.1:%d/1" % daemon.port, DISTCC_FALLBACK="0",
                   DISTCC_DIR=state)
        env.update(extra)
        env.pop("MTCHECK_RULES_DIR", None)
        try:
            return subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True,
                                  timeout=120)
        except subprocess.TimeoutExpired:
            raise Failed("%s: no answer in 120 s" % what)

    def body():
        name = os.path.basename(args.source)
        shutil.copy(args.source, os.path.join(work, name))
        env = dict(os.environ, LC_ALL="C")
        env.pop("MTCHECK_RULES_DIR", None)
        plugin = os.path.abspath(args.plugin)
        flags = ["-fno-diagnostics-show-caret", "-c", name]
        local = subprocess.run([gcc, "-fplugin=" + plugin] + flags + ["-o", "local.o"],
                               cwd=work, env=env, capture_output=True, text=True)
        expect_eq(local.returncode, 0, "the local compile: " + local.stderr)
        want = findings_anywhere(mtcheck, os.path.join(work, "local.o"))
        expect_eq((want[0], len(want[1]) > 0), (1, True), "findings in the local object")
        daemon.start()
        done = "%s %s on localhost completed ok" % (own, name)

        # 1: plain GCC here, mtcheck-gcc with the plugin on the server
        r = client([distcc, OWN_CC] + flags + ["-o", "remote.o"], client_bin,
                   "distcc " + OWN_CC)
        expect_eq(r.returncode, 0, "distcc %s: exit status (%s)" % (OWN_CC, r.stderr))
        log = daemon.settled_log(done, 1)
        expect_eq(log.count(done), 1, "the server's log says it compiled the job (%s)" % log)
        expect_eq(diagnostics(r.stderr), diagnostics(local.stderr),
                  "the plugin's warnings, sent back by the server")
        lines = read(calls).splitlines()
        expect_eq((len(lines), "-E" in lines[0].split() if lines else None,
                   [a for a in " ".join(lines).split() if a.startswith("-fplugin")]),
                  (1, True, []), "the client's %s ran once, to preprocess, without the plugin "
                  "(%r)" % (OWN_CC, lines))
        expect_eq(findings_anywhere(mtcheck, os.path.join(work, "remote.o")), want,
                  "the findings of the object the server compiled")

        # 2: mtcheck's mtcheck-gcc on both sides, the plugin's options on the command line
        r = client([distcc, OWN_CC, "-fplugin-arg-mtcheck-diagnostics=off"] + flags +
                   ["-o", "options.o"], os.path.dirname(own), "distcc " + OWN_CC + " options")
        expect_eq((r.returncode, diagnostics(r.stderr)), (0, []),
                  "distcc %s -fplugin-arg-mtcheck-diagnostics=off: exit status, messages" % OWN_CC)
        expect_eq(daemon.settled_log(done, 2).count(done), 2,
                  "the server compiled the second job")
        expect_eq(findings_anywhere(mtcheck, os.path.join(work, "options.o")), want,
                  "the findings of the object compiled with the plugin's options")

        # 3: mtcheck build over distcc mtcheck-gcc
        # (by name: mtcheck build's distcc wrapper is first on PATH)
        r = client([mtcheck, "build", "--format=json", "--all", "--", "distcc", OWN_CC] + flags +
                   ["-o", "build.o"], os.path.dirname(own), "mtcheck build")
        expect_eq((r.returncode, diagnostics(r.stderr)), (1, []),
                  "mtcheck build -- distcc %s: exit status, messages" % OWN_CC)
        expect_eq(daemon.settled_log(done, 3).count(done), 3,
                  "the server compiled mtcheck build's job")
        got = json.loads(r.stdout)["findings"]
        for f in got:
            f.pop("input")
        expect_eq(got, want[1], "mtcheck build's report of the remote compile")

        # 3b: the same with no server that answers: distcc compiles here, where
        # mtcheck-gcc adds the plugin (and mtcheck build's options, each once)
        nobody = "127.0.0.1:%d/1" % free_port()
        r = client([mtcheck, "build", "--format=json", "--all", "--", "distcc", OWN_CC] + flags +
                   ["-o", "fallback.o"], os.path.dirname(own), "mtcheck build, no server",
                   DISTCC_HOSTS=nobody, DISTCC_FALLBACK="1")
        expect_eq((r.returncode, diagnostics(r.stderr),
                   "Warning: failed to distribute %s to %s, running locally instead\n"
                   % (name, nobody) in r.stderr), (1, [], True),
                  "mtcheck build -- distcc %s, no server: exit status, messages" % OWN_CC)
        got = json.loads(r.stdout)["findings"]
        for f in got:
            f.pop("input")
        expect_eq((got, daemon.settled_log(done, 3).count(done)), (want[1], 3),
                  "mtcheck build's report of the compile distcc ran here")

        # 4: -fplugin= on the client's command line: refused, and no local fallback
        r = client([distcc, OWN_CC, "-fplugin=" + plugin] + flags + ["-o", "refused.o"],
                   client_bin, "distcc -fplugin=")
        log = daemon.settled_log(REFUSED, 1)
        # distcc's exit status when no server compiled the job and it may not fall back
        expect_eq((r.returncode, NO_FALLBACK in r.stderr, log.count(REFUSED), log.count(done),
                   os.path.exists(os.path.join(work, "refused.o"))), (116, True, 1, 3, False),
                  "-fplugin= on the client: the compile fails, the server refused it with "
                  "distcc's message, and compiled nothing (%s)" % r.stderr)
        print("PASS: %d findings, the same from the objects the distcc server compiled with "
              "the plugin; -fplugin= from the client refused" % len(want[1]))
        return 0

    def cleanup():
        daemon.stop()
        shutil.rmtree(work, ignore_errors=True)

    return verdict(body, cleanup)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A real icecream remote compile on one host: a scheduler and two daemons.

The test starts its own icecc-scheduler and two iceccd, each on ports of
its own that the system gives free, with its own socket (ICECC_TEST_SOCKET)
and environment directory: "localice", which the client talks to and which
takes no jobs (--no-remote), and "remoteice", which takes them and compiles
in a chroot of the environment icecc sends it.  The client is asked to
build remotely (ICECC_TEST_REMOTEBUILD=1, ICECC_PREFERRED_HOST=remoteice),
as icecream's own test suite does.  The compile must go to remoteice,
succeed there, and its object must carry the findings of a local compile.
Every process started here is stopped by its id at the end, and a watchdog
stops them if the test is killed first.

Needs root (iceccd's chroot), icecc and the system user iceccd runs jobs
as; else exit 77, a skip.

  test_icecream_remote.py --gcc GCC --plugin PLUGIN --mtcheck MTCHECK --source FILE.c
                          --workdir DIR
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from remote_common import (SKIP, Failed, Skip, arguments, expect_eq, findings_anywhere, free_port,
                           read, verdict, watchdog)








class Icecream:
    """A scheduler and two daemons of a network of our own, stopped by stop()"""

    def __init__(self, work):
        self.work = work
        self.procs = {}
        self.watchdog = None
        self.sched_port = free_port(socket.SOCK_STREAM)
        self.env = dict(os.environ, ICECC_TESTS="1", LC_ALL="C",
                        ICECC_TEST_SCHEDULER_PORTS="%d:%d" % (self.sched_port,
                                                              free_port(socket.SOCK_DGRAM)))
        self.net = "mtcheck%d" % os.getpid()
        self.ports = {}

    def log(self, name):
        path = os.path.join(self.work, name + ".log")
        # iceccd flushes its log on SIGHUP, which ends it before its handler is set:
        # only once it has logged something
        if (name != "scheduler" and self.procs.get(name) and self.procs[name].poll() is None
                and os.path.exists(path) and os.path.getsize(path) > 0):
            self.procs[name].send_signal(signal.SIGHUP)
            time.sleep(0.2)
        return read(path)

    def start(self):
        self.procs["scheduler"] = subprocess.Popen(
            ["icecc-scheduler", "-p", str(self.sched_port), "-n", self.net, "-vvv",
             "-l", os.path.join(self.work, "scheduler.log")],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for name, extra in (("localice", ["--no-remote"]), ("remoteice", [])):
            self.ports[name] = free_port(socket.SOCK_STREAM)
            env = dict(self.env, ICECC_SCHEDULER=":%d" % self.sched_port,
                       ICECC_TEST_SOCKET=os.path.join(self.work, "socket-" + name))
            self.procs[name] = subprocess.Popen(
                ["iceccd", "-b", os.path.join(self.work, "envs-" + name), "-n", self.net,
                 "-N", name, "-m", "2", "-p", str(self.ports[name]), "-vvv",
                 "-l", os.path.join(self.work, name + ".log")] + extra,
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.watchdog = watchdog(p.pid for p in self.procs.values())
        time.sleep(1)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for name, p in self.procs.items():
                if p.poll() is not None:
                    raise Failed("%s exited with %d: %s" % (name, p.returncode,
                                                             self.log(name)[-2000:]))
            if all("Connected to scheduler" in self.log(n) for n in ("localice", "remoteice")):
                if "Cannot use chroot" in self.log("remoteice"):
                    raise Skip("iceccd cannot chroot here, so it takes no remote jobs")
                return
            time.sleep(0.5)
        raise Failed("the daemons did not connect to the scheduler in 30 s")

    def stop(self):
        if self.watchdog:
            self.watchdog.kill()
            self.watchdog.wait()
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for name, p in self.procs.items():
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()



def main():
    args = arguments(__doc__)
    if os.geteuid() != 0:
        print("SKIP: iceccd needs root to compile in a chroot")
        return SKIP
    for tool in ("icecc", "iceccd", "icecc-scheduler", "icecc-create-env"):
        if not shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin"):
            print("SKIP: %s is not installed (Debian: apt-get install icecc)" % tool)
            return SKIP
    os.environ["PATH"] += ":/usr/sbin:/sbin"
    work = os.path.abspath(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.chmod(work, 0o777)	# the daemons write their logs and sockets as their own user
    ice = Icecream(work)
    def body():
        name = os.path.basename(args.source)
        shutil.copy(args.source, os.path.join(work, name))
        env = dict(os.environ, LC_ALL="C")
        env.pop("MTCHECK_RULES_DIR", None)
        plugin = os.path.abspath(args.plugin)
        cmd = [args.gcc, "-fplugin=" + plugin, "-fno-diagnostics-show-caret", "-c", name]
        local = subprocess.run(cmd + ["-o", "local.o"], cwd=work, env=env,
                               capture_output=True, text=True)
        expect_eq(local.returncode, 0, "the local compile: " + local.stderr)
        ice.start()
        client = dict(env, ICECC_TEST_SOCKET=os.path.join(work, "socket-localice"),
                      ICECC_TEST_REMOTEBUILD="1", ICECC_PREFERRED_HOST="remoteice",
                      ICECC_DEBUG="debug", ICECC_LOGFILE=os.path.join(work, "icecc.log"))
        r = subprocess.run(["icecc"] + cmd + ["-o", "remote.o"], cwd=work, env=client,
                           capture_output=True, text=True, timeout=240)
        with open(os.path.join(work, "icecc.log"), errors="replace") as f:
            client_log = f.read()
        expect_eq((r.returncode, "Have to use host 127.0.0.1:%d" % ice.ports["remoteice"]
                   in client_log), (0, True),
                  "icecc: exit status, and the job sent to remoteice (%s)" % r.stderr)
        expect_eq("Remote compilation completed with exit code 0" in ice.log("remoteice"),
                  True, "remoteice compiled the job")
        want = findings_anywhere(args.mtcheck, os.path.join(work, "local.o"))
        got = findings_anywhere(args.mtcheck, os.path.join(work, "remote.o"))
        expect_eq((want[0], len(want[1]) > 0), (1, True), "findings in the local object")
        expect_eq(got, want, "the findings of the object compiled by remoteice")
        print("PASS: %d findings, the same from the object icecream compiled remotely"
              % len(want[1]))
        return 0

    def cleanup():
        ice.stop()
        shutil.rmtree(work, ignore_errors=True)

    return verdict(body, cleanup)


if __name__ == "__main__":
    sys.exit(main())

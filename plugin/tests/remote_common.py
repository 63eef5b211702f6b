# SPDX-License-Identifier: MIT
"""What the tests of compiles on another host share (test_icecream_env.py,
test_icecream_remote.py, test_distcc_remote.py): their arguments, their
verdicts, the daemons' ports and watchdog, and reading the findings an
object carries."""
import argparse
import json
import os
import socket
import subprocess
import sys

SKIP = 77


class Failed(Exception):
    pass


class Skip(Exception):
    pass


def expect_eq(got, want, what):
    if got != want:
        raise Failed("%s:\n  got  %r\n  want %r" % (what, got, want))


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def read(path):
    """A daemon's log as it is now ("" before it writes one)"""
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def arguments(doc):
    """The command line every such test takes"""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--gcc", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--mtcheck", required=True)
    ap.add_argument("--source", required=True, help="a C test case with findings")
    ap.add_argument("--workdir", required=True)
    return ap.parse_args()


def free_port(kind=socket.SOCK_STREAM):
    """A port nothing listens on now (a daemon binds it a moment later)"""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Stops the daemons if the test ends without stopping them (ctest's timeout
# kills the test alone): it watches the test from a session of its own and
# ends the processes named on its command line once the test is gone.
WATCHDOG = """
import os, signal, sys, time
test, pids = int(sys.argv[1]), [int(p) for p in sys.argv[2:]]
while os.getppid() == test:
    time.sleep(0.5)
for sig in (signal.SIGTERM, signal.SIGKILL):
    for p in pids:
        try:
            os.kill(p, sig)
        except ProcessLookupError:
            pass
    time.sleep(2)
"""


def watchdog(pids):
    """The watchdog of @pids, the daemons this test started"""
    return subprocess.Popen([sys.executable, "-c", WATCHDOG, str(os.getpid())] +
                            [str(p) for p in pids], start_new_session=True)


def findings_of(mtcheck, obj):
    """mtcheck's exit status on @obj, and the findings its .mtcheck section carries"""
    r = run([mtcheck, "--format=json", "--all", obj])
    if r.returncode not in (0, 1) or r.stderr:
        raise Failed("mtcheck %s: exit %d: %s" % (obj, r.returncode, r.stderr))
    return r.returncode, json.loads(r.stdout)["findings"]


def findings_anywhere(mtcheck, obj):
    """findings_of() without each finding's input, which names the unit in
    the directory it was compiled in: another host's job directory"""
    status, fs = findings_of(mtcheck, obj)
    for f in fs:
        f.pop("input")
    return status, fs


def verdict(body, cleanup):
    """body()'s exit status (0), SKIP or 1 with its message; cleanup() in any case"""
    try:
        return body()
    except Skip as e:
        print("SKIP: " + str(e))
        return SKIP
    except Failed as e:
        print("FAIL: " + str(e))
        return 1
    finally:
        cleanup()

# SPDX-License-Identifier: MIT
"""A small harness for the command-line tests: checks that assert exact
messages and values, and a closing 'N passed, N failed' line.

Exit status: 1 when a check failed; else SKIP_STATUS (77, the tests'
SKIP_RETURN_CODE in CMake) when a check could not run for a missing tool,
so ctest reports the test as skipped; else 0.  A check that does not apply
to this configuration raises NotApplicable: reported, not a skip."""
import os
import subprocess
import sys

TESTS = []


SKIP_STATUS = 77


class SkipTest(Exception):
    """The check cannot run here: a tool it needs is missing."""


class NotApplicable(Exception):
    """The check has nothing to check in this configuration."""


def test(fn):
    TESTS.append(fn)
    return fn


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def runner(program):
    """A function running @program with arguments, an environment and a directory."""
    def run(*args, env=None, cwd=None):
        e = dict(os.environ)
        if env:
            e.update(env)
        return subprocess.run([program, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=e, cwd=cwd)
    return run


def expect_error(r, message, program="mtcheck"):
    """Exit 2, nothing on stdout, exactly the message (one line unless it says more)."""
    expect(r.returncode == 2, "exit status %d, expected 2 (stderr: %s)" % (r.returncode, r.stderr))
    expect(r.stdout == "", "stdout not empty: %r" % r.stdout)
    want = "%s: %s\n" % (program, message)
    expect(r.stderr == want, "stderr %r, expected %r" % (r.stderr, want))


def main(cleanup=None):
    passed = failed = skipped = na = 0
    for t in TESTS:
        try:
            t()
            passed += 1
            print("PASS", t.__name__)
        except SkipTest as e:
            skipped += 1
            print("SKIP %s: %s" % (t.__name__, e))
        except NotApplicable as e:
            na += 1
            print("N/A %s: %s" % (t.__name__, e))
        except Exception as e:  # a failed check, or the check itself broke
            failed += 1
            print("FAIL %s: %s: %s" % (t.__name__, type(e).__name__, e))
    if cleanup:
        cleanup()
    print("%d passed, %d failed, %d skipped%s" % (passed, failed, skipped,
                                                  ", %d not applicable" % na if na else ""))
    sys.exit(1 if failed else SKIP_STATUS if skipped else 0)

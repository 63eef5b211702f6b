#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The installed man pages against the programs and the parser.

usage: test_man.py --build BUILD_DIR --source SOURCE_DIR --mtcheck MTCHECK
                   [--sparse MTCHECK_SPARSE]

- every option that --help lists is an option entry of the installed page,
  and every option entry of the page is one that --help lists;
- every --option the page mentions anywhere (examples, environment) is one
  the program's --help knows;
- every long option the CLI's getopt table accepts is in --help;
- mtcheck.yaml(5) lists every key that checker/lib/config.c accepts, lists
  no other, and its example is a configuration mtcheck loads as written;
- each page renders with man -l and groff's warnings on, without a warning.
Exits 77 (skipped) when man or groff is missing.
"""
import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def roff_text(s):
    """Roff escapes out of a line: what a reader sees."""
    s = s.replace("\\-", "-").replace("\\e", "\\")
    s = re.sub(r"\\f(\[[^]]*\]|.)", "", s)
    s = re.sub(r"\\[,/&]", "", s)
    s = re.sub(r"^\.(B|I|BR|IR|RB|RI)\s+", "", s)
    return s.replace('"', "")


OPT_RE = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)")


def help_options(help_text):
    """Options of the lines that define one: two spaces, then a dash."""
    opts = set()
    for line in help_text.splitlines():
        m = re.match(r"^  (-\S.*?)(?:\s{2,}|$)", line)
        if m:
            opts.update(OPT_RE.findall(m.group(1)))
    return opts


def page_tags(roff):
    """The tags of the page's .TP entries, as text."""
    lines = roff.splitlines()
    return [roff_text(lines[i + 1]) for i, l in enumerate(lines[:-1]) if l.strip() == ".TP"]


def page_options(roff):
    opts = set()
    for tag in page_tags(roff):
        if tag.startswith("-"):
            opts.update(OPT_RE.findall(tag))
    return opts


def read_page(path):
    with gzip.open(path, "rt") as f:
        return f.read()


def check_render(path):
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="0")
    r = subprocess.run(["man", "-l", "--warnings=w", path], capture_output=True, text=True,
                       env=env)
    expect(r.returncode == 0 and len(r.stdout) > 500,
           f"man -l {path}: exit {r.returncode}, {len(r.stdout)} bytes")
    expect(r.stderr == "", f"man -l --warnings=w {path} warns:\n{r.stderr}")
    # groff itself, all warnings, on the uncompressed source
    r = subprocess.run(["groff", "-man", "-ww", "-z", "-Tutf8"], input=read_page(path),
                       capture_output=True, text=True)
    expect(r.returncode == 0 and r.stderr == "", f"groff -ww {path}: {r.stderr}")
    return r


def check_program(prog, page, include, name, also_known=frozenset()):
    help_text = subprocess.run([prog, "--help"], capture_output=True, text=True,
                               check=True).stdout
    roff = read_page(page)
    hopts = help_options(help_text)
    popts = page_options(roff)
    expect(len(hopts) >= 8, f"{name}: only {len(hopts)} options found in --help: {hopts}")
    for o in sorted(hopts - popts):
        expect(False, f"{name}: '{o}' is in --help but not an option entry of {page}")
    for o in sorted(popts - hopts):
        expect(False, f"{name}: '{o}' is an option entry of {page} but not in --help")
    # every --long the page mentions anywhere is one --help knows, as an
    # option or in its prose (sparse's --arch)
    known = set(OPT_RE.findall(help_text)) | also_known
    for o in sorted(set(re.findall(r"(?<![\w-])--[a-z][\w-]*", roff_text(roff))) - known):
        expect(False, f"{name}: {page} mentions '{o}', which --help does not know")
    # the include file's own text, which --help does not produce
    with open(include) as f:
        inc = roff_text(f.read())
    for o in sorted(set(re.findall(r"(?<![\w-])--[a-z][\w-]*", inc)) - known):
        expect(False, f"{name}: {include} uses '{o}', which --help does not know")
    print(f"{name}: {len(hopts)} options in --help and in {os.path.basename(page)}")
    return hopts


def getopt_long_names(main_c):
    """The names in main.c's 'struct option long_options[]' table."""
    with open(main_c) as f:
        src = f.read()
    m = re.search(r"struct option long_options\[\]\s*=\s*\{(.*?)\n\};", src, re.S)
    expect(m is not None, f"{main_c}: no long_options table found")
    return set("--" + n for n in re.findall(r'\{\s*"([\w-]+)"', m.group(1))) if m else set()


def config_keys(config_c):
    """The keys config.c compares against: strcmp(key, "...") and keys[] tables."""
    with open(config_c) as f:
        src = f.read()
    keys = set(re.findall(r'strcmp\(key,\s*"([\w-]+)"\)', src))
    for table in re.findall(r"\bkeys\[\d*\]\s*=\s*\{([^}]*)\}", src):
        keys.update(re.findall(r'"([\w-]+)"', table))
    return keys


def check_yaml_page(page, mtcheck, source, tmp):
    roff = read_page(page)
    keys = config_keys(os.path.join(source, "checker/lib/config.c"))
    # the extraction must not rot into finding nothing
    expect({"rules", "allow", "fail-on", "record", "member", "reason"} <= keys,
           f"config.c: keys found by the test: {sorted(keys)}")
    m = re.search(r"^\.SH KEYS\n(.*?)^\.SH ", roff, re.S | re.M)
    expect(m is not None, f"{page}: no KEYS section")
    tags = set(page_tags(m.group(1))) if m else set()
    for k in sorted(keys - tags):
        expect(False, f"{page}: the parser accepts '{k}' but the page does not list it")
    for k in sorted(tags - keys):
        expect(False, f"{page}: lists '{k}', which the parser does not accept")
    ex = re.search(r"^\.SH EXAMPLE\n.*?^\.EX\n(.*?)^\.EE", roff, re.S | re.M)
    expect(ex is not None, f"{page}: no .EX example")
    if not ex:
        return
    cfg = os.path.join(tmp, "example.yaml")
    with open(cfg, "w") as f:
        f.write(roff_text(ex.group(1)))
    r = subprocess.run([mtcheck, f"--config={cfg}", "--list-rules"], capture_output=True,
                       text=True)
    expect(r.returncode == 0 and r.stderr == "",
           f"mtcheck does not load the page's example: exit {r.returncode}: {r.stderr}")
    settings = re.findall(r"^  (MT\d+): (\w+)$", roff_text(ex.group(1)), re.M)
    expect(len(settings) >= 2, f"{page}: example sets {settings}")
    for rid, val in settings:
        line = next((l for l in r.stdout.splitlines() if l.startswith(rid + " ")), "")
        expect(line.split()[2:3] == [val],
               f"example sets {rid}: {val}, mtcheck --list-rules says: '{line}'")
    print(f"mtcheck.yaml(5): keys {sorted(keys)} listed; its example loads")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--mtcheck", required=True)
    ap.add_argument("--sparse")
    a = ap.parse_args()
    for tool in ("man", "groff"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} is not installed (Debian: apt-get install man-db groff-base)")
            return 77

    with tempfile.TemporaryDirectory(prefix="mtcheck-man-") as tmp:
        prefix = os.path.join(tmp, "prefix")
        r = subprocess.run(["cmake", "--install", a.build, "--prefix", prefix],
                           capture_output=True, text=True)
        expect(r.returncode == 0, f"cmake --install: {r.stderr}")
        man = os.path.join(prefix, "share/man")
        pages = {"mtcheck": f"{man}/man1/mtcheck.1.gz",
                 "mtcheck.yaml": f"{man}/man5/mtcheck.yaml.5.gz"}
        if a.sparse:
            pages["mtcheck-sparse"] = f"{man}/man1/mtcheck-sparse.1.gz"
        for name, page in pages.items():
            expect(os.path.isfile(page), f"{page} is not installed")
        if failures:
            return 1
        for page in pages.values():
            check_render(page)

        hopts = check_program(a.mtcheck, pages["mtcheck"],
                              os.path.join(a.source, "man/mtcheck.h2m"), "mtcheck")
        for o in sorted(getopt_long_names(os.path.join(a.source, "checker/cli/main.c")) - hopts):
            expect(False, f"mtcheck accepts '{o}' (long_options) but --help does not list it")
        if a.sparse:
            # its examples go on with mtcheck --merge
            check_program(a.sparse, pages["mtcheck-sparse"],
                          os.path.join(a.source, "man/mtcheck-sparse.h2m"), "mtcheck-sparse",
                          frozenset(hopts))
        check_yaml_page(pages["mtcheck.yaml"], a.mtcheck, a.source, tmp)

        # what a reader types: man finds the installed pages by name
        for name, sect in (("mtcheck", "1"), ("mtcheck.yaml", "5")):
            r = subprocess.run(["man", "-M", man, sect, name], capture_output=True, text=True,
                               env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat"))
            expect(r.returncode == 0 and "NAME" in r.stdout,
                   f"man -M {man} {sect} {name}: exit {r.returncode}: {r.stderr}")
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("man pages: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

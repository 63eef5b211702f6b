# SPDX-License-Identifier: MIT
"""The labelled sample's table: its columns, reading, writing, checking.

One row per finding, tab-separated, with a header line.  The identity
columns (source, rule, record, wide, narrow, fingerprint) find the finding
again in a later report; confidence and evidence are what mtcheck said when
the finding was drawn; label, reason and where are the hand labels.
"""
import csv
import json
import sys

COLUMNS = ["id", "source", "drawn", "rule", "record", "wide", "narrow", "confidence",
           "evidence", "fingerprint", "label", "reason", "where"]
IDENTITY = ["source", "rule", "record", "wide", "narrow", "fingerprint"]
LABELS = ["hazard", "adapted", "view", "alternative"]
LEVELS = ["high", "medium", "low"]
DRAWN = ["drawn", "added"]


class TableError(Exception):
    pass


def clean(text):
    """One line of text without tabs, fit for a TSV cell."""
    return " ".join(str(text).split())


def identity_row(source, drawn, f):
    return {
        "id": "",
        "source": source,
        "drawn": drawn,
        "rule": f["rule"],
        "record": f["record"],
        "wide": f["wide"]["path"],
        "narrow": ",".join(n["path"] for n in f["narrow"]),
        "confidence": f["confidence"],
        "evidence": clean(" | ".join(e["text"] for e in f["evidence"])),
        "fingerprint": f["fingerprint"],
        "label": "",
        "reason": "",
        "where": "",
    }


def load_report(path):
    """The findings of a JSON report (version 1); exits 2 on a bad one."""
    try:
        with open(path, encoding="utf-8") as fp:
            report = json.load(fp)
        findings = report["findings"]
        for f in findings:
            for key in ("rule", "record", "wide", "narrow", "confidence", "evidence",
                        "fingerprint"):
                if key not in f:
                    raise KeyError(key)
    except OSError as e:
        print("%s: cannot read: %s" % (path, e.strerror), file=sys.stderr)
        sys.exit(2)
    except (ValueError, KeyError, TypeError) as e:
        print("%s: not an mtcheck JSON report: %s" % (path, e), file=sys.stderr)
        sys.exit(2)
    return findings


def read(path, labelled=False):
    """The rows of the table at PATH, checked; TableError names the line.

    With labelled, every row must carry a label, a reason and a place."""
    try:
        fp = open(path, encoding="utf-8", newline="")
    except OSError as e:
        raise TableError("%s: cannot read: %s" % (path, e.strerror))
    with fp:
        reader = csv.reader(fp, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header != COLUMNS:
            raise TableError("%s:1: the header is not the table's columns: %s"
                             % (path, "\t".join(COLUMNS)))
        rows, seen = [], set()
        for line, cells in enumerate(reader, 2):
            if len(cells) != len(COLUMNS):
                raise TableError("%s:%d: %d columns, expected %d"
                                 % (path, line, len(cells), len(COLUMNS)))
            r = dict(zip(COLUMNS, cells))
            checks = [("drawn", DRAWN), ("confidence", LEVELS)]
            if labelled or r["label"]:
                checks.append(("label", LABELS))
            for col, allowed in checks:
                if r[col] not in allowed:
                    raise TableError("%s:%d: %s '%s' is not one of %s"
                                     % (path, line, col, r[col], ", ".join(allowed)))
            for col in ["id", "source", "rule", "record", "wide", "narrow", "fingerprint"] + (
                    ["reason", "where"] if labelled else []):
                if not r[col]:
                    raise TableError("%s:%d: %s is empty" % (path, line, col))
            key = (r["source"], r["fingerprint"])
            if key in seen:
                raise TableError("%s:%d: %s finding %s is in the table twice"
                                 % (path, line, r["source"], r["fingerprint"]))
            seen.add(key)
            rows.append(r)
    return rows


def write(fp, rows):
    fp.write("\t".join(COLUMNS) + "\n")
    for r in rows:
        fp.write("\t".join(clean(r[c]) for c in COLUMNS) + "\n")

/* SPDX-License-Identifier: MIT */
/*
 * Reporters.  Each writes a whole report for a sorted findings list.
 *  text:  GCC style, one warning and one note per finding
 *  json:  version 1 (docs/json.md), a stable contract
 *  sarif: SARIF 2.1.0, with every loaded rule's help
 *  codeclimate: GitLab Code Quality, an array of Code Climate issues
 */
#ifndef MTCHECK_REPORT_H
#define MTCHECK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mtcheck/error.h"
#include "mtcheck/export.h"
#include "mtcheck/finding.h"
#include "mtcheck/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

enum mtc_format {
	MTC_FORMAT_TEXT,
	MTC_FORMAT_JSON,
	MTC_FORMAT_SARIF,
	MTC_FORMAT_CODECLIMATE,	/* GitLab Code Quality (docs/ci.md) */
};

/* "text", "json", "sarif", "codeclimate" into @out; -EINVAL for anything else. */
MTC_API int mtc_format_parse(const char *s, enum mtc_format *out);

struct mtc_report_conf {
	enum mtc_format format;
	const struct mtc_ruleset *rules;	/* SARIF lists them */
	const char *tool_version;
	/* sources laid out for several targets: "target" is always a list */
	bool multi_target;
	/* JSON: the whole report on one line, for JSON Lines files */
	bool one_line;
	/*
	 * Text: show findings of at least this confidence (0 shows all),
	 * grouped by record, and count the rest in the closing line.  JSON
	 * and SARIF always hold every finding.
	 */
	enum mtc_confidence min_confidence;
	/*
	 * The findings were compared with a baseline (mtc_baseline_compare()):
	 * the text report marks new findings and always closes with the
	 * new/unchanged/absent counts.  JSON and SARIF carry each finding's
	 * state whenever it is set; Code Quality leaves absent findings out.
	 */
	bool baseline;
};

/*
 * The words of a finding, built from its facts: the one-line message
 * ("[MT001] 'meta.end', 'meta.gap' overlay bytes 248-249 of pointer
 * 'slot[15]' in 'struct maple_range_64'; its value depends on byte order")
 * and the note with what each byte order reads.  Names from the input are
 * escaped (control characters, DEL and invalid UTF-8 as \xNN).  Both return
 * a malloc'd string, or NULL when out of memory.
 */
#define MTC_MESSAGE_RULE_NAME 1u	/* "[MT001 pointer-overlaid-by-narrow] ..." */
MTC_API char *mtc_finding_message(const struct mtc_finding *f, unsigned flags);
MTC_API char *mtc_finding_note(const struct mtc_finding *f);
/*
 * The words of one piece of evidence ("alternatives selected by the tag
 * 'type' (enum foo)"), and a finding's confidence with all of its
 * evidence ("high confidence: co-live: ...").  malloc'd, or NULL when out
 * of memory.
 */
MTC_API char *mtc_evidence_text(const struct mtc_evidence *e);
MTC_API char *mtc_finding_confidence_text(const struct mtc_finding *f);

/* Write the report; 0 or a negative errno when writing failed. */
MTC_API int mtc_report_write(FILE *out, const struct mtc_findings *fs,
			     const struct mtc_report_conf *conf);

/*
 * A C header that checks the findings where the code runs: static
 * assertions on every reported offset and size, and a self-test per finding
 * that writes marker bytes through the narrow members and compares what the
 * wide member reads with the prediction for the byte order it is compiled
 * for.  mtcheck_selftest_all() runs them and returns the number that failed.
 */
MTC_API int mtc_report_asserts(FILE *out, const struct mtc_findings *fs, const char *tool_version);

/*
 * Reading reports back.  mtcheck reads the reports it writes: JSON version
 * 1, including several such reports one after another (JSON Lines, as
 * mtcheck-sparse appends them), and SARIF, whose results carry each
 * finding's JSON fields in their property bags.  The kind is told by the
 * content, not by the file name.  The findings array is read one finding
 * at a time, so a report never sits in memory as one document.
 */
struct mtc_read_conf {
	const char *skip_input;	/* in: leave out findings whose "input" is this (NULL: none) */
	bool empty_ok;		/* in: an empty (or blank) file is a report without findings */
	bool multi_target;	/* out: set when a finding lists its targets (a multi-target run) */
};

/*
 * Add the findings of the report in file @path to @out, which drops
 * repeats.  @conf may be NULL.  Returns the number of findings added, or a
 * negative errno with @err holding one message that names @path and, for a
 * bad finding, its index (from 1) and key:
 *   "a.json: finding 3: 'record' is not a string".
 * Nothing is printed.  A file that is not a regular file (a FIFO, a
 * directory) is refused without reading it: "FILE: not a regular file".
 * On error @out may hold findings read before the bad one.
 */
MTC_API int mtc_report_read(const char *path, struct mtc_findings *out, struct mtc_read_conf *conf,
		    struct mtc_error *err);

/*
 * mtc_report_read() from the open file @fd, read from its current offset
 * to its end; @name is the file's name in messages.  @fd stays open.
 */
MTC_API int mtc_report_read_fd(int fd, const char *name, struct mtc_findings *out,
		       struct mtc_read_conf *conf, struct mtc_error *err);

/*
 * Merge: read the reports @paths[0..@n) into @out (each finding once) and
 * sort it into report order.  Returns the number of distinct findings in
 * @out, or a negative errno with @err as for mtc_report_read(): the first
 * report that cannot be read stops the merge.
 */
MTC_API int mtc_report_merge(const char *const *paths, size_t n, struct mtc_findings *out,
		     struct mtc_read_conf *conf, struct mtc_error *err);

/*
 * Add a copy of each finding of @from to @to (which drops repeats), for
 * merging findings already in memory.  0, or -ENOMEM with @err set.
 */
MTC_API int mtc_findings_add_copies(struct mtc_findings *to, const struct mtc_findings *from,
			    struct mtc_error *err);

/*
 * Baselines.  Compare the findings of this run, @fs, with @baseline, the
 * findings of an earlier report (mtc_report_read() of JSON, JSON Lines or
 * SARIF).  Findings are matched by mtc_finding_fingerprint(), which no
 * line number takes part in; among findings of one fingerprint, those
 * declared in the same file and for the same targets are paired first.
 * Each finding of @fs becomes MTC_BASELINE_NEW or _UNCHANGED, and a copy
 * of each baseline finding left unpaired is added to @fs as _ABSENT; @fs
 * is sorted again.  Findings that either list already holds as absent (a
 * report written with a baseline, read back) are not compared: those of
 * @fs are dropped, those of @baseline skipped.  Adding to @fs after this
 * is not supported.  Returns the number of new findings, or -ENOMEM with
 * @err set.
 */
MTC_API int mtc_baseline_compare(struct mtc_findings *fs, const struct mtc_findings *baseline,
				 struct mtc_error *err);

/* The version of the library, "0.1.0". */
MTC_API const char *mtc_version(void);

#ifdef __cplusplus
}
#endif
#endif

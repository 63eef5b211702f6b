/* SPDX-License-Identifier: MIT */
/*
 * Reporters.  Each writes a whole report for a sorted findings list.
 *  text:  GCC style, one warning and one note per finding
 *  json:  version 1 (docs/json.md), a stable contract
 *  sarif: SARIF 2.1.0, with every loaded rule's help
 */
#ifndef MTCHECK_REPORT_H
#define MTCHECK_REPORT_H

#include <stdio.h>

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
};

MTC_API int mtc_format_parse(const char *s, enum mtc_format *out);

struct mtc_report_conf {
	enum mtc_format format;
	const struct mtc_ruleset *rules;	/* SARIF lists them */
	const char *tool_version;
	/* sources laid out for several targets: "target" is always a list */
	bool multi_target;
	/*
	 * Text: show findings of at least this confidence (0 shows all),
	 * grouped by record, and count the rest in the closing line.  JSON
	 * and SARIF always hold every finding.
	 */
	enum mtc_confidence min_confidence;
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

/* The version of the library, "0.1.0". */
MTC_API const char *mtc_version(void);

#ifdef __cplusplus
}
#endif
#endif

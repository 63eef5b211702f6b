/* SPDX-License-Identifier: MIT */
/*
 * The command line of mtcheck-sparse: sparse's own, as the kernel's
 * `$(CHECK) $(CHECKFLAGS) $(c_flags) file.c` builds it, plus options of
 * mtcheck's that start with --mtcheck-.  mtcheck's options are taken out;
 * everything else goes to c2xml unchanged and in order, except the input
 * files, which are checked one c2xml run each.
 */
#ifndef MTCHECK_SPARSE_ARGS_H
#define MTCHECK_SPARSE_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "mtcheck/error.h"
#include "mtcheck/config.h"
#include "mtcheck/finding.h"

#define MTS_MAX_RULES_PATHS 16
#define MTS_MAX_SWITCHES 32

struct mts_options {
	/* mtcheck's own (--mtcheck-*) */
	const char *json_path;		/* append one JSON report per input; "-" is stdout */
	enum mtc_severity fail_on;	/* MTC_SEV_NONE: findings never fail the run */
	const char *config_path;
	const char *rules_paths[MTS_MAX_RULES_PATHS];
	int nr_rules_paths;
	struct mtc_rule_switch switches[MTS_MAX_SWITCHES];	/* --mtcheck-enable/-disable in order */
	int nr_switches;
	/* shown on stderr and counted by fail_on: at least this confident (JSON gets all) */
	enum mtc_confidence min_confidence;
	bool quiet;			/* no diagnostics for findings on stderr */
	const char *c2xml;		/* program to run; NULL: $MTCHECK_C2XML or "c2xml" */
	bool help, version;

	/* sparse's, for c2xml: the options in order, and the input files */
	const char **sparse_args;
	size_t nr_sparse_args;
	const char **inputs;
	size_t nr_inputs;

	/* what mtcheck-sparse itself needs to know of sparse's options */
	unsigned tabstop;		/* -ftabstop=N, 8 by default: sparse's columns */
	const char *diag_prefix;	/* -fdiagnostic-prefix[=P]: "P: " before messages */
};

/*
 * Split @argv (without the program name) into @o.  The arrays point into
 * @argv.  Returns 0, or -EINVAL with a message in @err for a bad
 * --mtcheck-* option (an unknown one included: it is surely a typo, while
 * unknown sparse or GCC options are sparse's business).
 */
int mts_parse_args(int argc, char **argv, struct mts_options *o, struct mtc_error *err);
void mts_options_release(struct mts_options *o);

/* True when sparse takes the argument after @arg as its value ("-I dir"). */
bool mts_option_takes_value(const char *arg);

#endif

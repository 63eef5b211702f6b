/* SPDX-License-Identifier: MIT */
/*
 * The plugin's arguments (-fplugin-arg-mtcheck-KEY=VALUE) and what they
 * load: rules, configuration, report files.  Plain C, like everything of the
 * plugin that does not touch GCC's trees.
 */
#ifndef MTCHECK_PLUGIN_CONF_H
#define MTCHECK_PLUGIN_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "mtcheck/config.h"
#include "mtcheck/error.h"
#include "mtcheck/finding.h"
#include "mtcheck/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One -fplugin-arg-NAME-KEY[=VALUE]; value is NULL when there is no '='. */
struct mtc_plugin_arg {
	const char *key;
	const char *value;
};

/*
 * section=: the .mtcheck section of the object.  AUTO (no argument) is
 * EXCLUDE in a kernel unit and ON elsewhere, decided per unit.
 */
enum mtc_section_mode {
	MTC_SECTION_AUTO,
	MTC_SECTION_ON,		/* section=on: kept by every link */
	MTC_SECTION_EXCLUDE,	/* section=exclude: SHF_EXCLUDE, kept by ld -r only */
	MTC_SECTION_OFF,	/* section=off: none */
};

/* Everything the arguments decide, in one place. */
struct mtc_plugin_conf {
	struct mtc_ruleset *rules;
	struct mtc_config *config;
	const char *config_path;	/* the file read, NULL when none */
	const char *json_path;		/* json=: a file, or a directory for per-unit files */
	const char *sarif_path;
	/* min-confidence=, all: findings below it are not diagnosed (the report files get them) */
	enum mtc_confidence min_confidence;
	bool werror;			/* werror=: -Werror makes findings errors (default yes) */
	/*
	 * The said file that makes a header's finding diagnosed once per build
	 * (said_file.h): once=FILE, else beside or inside the json= (or sarif=)
	 * report; NULL with once=no or without a report file.
	 */
	const char *said_path;
	bool sanitize;			/* sanitize: instrument the flagged overlays' accesses */
	/* sanitize-confidence=: the findings whose overlays are instrumented (default medium) */
	enum mtc_confidence sanitize_confidence;
	/* section=: whether and how the object keeps its findings (report_section.h) */
	enum mtc_section_mode section;
	bool no_diagnostics;		/* diagnostics=off: findings go to the reports only */
	char *owned_config_path;	/* private */
	char *owned_said_path;		/* private */
};

/*
 * Check every argument and load the rules (the installed ones, found from
 * @plugin_path, or those built into the plugin when nothing is installed
 * there; then each rules=) and the configuration (config=, or
 * .mtcheck.yaml found upward from the working directory), then apply
 * enable= and disable= in order.  @plugin_name is the "mtcheck" of
 * -fplugin-arg-mtcheck-KEY.  On error @err names the argument
 * (-fplugin-arg-mtcheck-KEY) and what is wrong with it.
 */
int mtc_plugin_conf_load(struct mtc_plugin_conf *pc, const char *plugin_name,
			 const char *plugin_path, const struct mtc_plugin_arg *args, size_t nr_args,
			 struct mtc_error *err);
void mtc_plugin_conf_free(struct mtc_plugin_conf *pc);

/* The keys the plugin takes, for its --help text. */
extern const char mtc_plugin_help[];

#ifdef __cplusplus
}
#endif
#endif

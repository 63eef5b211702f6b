/* SPDX-License-Identifier: MIT */
/*
 * Configuration: .mtcheck.yaml (found upward from a directory, or named
 * with --config), plus command-line --enable/--disable on top.
 *
 *   rules:
 *     MT004: off             # or note / warning / error / on
 *   allow:
 *     - record: struct maple_range_64
 *       member: slot[15]     # a wide or narrow path; a prefix such as "meta" matches meta.end
 *       reason: metadata only lives there while the node is not full
 *   fail-on: warning
 */
#ifndef MTCHECK_CONFIG_H
#define MTCHECK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "mtcheck/error.h"
#include "mtcheck/export.h"
#include "mtcheck/finding.h"
#include "mtcheck/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mtc_config;

/* One --enable/--disable on a command line, applied in order. */
struct mtc_rule_switch {
	const char *ids;	/* "MT001,MT002" */
	bool enable;
};

/* What mtc_setup_rules() loads, in this order. */
struct mtc_setup_conf {
	/* the installed rules; NULL: mtc_default_rules_dir() finds them */
	const char *rules_dir;
	const char *const *rules_paths;	/* the user's rule files and directories */
	size_t nr_rules_paths;
	/* NULL: .mtcheck.yaml found upward from the current directory, if any */
	const char *config_path;
	const struct mtc_rule_switch *switches;
	size_t nr_switches;
};

/*
 * What every tool does before analysing: load the installed rules and the
 * user's rules into @rs, then the configuration into @cfg, check the rule
 * ids it names, and apply the switches in order.  0 or a negative errno,
 * with @err naming the file or rule at fault.
 */
MTC_API int mtc_setup_rules(struct mtc_ruleset *rs, struct mtc_config *cfg,
			    const struct mtc_setup_conf *conf, struct mtc_error *err);

MTC_API struct mtc_config *mtc_config_new(void);
MTC_API void mtc_config_free(struct mtc_config *c);
/* Parse @path; unknown keys and bad values are errors naming file:line:col. */
MTC_API int mtc_config_load(struct mtc_config *c, const char *path, struct mtc_error *err);
/*
 * Look for .mtcheck.yaml in @dir and its parents; returns a malloc'd path or
 * NULL when there is none.
 */
MTC_API char *mtc_config_find(const char *dir);

/* "MT001,MT002" from --enable/--disable; unknown ids are an error. */
MTC_API int mtc_config_set_rules(struct mtc_config *c, const struct mtc_ruleset *rs,
				 const char *ids, bool enable, struct mtc_error *err);
/* Check that every rule id the config names exists in @rs. */
MTC_API int mtc_config_check_rules(const struct mtc_config *c, const struct mtc_ruleset *rs,
				   struct mtc_error *err);

/* Severity of @rule after the config: MTC_SEV_NONE when switched off. */
MTC_API enum mtc_severity mtc_config_severity(const struct mtc_config *c, const struct mtc_rule *rule);
/* True when an allow entry covers @f (its record and one of its paths). */
MTC_API bool mtc_config_allows(const struct mtc_config *c, const struct mtc_finding *f);
/* fail-on from the file; false when the file does not set it. */
MTC_API bool mtc_config_fail_on(const struct mtc_config *c, enum mtc_severity *out);

#ifdef __cplusplus
}
#endif
#endif

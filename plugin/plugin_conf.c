// SPDX-License-Identifier: MIT
/* The plugin's arguments, checked and loaded (see plugin_conf.h). */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin_rules.h"
#include "plugin_conf.h"

const char mtc_plugin_help[] =
	"config=FILE   configuration (default: .mtcheck.yaml found upward from the working directory)\n"
	"rules=PATH    add rule files (a .yaml file or a directory); may be repeated\n"
	"enable=IDS    switch rules on (comma-separated ids); may be repeated\n"
	"disable=IDS   switch rules off; may be repeated\n"
	"json=FILE     write the findings as a JSON report: into FILE, merged with what other\n"
	"              compilations wrote there, or into a file per unit when FILE is a directory\n"
	"sarif=FILE    the same as a SARIF 2.1.0 report\n"
	"min-confidence=low|medium|high\n"
	"              diagnose findings of at least this confidence (default medium);\n"
	"              the report files get every finding\n"
	"all           diagnose every finding: min-confidence=low\n"
	"werror=yes|no no: findings stay warnings under -Werror (default yes)\n"
	"once=FILE|no  where the compilations of a build note what they said, so that a\n"
	"              record in a header is diagnosed once per build (default: beside the\n"
	"              json= or sarif= report, FILE.said or DIR/.said); no: in every unit\n"
	"sanitize      instrument the accesses to flagged overlays for the run-time union\n"
	"              sanitizer (link with the library `mtcheck --runtime-path` prints)\n"
	"sanitize-confidence=low|medium|high\n"
	"              instrument the overlays of findings of at least this confidence\n"
	"              (default medium, as mtcheck's text report shows)\n"
	"section=on|exclude|off\n"
	"              keep the unit's findings in the object's .mtcheck section; exclude: marked\n"
	"              SHF_EXCLUDE, kept by ld -r and dropped by a final link (default: exclude in\n"
	"              a kernel unit, compiled with -D__KERNEL__, else on)\n"
	"diagnostics=on|off  findings as compiler diagnostics (default on); off: in the reports only";

enum key {
	KEY_CONFIG, KEY_RULES, KEY_ENABLE, KEY_DISABLE, KEY_JSON, KEY_SARIF,
	KEY_MIN_CONFIDENCE, KEY_ALL, KEY_WERROR, KEY_ONCE, KEY_SANITIZE,
	KEY_SANITIZE_CONFIDENCE, KEY_SECTION, KEY_DIAGNOSTICS, NR_KEYS,
};

static const struct {
	const char *name;
	const char *value;	/* what the value is, for messages; NULL: a flag, no value */
	bool repeatable;
} keys[NR_KEYS] = {
	[KEY_CONFIG] = { "config", "FILE", false },
	[KEY_RULES] = { "rules", "PATH", true },
	[KEY_ENABLE] = { "enable", "IDS", true },
	[KEY_DISABLE] = { "disable", "IDS", true },
	[KEY_JSON] = { "json", "FILE", false },
	[KEY_SARIF] = { "sarif", "FILE", false },
	[KEY_MIN_CONFIDENCE] = { "min-confidence", "LEVEL", false },
	[KEY_ALL] = { "all", NULL, false },
	[KEY_WERROR] = { "werror", "yes|no", false },
	[KEY_ONCE] = { "once", "FILE", false },
	[KEY_SANITIZE] = { "sanitize", NULL, false },
	[KEY_SANITIZE_CONFIDENCE] = { "sanitize-confidence", "low|medium|high", false },
	[KEY_SECTION] = { "section", "on|exclude|off", false },
	[KEY_DIAGNOSTICS] = { "diagnostics", "on|off", false },
};

/* yes/no; -1 for anything else */
static int yes_no(const char *v)
{
	return !strcmp(v, "yes") ? 1 : !strcmp(v, "no") ? 0 : -1;
}

/*
 * The said file that goes with report @path: FILE.said beside a shared
 * report, DIR/.said in a directory of per-unit reports (a name that
 * mtcheck --merge's usual glob of the reports, *.json, leaves out).
 */
static char *said_beside(const char *path)
{
	size_t n = strlen(path);
	struct stat st;
	char *out = malloc(n + sizeof("/.said"));

	if (!out)
		return NULL;
	if ((n && path[n - 1] == '/') || (!stat(path, &st) && S_ISDIR(st.st_mode))) {
		while (n > 1 && path[n - 1] == '/')
			n--;
		sprintf(out, "%.*s/.said", (int)n, path);
	} else {
		sprintf(out, "%s.said", path);
	}
	return out;
}

static int find_key(const char *key)
{
	for (int i = 0; i < NR_KEYS; i++)
		if (!strcmp(keys[i].name, key))
			return i;
	return -1;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/*
 * The rules installed with the plugin: the same relative place as from
 * <prefix>/<libdir>/mtcheck/mtcheck.so to <prefix>/share/mtcheck/rules, which
 * the build tree mirrors.  The plugin is found by the path GCC loaded it
 * from, never by the program it runs in (that is cc1).  MTCHECK_RULES_DIR
 * wins, as it does for the tool.
 *
 * 1 when nothing at all is at the installed place: the plugin was copied
 * without its rules, as icecream ships it to another host with the
 * compiler alone, and the rules built into it are used (builtin_rules.h).
 * Anything that is there must be a directory of rules: a file, a dangling
 * symbolic link or a directory that cannot be read is an error naming it,
 * as is a MTCHECK_RULES_DIR that is missing.
 */
#ifndef MTCHECK_PLUGIN_RULES_REL
#error "MTCHECK_PLUGIN_RULES_REL must give the rules' place relative to the plugin's directory"
#endif
static int rules_dir(const char *plugin_path, char *buf, size_t size, struct mtc_error *err)
{
	const char *env = getenv("MTCHECK_RULES_DIR");
	char real[PATH_MAX];
	struct stat st;

	if (env && *env) {
		if ((size_t)snprintf(buf, size, "%s", env) >= size)
			return mtc_error_set(err, -ENAMETOOLONG, "MTCHECK_RULES_DIR: too long");
		return 0;
	}
	if (!plugin_path || !realpath(plugin_path, real))
		return mtc_error_set(err, plugin_path ? -errno : -EINVAL,
				     "%s: %s (needed to find the rules installed with the plugin; "
				     "set MTCHECK_RULES_DIR)", plugin_path ? plugin_path : "plugin",
				     plugin_path ? strerror(errno) : "GCC did not say where it is");
	int dir_len = (int)(strrchr(real, '/') - real);

	if ((size_t)snprintf(buf, size, "%.*s/%s", dir_len, real, MTCHECK_PLUGIN_RULES_REL) >= size)
		return mtc_error_set(err, -ENAMETOOLONG, "%.*s/%s: too long", dir_len, real,
				     MTCHECK_PLUGIN_RULES_REL);
	if (lstat(buf, &st) && errno == ENOENT)
		return 1;
	if (!is_dir(buf))
		return mtc_error_set(err, -ENOENT, "%s: not a directory; the rules installed with "
				     "%s belong there (MTCHECK_RULES_DIR names others)", buf, real);
	return 0;
}

/* The rules built into the plugin, in the order a directory of them is read. */
static int load_builtin_rules(struct mtc_ruleset *rs, struct mtc_error *err)
{
	char name[128];

	for (size_t i = 0; i < mtc_nr_builtin_rules; i++) {
		const struct mtc_builtin_rule *r = &mtc_builtin_rules[i];
		int ret;

		/* messages and the rule's file name what is meant: the copy in the plugin */
		snprintf(name, sizeof(name), "(built into the plugin)/%s", r->name);
		if ((ret = mtc_ruleset_load_text(rs, name, r->text, r->len, err)))
			return ret;
	}
	return 0;
}

/* "MT001,MT002": every id must name a loaded rule. */
static int check_ids(const struct mtc_ruleset *rs, const char *arg, const char *ids,
		     struct mtc_error *err)
{
	const char *p = ids;

	for (;;) {
		size_t n = strcspn(p, ",");
		char id[64];

		if (!n || n >= sizeof(id))
			return mtc_error_set(err, -EINVAL, "%s=%s: '%.*s' is not a rule id (see mtcheck --list-rules)",
					     arg, ids, (int)n, p);
		memcpy(id, p, n);
		id[n] = '\0';
		if (!mtc_ruleset_find(rs, id))
			return mtc_error_set(err, -EINVAL, "%s=%s: unknown rule '%s' (see mtcheck --list-rules)",
					     arg, ids, id);
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

int mtc_plugin_conf_load(struct mtc_plugin_conf *pc, const char *plugin_name,
			 const char *plugin_path, const struct mtc_plugin_arg *args, size_t nr_args,
			 struct mtc_error *err)
{
	char arg[256], dir[PATH_MAX + 64];
	int seen[NR_KEYS] = { 0 };
	int ret;

	memset(pc, 0, sizeof(*pc));
	pc->min_confidence = MTC_CONF_MEDIUM;
	pc->werror = true;
	/* every argument first, so that a typo is reported before anything is loaded */
	for (size_t i = 0; i < nr_args; i++) {
		int k = find_key(args[i].key);

		snprintf(arg, sizeof(arg), "-fplugin-arg-%s-%s", plugin_name, args[i].key);
		if (k < 0)
			return mtc_error_set(err, -EINVAL,
					     "%s: unknown argument; the keys are config, rules, "
					     "enable, disable, json, sarif, min-confidence, all, "
					     "werror, once, sanitize, sanitize-confidence, section and "
					     "diagnostics", arg);
		if (!keys[k].value && args[i].value)
			return mtc_error_set(err, -EINVAL, "%s=%s: takes no value", arg,
					     args[i].value);
		if (keys[k].value && (!args[i].value || !*args[i].value))
			return mtc_error_set(err, -EINVAL, "%s: needs a value (%s=%s)", arg,
					     arg, keys[k].value);
		if (seen[k]++ && !keys[k].repeatable)
			return mtc_error_set(err, -EINVAL, "%s: given more than once", arg);
		if (k == KEY_MIN_CONFIDENCE &&
		    mtc_confidence_parse(args[i].value, &pc->min_confidence))
			return mtc_error_set(err, -EINVAL, "%s=%s: not low, medium or high", arg,
					     args[i].value);
		if (k == KEY_ALL)
			pc->min_confidence = MTC_CONF_LOW;
		if (k == KEY_WERROR) {
			int yes = yes_no(args[i].value);

			if (yes < 0)
				return mtc_error_set(err, -EINVAL, "%s=%s: not yes or no", arg,
						     args[i].value);
			pc->werror = yes;
		}
		if (k == KEY_ONCE)
			pc->said_path = args[i].value;
		if (k == KEY_CONFIG) {
			FILE *f = fopen(args[i].value, "r");

			if (!f)
				return mtc_error_set(err, -errno, "%s=%s: %s", arg, args[i].value,
						     strerror(errno));
			fclose(f);
		}
		if (k == KEY_RULES && access(args[i].value, R_OK))
			return mtc_error_set(err, -errno, "%s=%s: %s", arg, args[i].value,
					     strerror(errno));
		if (k == KEY_JSON)
			pc->json_path = args[i].value;
		if (k == KEY_SARIF)
			pc->sarif_path = args[i].value;
		if (k == KEY_CONFIG)
			pc->config_path = args[i].value;
		if (k == KEY_SANITIZE)
			pc->sanitize = true;
		if (k == KEY_SANITIZE_CONFIDENCE &&
		    mtc_confidence_parse(args[i].value, &pc->sanitize_confidence))
			return mtc_error_set(err, -EINVAL, "%s=%s: not low, medium or high", arg,
					     args[i].value);
		if (k == KEY_SECTION) {
			const char *v = args[i].value;

			pc->section = !strcmp(v, "on") ? MTC_SECTION_ON :
				      !strcmp(v, "exclude") ? MTC_SECTION_EXCLUDE :
				      !strcmp(v, "off") ? MTC_SECTION_OFF : MTC_SECTION_AUTO;
			if (pc->section == MTC_SECTION_AUTO)
				return mtc_error_set(err, -EINVAL, "%s=%s: not on, exclude or off",
						     arg, v);
		}
		if (k == KEY_DIAGNOSTICS) {
			if (strcmp(args[i].value, "on") && strcmp(args[i].value, "off"))
				return mtc_error_set(err, -EINVAL, "%s=%s: not on or off", arg,
						     args[i].value);
			pc->no_diagnostics = !strcmp(args[i].value, "off");
		}
	}
	if (seen[KEY_SANITIZE_CONFIDENCE] && !pc->sanitize)
		return mtc_error_set(err, -EINVAL, "-fplugin-arg-%s-sanitize-confidence: only "
				     "with -fplugin-arg-%s-sanitize", plugin_name, plugin_name);
	if (!seen[KEY_SANITIZE_CONFIDENCE])
		pc->sanitize_confidence = MTC_CONF_MEDIUM;
	if (pc->json_path && pc->sarif_path && !strcmp(pc->json_path, pc->sarif_path))
		return mtc_error_set(err, -EINVAL,
				     "-fplugin-arg-%s-sarif=%s: the same file as json=; "
				     "give each report its own file", plugin_name, pc->sarif_path);
	if (seen[KEY_ALL] && seen[KEY_MIN_CONFIDENCE])
		return mtc_error_set(err, -EINVAL, "-fplugin-arg-%s-all: is min-confidence=low; "
				     "give one of the two", plugin_name);
	if (pc->said_path && !strcmp(pc->said_path, "no")) {
		pc->said_path = NULL;
	} else if (pc->said_path && ((pc->json_path && !strcmp(pc->said_path, pc->json_path)) ||
				     (pc->sarif_path && !strcmp(pc->said_path, pc->sarif_path)))) {
		return mtc_error_set(err, -EINVAL, "-fplugin-arg-%s-once=%s: a report file; "
				     "the said file needs its own", plugin_name, pc->said_path);
	} else if (!pc->said_path && (pc->json_path || pc->sarif_path)) {
		pc->said_path = pc->owned_said_path =
			said_beside(pc->json_path ? pc->json_path : pc->sarif_path);
		if (!pc->said_path)
			return mtc_error_set(err, -ENOMEM, "out of memory");
	}

	pc->rules = mtc_ruleset_new();
	pc->config = mtc_config_new();
	if (!pc->rules || !pc->config)
		return mtc_error_set(err, -ENOMEM, "out of memory");
	ret = rules_dir(plugin_path, dir, sizeof(dir), err);
	if (ret == 1)
		ret = load_builtin_rules(pc->rules, err);
	else if (!ret)
		ret = mtc_ruleset_load(pc->rules, dir, err);
	if (ret)
		return ret;
	for (size_t i = 0; i < nr_args; i++) {
		if (find_key(args[i].key) != KEY_RULES)
			continue;
		if ((ret = mtc_ruleset_load(pc->rules, args[i].value, err))) {
			/* the core's message names the file; say which argument brought it */
			char msg[sizeof(err->message)];

			snprintf(msg, sizeof(msg), "%s", err->message);
			return mtc_error_set(err, ret, "-fplugin-arg-%s-rules: %s", plugin_name, msg);
		}
	}
	if (!pc->config_path)
		pc->config_path = pc->owned_config_path = mtc_config_find(".");
	if (pc->config_path) {
		ret = mtc_config_load(pc->config, pc->config_path, err);
		if (!ret)
			ret = mtc_config_check_rules(pc->config, pc->rules, err);
		if (ret) {
			char msg[sizeof(err->message)];

			snprintf(msg, sizeof(msg), "%s", err->message);
			if (pc->owned_config_path)
				return mtc_error_set(err, ret, "%s", msg);
			return mtc_error_set(err, ret, "-fplugin-arg-%s-config: %s", plugin_name, msg);
		}
	}
	for (size_t i = 0; i < nr_args; i++) {
		int k = find_key(args[i].key);

		if (k != KEY_ENABLE && k != KEY_DISABLE)
			continue;
		snprintf(arg, sizeof(arg), "-fplugin-arg-%s-%s", plugin_name, args[i].key);
		if ((ret = check_ids(pc->rules, arg, args[i].value, err)) ||
		    (ret = mtc_config_set_rules(pc->config, pc->rules, args[i].value,
						k == KEY_ENABLE, err)))
			return ret;
	}
	return 0;
}

void mtc_plugin_conf_free(struct mtc_plugin_conf *pc)
{
	mtc_ruleset_free(pc->rules);
	mtc_config_free(pc->config);
	free(pc->owned_config_path);
	free(pc->owned_said_path);
	memset(pc, 0, sizeof(*pc));
}

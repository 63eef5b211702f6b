// SPDX-License-Identifier: MIT
/* .mtcheck.yaml and the command line's rule switches. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "mtcheck/config.h"
#include "yaml_doc.h"

/* Rule settings in one configuration file; there are a handful of rules. */
#define MTC_CONFIG_MAX_RULES 1024

struct rule_setting {
	char *id;
	bool has_severity;	/* else only on/off */
	bool enabled;
	enum mtc_severity severity;
	char *where;		/* "file:line:col" for a later unknown-id error */
};

struct allow_entry {
	char *record, *member, *reason;
};

struct mtc_config {
	struct rule_setting *rules;
	size_t nr_rules;
	struct allow_entry *allow;
	size_t nr_allow;
	bool has_fail_on;
	enum mtc_severity fail_on;
};

struct mtc_config *mtc_config_new(void)
{
	return calloc(1, sizeof(struct mtc_config));
}

void mtc_config_free(struct mtc_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nr_rules; i++) {
		free(c->rules[i].id);
		free(c->rules[i].where);
	}
	for (size_t i = 0; i < c->nr_allow; i++) {
		free(c->allow[i].record);
		free(c->allow[i].member);
		free(c->allow[i].reason);
	}
	free(c->rules);
	free(c->allow);
	free(c);
}

static struct rule_setting *setting(struct mtc_config *c, const char *id)
{
	for (size_t i = 0; i < c->nr_rules; i++)
		if (!strcmp(c->rules[i].id, id))
			return &c->rules[i];
	struct rule_setting *v = realloc(c->rules, (c->nr_rules + 1) * sizeof(*v));

	if (!v)
		return NULL;
	c->rules = v;
	struct rule_setting *s = &v[c->nr_rules];

	memset(s, 0, sizeof(*s));
	if (!(s->id = strdup(id)))
		return NULL;
	s->enabled = true;
	c->nr_rules++;
	return s;
}

static int parse_rule_value(struct ydoc *d, yaml_node_t *v, const char *id,
			    struct rule_setting *s, struct mtc_error *err)
{
	const char *val;
	int ret = ydoc_scalar(d, v, id, &val, err);

	if (ret)
		return ret;
	if (!strcmp(val, "on") || !strcmp(val, "true")) {
		s->enabled = true;
	} else if (!strcmp(val, "off") || !strcmp(val, "false")) {
		s->enabled = false;
	} else if (!mtc_severity_parse(val, false, &s->severity)) {
		s->enabled = true;
		s->has_severity = true;
	} else {
		return ydoc_error(d, v, err,
				  "rule %s: '%s' is not on, off, note, warning or error", id, val);
	}
	return 0;
}

static int parse_rules(struct ydoc *d, struct mtc_config *c, yaml_node_t *n,
		       struct mtc_error *err)
{
	if (n->type != YAML_MAPPING_NODE)
		return ydoc_error(d, n, err, "'rules' must map rule ids to on, off or a severity");
	/* each id is looked up among those before it: keep that list short */
	if (n->data.mapping.pairs.top - n->data.mapping.pairs.start > MTC_CONFIG_MAX_RULES)
		return ydoc_error(d, n, err, "'rules' names more than %d rules",
				  MTC_CONFIG_MAX_RULES);
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(d, p->key), *v = ydoc_node(d, p->value);
		const char *id;
		int ret = ydoc_scalar(d, k, "rule id", &id, err);

		if (ret)
			return ret;
		struct rule_setting *s = setting(c, id);
		char where[PATH_MAX + 64];

		if (!s)
			return mtc_error_set(err, -ENOMEM, "out of memory");
		if ((ret = parse_rule_value(d, v, id, s, err)))
			return ret;
		snprintf(where, sizeof(where), "%s:%zu:%zu", d->file, k->start_mark.line + 1,
			 k->start_mark.column + 1);
		free(s->where);
		if (!(s->where = strdup(where)))
			return mtc_error_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

static int parse_allow(struct ydoc *d, struct mtc_config *c, yaml_node_t *n,
		       struct mtc_error *err)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return ydoc_error(d, n, err, "'allow' must be a list of {record, member, reason}");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = ydoc_node(d, *it);
		const char *vals[3] = { NULL, NULL, NULL };
		static const char *const keys[3] = { "record", "member", "reason" };

		if (e->type != YAML_MAPPING_NODE)
			return ydoc_error(d, e, err,
					  "each 'allow' entry must be a mapping with record, member and reason");
		for (yaml_node_pair_t *p = e->data.mapping.pairs.start;
		     p < e->data.mapping.pairs.top; p++) {
			yaml_node_t *k = ydoc_node(d, p->key), *v = ydoc_node(d, p->value);
			const char *key;
			int ret = ydoc_scalar(d, k, "key", &key, err), i;

			if (ret)
				return ret;
			for (i = 0; i < 3 && strcmp(key, keys[i]); i++)
				;
			if (i == 3)
				return ydoc_error(d, k, err,
						  "unknown key '%s' in an allow entry (record, member, reason)",
						  key);
			if ((ret = ydoc_scalar(d, v, key, &vals[i], err)))
				return ret;
		}
		for (int i = 0; i < 3; i++)
			if (!vals[i] || !*vals[i])
				return ydoc_error(d, e, err, "allow entry needs a '%s'%s", keys[i],
						  i == 2 ? ": say why the overlay is intended" : "");
		struct allow_entry *v = realloc(c->allow, (c->nr_allow + 1) * sizeof(*v));

		if (!v)
			return mtc_error_set(err, -ENOMEM, "out of memory");
		c->allow = v;
		struct allow_entry *a = &v[c->nr_allow++];

		a->record = strdup(vals[0]);
		a->member = strdup(vals[1]);
		a->reason = strdup(vals[2]);
		if (!a->record || !a->member || !a->reason)
			return mtc_error_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

int mtc_config_load(struct mtc_config *c, const char *path, struct mtc_error *err)
{
	struct ydoc d;
	int ret = ydoc_load(&d, path, err);

	if (ret)
		return ret;
	yaml_node_t *root = ydoc_root(&d);

	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top && !ret; p++) {
		yaml_node_t *k = ydoc_node(&d, p->key), *v = ydoc_node(&d, p->value);
		const char *key, *val;

		if ((ret = ydoc_scalar(&d, k, "key", &key, err)))
			break;
		if (!strcmp(key, "rules")) {
			ret = parse_rules(&d, c, v, err);
		} else if (!strcmp(key, "allow")) {
			ret = parse_allow(&d, c, v, err);
		} else if (!strcmp(key, "fail-on")) {
			if (!(ret = ydoc_scalar(&d, v, key, &val, err))) {
				if (mtc_severity_parse(val, false, &c->fail_on))
					ret = ydoc_error(&d, v, err,
							 "fail-on must be note, warning or error, not '%s'",
							 val);
				c->has_fail_on = true;
			}
		} else {
			ret = ydoc_error(&d, k, err, "unknown key '%s' (rules, allow, fail-on)", key);
		}
	}
	ydoc_free(&d);
	return ret;
}

char *mtc_config_find(const char *dir)
{
	char path[PATH_MAX + 16];
	char cur[PATH_MAX];

	if (!realpath(dir, cur))
		return NULL;
	for (;;) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/.mtcheck.yaml", strcmp(cur, "/") ? cur : "");
		if (!stat(path, &st) && S_ISREG(st.st_mode))
			return strdup(path);
		char *slash = strrchr(cur, '/');

		if (!slash || slash == cur) {
			if (!strcmp(cur, "/"))
				return NULL;
			strcpy(cur, "/");
			continue;
		}
		*slash = '\0';
	}
}

int mtc_config_set_rules(struct mtc_config *c, const struct mtc_ruleset *rs, const char *ids,
			 bool enable, struct mtc_error *err)
{
	char *copy = strdup(ids), *save = NULL;
	int ret = 0;

	if (!copy)
		return mtc_error_set(err, -ENOMEM, "out of memory");
	/* all ids known, or nothing changes */
	for (char *id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save))
		if (!mtc_ruleset_find(rs, id)) {
			ret = mtc_error_set(err, -EINVAL, "--%s: unknown rule '%s' (see --list-rules)",
					    enable ? "enable" : "disable", id);
			free(copy);
			return ret;
		}
	free(copy);
	if (!(copy = strdup(ids)))
		return mtc_error_set(err, -ENOMEM, "out of memory");
	for (char *id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		struct rule_setting *s = setting(c, id);

		if (!s) {
			ret = mtc_error_set(err, -ENOMEM, "out of memory");
			break;
		}
		s->enabled = enable;
	}
	free(copy);
	return ret;
}

int mtc_config_check_rules(const struct mtc_config *c, const struct mtc_ruleset *rs,
			   struct mtc_error *err)
{
	for (size_t i = 0; i < c->nr_rules; i++)
		if (!mtc_ruleset_find(rs, c->rules[i].id))
			return mtc_error_set(err, -EINVAL, "%s: unknown rule '%s' (see --list-rules)",
					     c->rules[i].where ? c->rules[i].where : "config",
					     c->rules[i].id);
	return 0;
}

enum mtc_severity mtc_config_severity(const struct mtc_config *c, const struct mtc_rule *rule)
{
	for (size_t i = 0; i < c->nr_rules; i++) {
		const struct rule_setting *s = &c->rules[i];

		if (strcmp(s->id, rule->id))
			continue;
		if (!s->enabled)
			return MTC_SEV_NONE;
		return s->has_severity ? s->severity : rule->severity;
	}
	return rule->severity;
}

/* "meta" covers "meta", "meta.end" and "meta[3]"; exact otherwise. */
static bool path_covers(const char *allow, const char *path)
{
	size_t n = strlen(allow);

	return !strncmp(allow, path, n) && (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

bool mtc_config_allows(const struct mtc_config *c, const struct mtc_finding *f)
{
	for (size_t i = 0; i < c->nr_allow; i++) {
		const struct allow_entry *a = &c->allow[i];

		if (!mtc_name_matches(f->record, a->record))
			continue;
		if (path_covers(a->member, f->wide.path))
			return true;
		for (size_t k = 0; k < f->nr_narrow; k++)
			if (path_covers(a->member, f->narrow[k].path))
				return true;
	}
	return false;
}

bool mtc_config_fail_on(const struct mtc_config *c, enum mtc_severity *out)
{
	if (c->has_fail_on)
		*out = c->fail_on;
	return c->has_fail_on;
}

int mtc_setup_rules(struct mtc_ruleset *rs, struct mtc_config *cfg,
		    const struct mtc_setup_conf *conf, struct mtc_error *err)
{
	char *found_rules = NULL;
	int ret = 0;

	if (!conf->rules_dir)
		ret = mtc_default_rules_dir(&found_rules, err);
	if (!ret)
		ret = mtc_ruleset_load(rs, conf->rules_dir ? conf->rules_dir : found_rules, err);
	free(found_rules);
	for (size_t i = 0; !ret && i < conf->nr_rules_paths; i++)
		ret = mtc_ruleset_load(rs, conf->rules_paths[i], err);
	if (ret)
		return ret;
	char *found = NULL;
	const char *path = conf->config_path;

	if (!path)
		path = found = mtc_config_find(".");
	if (path) {
		ret = mtc_config_load(cfg, path, err);
		if (!ret)
			ret = mtc_config_check_rules(cfg, rs, err);
	}
	free(found);
	for (size_t i = 0; !ret && i < conf->nr_switches; i++)
		ret = mtc_config_set_rules(cfg, rs, conf->switches[i].ids, conf->switches[i].enable,
					   err);
	return ret;
}

// SPDX-License-Identifier: MIT
/* Rules loaded from YAML data files. */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mtcheck/rules.h"
#include "yaml_doc.h"

/* A condition: -1 any, 0 must be false, 1 must be true. */
typedef signed char tri;

struct match {
	unsigned wide_kinds;	/* 0: any */
	unsigned narrow_kinds;	/* 0: any; else every narrow kind must be in it */
	tri wide_bitfield, narrow_bitfield, byte_array, partial, target_dependent;
};

struct rule_entry {
	struct mtc_rule rule;
	struct match *matches;
	size_t nr_matches;
	char *strings[10];	/* owned copies behind rule's pointers */
};

struct mtc_ruleset {
	struct rule_entry **v;
	size_t n, cap;
};


struct mtc_ruleset *mtc_ruleset_new(void)
{
	return calloc(1, sizeof(struct mtc_ruleset));
}

static void entry_free(struct rule_entry *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < sizeof(e->strings) / sizeof(e->strings[0]); i++)
		free(e->strings[i]);
	free(e->matches);
	free(e);
}

void mtc_ruleset_free(struct mtc_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		entry_free(rs->v[i]);
	free(rs->v);
	free(rs);
}

static int parse_kinds(struct ydoc *d, yaml_node_t *n, const char *what, unsigned *out,
		       struct mtc_error *err)
{
	*out = 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return ydoc_error(d, n, err, "'%s' must be a list of kinds", what);
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		yaml_node_t *k = ydoc_node(d, *it);
		const char *s;
		int ret = ydoc_scalar(d, k, what, &s, err);
		enum mtc_kind kind;

		if (ret)
			return ret;
		if (mtc_kind_parse(s, &kind))
			return ydoc_error(d, k, err,
					  "unknown kind '%s' (integer, bool, enum, float, pointer, function-pointer)",
					  s);
		*out |= 1u << kind;
	}
	return 0;
}

static int parse_tri(struct ydoc *d, yaml_node_t *n, const char *what, tri *out,
		     struct mtc_error *err)
{
	bool b;
	int ret = ydoc_bool(d, n, what, &b, err);

	if (!ret)
		*out = b;
	return ret;
}

static int parse_match(struct ydoc *d, yaml_node_t *n, struct match *m, struct mtc_error *err)
{
	*m = (struct match){ 0, 0, -1, -1, -1, -1, -1 };
	if (n->type != YAML_MAPPING_NODE)
		return ydoc_error(d, n, err, "each 'match' entry must be a mapping");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(d, p->key), *v = ydoc_node(d, p->value);
		const char *key;
		int ret = ydoc_scalar(d, k, "key", &key, err);

		if (ret)
			return ret;
		if (!strcmp(key, "wide"))
			ret = parse_kinds(d, v, key, &m->wide_kinds, err);
		else if (!strcmp(key, "narrow"))
			ret = parse_kinds(d, v, key, &m->narrow_kinds, err);
		else if (!strcmp(key, "wide_bitfield"))
			ret = parse_tri(d, v, key, &m->wide_bitfield, err);
		else if (!strcmp(key, "narrow_bitfield"))
			ret = parse_tri(d, v, key, &m->narrow_bitfield, err);
		else if (!strcmp(key, "byte_array"))
			ret = parse_tri(d, v, key, &m->byte_array, err);
		else if (!strcmp(key, "partial"))
			ret = parse_tri(d, v, key, &m->partial, err);
		else if (!strcmp(key, "target_dependent"))
			ret = parse_tri(d, v, key, &m->target_dependent, err);
		else
			ret = ydoc_error(d, k, err,
					 "unknown match key '%s' (wide, narrow, wide_bitfield, narrow_bitfield, byte_array, partial, target_dependent)",
					 key);
		if (ret)
			return ret;
	}
	return 0;
}

enum { S_ID, S_NAME, S_SUMMARY, S_EXPLANATION, S_BAD, S_GOOD, S_FIX, S_FILE };

static int parse_rule(struct ydoc *d, struct rule_entry *e, struct mtc_error *err)
{
	static const char *const text_keys[] = {
		[S_ID] = "id", [S_NAME] = "name", [S_SUMMARY] = "summary",
		[S_EXPLANATION] = "explanation", [S_BAD] = "bad", [S_GOOD] = "good",
		[S_FIX] = "fix",
	};
	yaml_node_t *root = ydoc_root(d), *match = NULL;
	bool have_sev = false, have_prec = false;

	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(d, p->key), *v = ydoc_node(d, p->value);
		const char *key, *val;
		int ret = ydoc_scalar(d, k, "key", &key, err);
		size_t i;

		if (ret)
			return ret;
		for (i = 0; i < sizeof(text_keys) / sizeof(text_keys[0]); i++)
			if (!strcmp(key, text_keys[i]))
				break;
		if (i < sizeof(text_keys) / sizeof(text_keys[0])) {
			if ((ret = ydoc_scalar(d, v, key, &val, err)))
				return ret;
			free(e->strings[i]);
			if (!(e->strings[i] = strdup(val)))
				return mtc_error_set(err, -ENOMEM, "out of memory");
		} else if (!strcmp(key, "severity")) {
			if ((ret = ydoc_scalar(d, v, key, &val, err)))
				return ret;
			if (mtc_severity_parse(val, false, &e->rule.severity))
				return ydoc_error(d, v, err,
						  "severity must be note, warning or error, not '%s'",
						  val);
			have_sev = true;
		} else if (!strcmp(key, "precedence")) {
			char *end;

			if ((ret = ydoc_scalar(d, v, key, &val, err)))
				return ret;
			long prec = strtol(val, &end, 10);

			if (!*val || *end || prec < 0 || prec > 100000)
				return ydoc_error(d, v, err,
						  "precedence must be a number from 0 to 100000, not '%s'",
						  val);
			e->rule.precedence = (int)prec;
			have_prec = true;
		} else if (!strcmp(key, "match")) {
			match = v;
		} else {
			return ydoc_error(d, k, err,
					  "unknown key '%s' (id, name, severity, precedence, summary, explanation, bad, good, fix, match)",
					  key);
		}
	}
	static const char *const required[] = { "id", "name", "summary" };

	for (size_t i = 0; i < 3; i++)
		if (!e->strings[i])
			return ydoc_error(d, root, err, "rule has no '%s'", required[i]);
	if (!have_sev)
		return ydoc_error(d, root, err, "rule has no 'severity'");
	if (!have_prec)
		return ydoc_error(d, root, err, "rule has no 'precedence'");
	if (!match)
		return ydoc_error(d, root, err, "rule has no 'match'");
	if (match->type != YAML_SEQUENCE_NODE || match->data.sequence.items.top ==
						      match->data.sequence.items.start)
		return ydoc_error(d, match, err, "'match' must be a non-empty list of conditions");
	size_t n = (size_t)(match->data.sequence.items.top - match->data.sequence.items.start);

	e->matches = calloc(n, sizeof(*e->matches));
	if (!e->matches)
		return mtc_error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		int ret = parse_match(d, ydoc_node(d, match->data.sequence.items.start[i]),
				      &e->matches[i], err);

		if (ret)
			return ret;
		e->nr_matches++;
	}
	const char *id = e->strings[S_ID];

	if (strlen(id) > 32 || strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(id))
		return ydoc_error(d, root, err,
				  "rule id '%s' must be up to 32 capital letters, digits, '-' or '_'",
				  id);
	return 0;
}

static int cmp_rule(const void *a, const void *b)
{
	const struct rule_entry *x = *(struct rule_entry *const *)a;
	const struct rule_entry *y = *(struct rule_entry *const *)b;

	if (x->rule.precedence != y->rule.precedence)
		return x->rule.precedence < y->rule.precedence ? -1 : 1;
	return strcmp(x->rule.id, y->rule.id);
}

/*
 * One rule from a loaded document @d, which came from @path (a file, or the
 * name given to mtc_ruleset_load_text), into @rs; @d is freed.
 */
static int add_rule(struct mtc_ruleset *rs, struct ydoc *d, const char *path,
		    struct mtc_error *err)
{
	struct rule_entry *e = calloc(1, sizeof(*e));
	int ret;

	if (!e) {
		ydoc_free(d);
		return mtc_error_set(err, -ENOMEM, "out of memory");
	}
	ret = parse_rule(d, e, err);
	ydoc_free(d);
	if (!ret && !(e->strings[S_FILE] = strdup(path)))
		ret = mtc_error_set(err, -ENOMEM, "out of memory");
	if (ret) {
		entry_free(e);
		return ret;
	}
	e->rule.id = e->strings[S_ID];
	e->rule.name = e->strings[S_NAME];
	e->rule.summary = e->strings[S_SUMMARY];
	e->rule.explanation = e->strings[S_EXPLANATION] ? e->strings[S_EXPLANATION] : "";
	e->rule.bad_example = e->strings[S_BAD] ? e->strings[S_BAD] : "";
	e->rule.good_example = e->strings[S_GOOD] ? e->strings[S_GOOD] : "";
	e->rule.fix = e->strings[S_FIX] ? e->strings[S_FIX] : "";
	e->rule.file = e->strings[S_FILE];

	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->v[i]->rule.id, e->rule.id)) {
			entry_free(rs->v[i]);
			rs->v[i] = e;
			goto sort;
		}
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 8;
		struct rule_entry **v = realloc(rs->v, cap * sizeof(*v));

		if (!v) {
			entry_free(e);
			return mtc_error_set(err, -ENOMEM, "out of memory");
		}
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n++] = e;
sort:
	qsort(rs->v, rs->n, sizeof(*rs->v), cmp_rule);
	return 0;
}

static int load_file(struct mtc_ruleset *rs, const char *path, struct mtc_error *err)
{
	struct ydoc d;
	int ret = ydoc_load(&d, path, err);

	return ret ? ret : add_rule(rs, &d, path, err);
}

int mtc_ruleset_load_text(struct mtc_ruleset *rs, const char *name, const char *text,
			  size_t len, struct mtc_error *err)
{
	struct ydoc d;
	int ret = ydoc_load_text(&d, name, text, len, err);

	return ret ? ret : add_rule(rs, &d, name, err);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int mtc_ruleset_load(struct mtc_ruleset *rs, const char *path, struct mtc_error *err)
{
	struct stat st;

	if (stat(path, &st))
		return mtc_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return load_file(rs, path, err);

	DIR *dir = opendir(path);

	if (!dir)
		return mtc_error_set(err, -errno, "%s: %s", path, strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;
	struct dirent *de;

	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".yaml"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(*nn));

			if (!nn) {
				ret = mtc_error_set(err, -ENOMEM, "out of memory");
				goto out;
			}
			names = nn;
		}
		if (!(names[n] = malloc(strlen(path) + len + 2))) {
			ret = mtc_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
		sprintf(names[n++], "%s/%s", path, de->d_name);
	}
	if (!n) {
		ret = mtc_error_set(err, -ENOENT, "%s: no rule files (*.yaml) in this directory",
				    path);
		goto out;
	}
	qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n && !ret; i++)
		ret = load_file(rs, names[i], err);
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return ret;
}

/*
 * Where the rules sit relative to the file that holds this code, from the
 * install layout (the build tree mirrors it): beside libmtcheck.so in
 * <libdir>, or beside a program in <bindir> that linked libmtcheck.a.
 */
#ifndef MTC_RULES_FROM_LIBDIR
#error "MTC_RULES_FROM_LIBDIR must give the rules' place relative to <libdir>"
#endif
#ifndef MTC_RULES_FROM_BINDIR
#error "MTC_RULES_FROM_BINDIR must give the rules' place relative to <bindir>"
#endif

static const char rules_anchor;	/* an address inside this library */

/*
 * The file that holds the library and the relative path for it.  dladdr's
 * link map names a shared object by the path it was loaded from; the main
 * program has no name there (dladdr would give argv[0], which need not be
 * a path), so a program linked with the static library is named by
 * /proc/self/exe, which is then this very file.
 */
static int library_file(char *path, const char **rel, struct mtc_error *err)
{
	Dl_info info;
	struct link_map *lm = NULL;

	if (!dladdr1(&rules_anchor, &info, (void **)&lm, RTLD_DL_LINKMAP) || !lm)
		return mtc_error_set(err, -ENOENT, "cannot tell which file libmtcheck was loaded "
				     "from, to find its rules; set MTCHECK_RULES_DIR");
	if (lm->l_name && lm->l_name[0]) {
		*rel = MTC_RULES_FROM_LIBDIR;
		if (!realpath(lm->l_name, path))
			return mtc_error_set(err, -errno, "%s: %s", lm->l_name, strerror(errno));
		return 0;
	}
	*rel = MTC_RULES_FROM_BINDIR;
	ssize_t n = readlink("/proc/self/exe", path, PATH_MAX - 1);

	if (n <= 0)
		return mtc_error_set(err, -errno, "/proc/self/exe: %s (needed to find the rules; "
				     "set MTCHECK_RULES_DIR)", strerror(errno));
	path[n] = '\0';
	return 0;
}

int mtc_default_rules_dir(char **dir, struct mtc_error *err)
{
	const char *env = getenv("MTCHECK_RULES_DIR");
	char file[PATH_MAX], real[PATH_MAX];
	const char *rel;
	int ret;

	*dir = NULL;
	if (env && *env) {
		if (!(*dir = strdup(env)))
			return mtc_error_set(err, -ENOMEM, "out of memory");
		return 0;
	}
	if ((ret = library_file(file, &rel, err)))
		return ret;
	char *slash = strrchr(file, '/');
	size_t len = (size_t)(slash - file) + 1 + strlen(rel) + 1;
	char *guess = malloc(len);

	if (!guess)
		return mtc_error_set(err, -ENOMEM, "out of memory");
	snprintf(guess, len, "%.*s/%s", (int)(slash - file), file, rel);
	struct stat st;

	if (!realpath(guess, real) || stat(real, &st) || !S_ISDIR(st.st_mode)) {
		ret = mtc_error_set(err, -ENOENT, "%s: not a directory; the rules installed with "
				    "%s belong there (MTCHECK_RULES_DIR names others)", guess, file);
		free(guess);
		return ret;
	}
	free(guess);
	if (!(*dir = strdup(real)))
		return mtc_error_set(err, -ENOMEM, "out of memory");
	return 0;
}

size_t mtc_ruleset_count(const struct mtc_ruleset *rs)
{
	return rs->n;
}

const struct mtc_rule *mtc_ruleset_at(const struct mtc_ruleset *rs, size_t i)
{
	return i < rs->n ? &rs->v[i]->rule : NULL;
}

const struct mtc_rule *mtc_ruleset_find(const struct mtc_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->v[i]->rule.id, id))
			return &rs->v[i]->rule;
	return NULL;
}

static bool tri_ok(tri t, bool v)
{
	return t < 0 || (bool)t == v;
}

static bool matches(const struct match *m, const struct mtc_overlap_facts *f)
{
	if (m->wide_kinds && !(m->wide_kinds & (1u << f->wide_kind)))
		return false;
	if (m->narrow_kinds && (f->narrow_kinds & ~m->narrow_kinds))
		return false;
	return tri_ok(m->wide_bitfield, f->wide_bitfield) &&
	       tri_ok(m->narrow_bitfield, f->narrow_bitfield) &&
	       tri_ok(m->byte_array, f->byte_array) && tri_ok(m->partial, f->partial) &&
	       tri_ok(m->target_dependent, f->target_dependent);
}

const struct mtc_rule *mtc_ruleset_match(const struct mtc_ruleset *rs,
					 const struct mtc_overlap_facts *facts)
{
	for (size_t i = 0; i < rs->n; i++)
		for (size_t k = 0; k < rs->v[i]->nr_matches; k++)
			if (matches(&rs->v[i]->matches[k], facts))
				return &rs->v[i]->rule;
	return NULL;
}

// SPDX-License-Identifier: MIT
/*
 * Source positions from DWARF.  BTF has none for members, so after the model
 * is built from BTF the same object's DWARF is walked once.  libdwfl is used
 * rather than plain libdw because relocatable objects (.o) need their
 * .rela.debug_* applied before names and lines read right.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend_internal.h"
#include "strbuf.h"

struct loc_entry {
	char *key;		/* "struct foo\x1fpath.to.member" or "struct foo" */
	struct mtc_location loc;
};

struct loc_table {
	struct loc_entry *v;
	size_t n, cap;
	struct mtc_model *m;
	bool oom;
	char cwd[4096];		/* files under it are reported relative, as a compiler would */
	size_t cwd_len;
};

static void record_name(Dwarf_Die *die, struct strbuf *sb)
{
	int tag = dwarf_tag(die);
	const char *name = dwarf_diename(die);

	if (tag == DW_TAG_typedef)
		sb_add(sb, name);
	else
		sb_addf(sb, "%s %s", tag == DW_TAG_union_type ? "union" : "struct", name);
}

static void add_entry(struct loc_table *t, const char *key, Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Word line = 0, col = 0;
	const char *file = dwarf_decl_file(die);

	if (!file || dwarf_formudata(dwarf_attr(die, DW_AT_decl_line, &attr), &line))
		return;
	if (dwarf_attr(die, DW_AT_decl_column, &attr))
		dwarf_formudata(&attr, &col);
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct loc_entry *v = realloc(t->v, cap * sizeof(*v));

		if (!v) {
			t->oom = true;
			return;
		}
		t->v = v;
		t->cap = cap;
	}
	struct loc_entry *e = &t->v[t->n];

	if (t->cwd_len && !strncmp(file, t->cwd, t->cwd_len) && file[t->cwd_len] == '/')
		file += t->cwd_len + 1;
	e->key = strdup(key);
	e->loc.file = mtc_model_strdup(t->m, file);
	if (!e->key || !e->loc.file) {
		free(e->key);
		t->oom = true;
		return;
	}
	e->loc.line = (unsigned)line;
	e->loc.column = (unsigned)col;
	t->n++;
}

static bool anonymous_record(Dwarf_Die *type)
{
	int tag = dwarf_tag(type);

	return (tag == DW_TAG_structure_type || tag == DW_TAG_union_type) &&
	       !dwarf_diename(type);
}

/* Members of a record DIE, descending into anonymous record types. */
static void walk_members(struct loc_table *t, Dwarf_Die *rec, struct strbuf *key, int depth)
{
	Dwarf_Die child;

	if (depth > 64 || dwarf_child(rec, &child))
		return;
	do {
		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		const char *name = dwarf_diename(&child);
		size_t len = key->len;
		Dwarf_Attribute attr;
		Dwarf_Die type;

		if (name) {
			if (key->buf[len - 1] != '\x1f')
				sb_addc(key, '.');
			sb_add(key, name);
			add_entry(t, sb_str(key), &child);
		}
		/* arrays of anonymous records keep the same path without indexes */
		if (dwarf_formref_die(dwarf_attr(&child, DW_AT_type, &attr), &type)) {
			while (dwarf_tag(&type) == DW_TAG_array_type ||
			       dwarf_tag(&type) == DW_TAG_const_type ||
			       dwarf_tag(&type) == DW_TAG_volatile_type) {
				if (!dwarf_formref_die(dwarf_attr(&type, DW_AT_type, &attr), &type))
					break;
			}
			if (anonymous_record(&type))
				walk_members(t, &type, key, depth + 1);
		}
		sb_truncate(key, len);
	} while (!dwarf_siblingof(&child, &child));
}

static void walk_die(struct loc_table *t, Dwarf_Die *die, int depth)
{
	Dwarf_Die child;

	if (depth > 64 || dwarf_child(die, &child))
		return;
	do {
		int tag = dwarf_tag(&child);
		Dwarf_Die *rec = NULL, type;
		Dwarf_Attribute attr;

		if ((tag == DW_TAG_structure_type || tag == DW_TAG_union_type) &&
		    dwarf_diename(&child) && dwarf_hasattr(&child, DW_AT_byte_size)) {
			rec = &child;
		} else if (tag == DW_TAG_typedef && dwarf_diename(&child) &&
			   dwarf_formref_die(dwarf_attr(&child, DW_AT_type, &attr), &type) &&
			   anonymous_record(&type)) {
			rec = &type;
		}
		if (rec) {
			struct strbuf key;

			sb_init(&key);
			record_name(&child, &key);
			add_entry(t, sb_str(&key), &child);
			sb_addc(&key, '\x1f');
			walk_members(t, rec, &key, 0);
			if (key.oom)
				t->oom = true;
			sb_free(&key);
		}
		/* types declared inside functions and namespaces */
		if (tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block ||
		    tag == DW_TAG_namespace)
			walk_die(t, &child, depth + 1);
	} while (!dwarf_siblingof(&child, &child));
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct loc_entry *)a)->key, ((const struct loc_entry *)b)->key);
}

static const struct mtc_location *lookup(const struct loc_table *t, const char *key)
{
	struct loc_entry k = { .key = (char *)key };
	const struct loc_entry *e = bsearch(&k, t->v, t->n, sizeof(*t->v), cmp_entry);

	return e ? &e->loc : NULL;
}

static void assign(const struct loc_table *t, struct mtc_type *rec, struct strbuf *key,
		   int depth)
{
	if (depth > 64)
		return;
	for (size_t i = 0; i < rec->nr_members; i++) {
		struct mtc_member *mb = &rec->members[i];
		size_t len = key->len;

		if (mb->name) {
			if (key->buf[len - 1] != '\x1f')
				sb_addc(key, '.');
			sb_add(key, mb->name);
			const struct mtc_location *l = lookup(t, sb_str(key));

			if (l && !mb->loc.file)
				mb->loc = *l;
		}
		struct mtc_type *ty = mb->type;

		while (ty && ty->kind == MTC_KIND_ARRAY)
			ty = ty->element;
		if (ty && mtc_kind_is_record(ty->kind) && !ty->name)
			assign(t, ty, key, depth + 1);
		sb_truncate(key, len);
	}
}

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

int mtc_dwarf_locations(const char *path, struct mtc_model *m, struct mtc_error *err)
{
	struct loc_table t = { .m = m };
	Dwfl *dwfl = dwfl_begin(&offline_callbacks);
	int ret = 0;

	if (!dwfl)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
	if (getcwd(t.cwd, sizeof(t.cwd)))
		t.cwd_len = strlen(t.cwd);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		dwfl_end(dwfl);
		return mtc_error_set(err, -errno, "%s: %s", path, strerror(errno));
	}
	/* dwfl takes the descriptor */
	Dwfl_Module *mod = dwfl_report_offline(dwfl, path, path, fd);

	dwfl_report_end(dwfl, NULL, NULL);
	Dwarf_Addr bias;
	Dwarf_Die *cu = NULL;

	/* DWARF pahole could read but libdwfl cannot: positions are just unknown */
	if (mod) {
		while ((cu = dwfl_nextcu(dwfl, cu, &bias)))
			walk_die(&t, cu, 0);
	}
	dwfl_end(dwfl);
	if (t.oom) {
		ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
		goto out;
	}
	qsort(t.v, t.n, sizeof(*t.v), cmp_entry);
	for (size_t i = 0; i < mtc_model_nr_records(m); i++) {
		struct mtc_type *rec = mtc_model_record_at(m, i);
		struct strbuf key;

		sb_init(&key);
		sb_add(&key, rec->name);
		const struct mtc_location *l = lookup(&t, sb_str(&key));

		if (l && !rec->loc.file)
			rec->loc = *l;
		sb_addc(&key, '\x1f');
		assign(&t, rec, &key, 0);
		if (key.oom)
			ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
		sb_free(&key);
	}
out:
	for (size_t i = 0; i < t.n; i++)
		free(t.v[i].key);
	free(t.v);
	return ret;
}

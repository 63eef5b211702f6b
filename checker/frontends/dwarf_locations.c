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
#include <gelf.h>
#include <libelf.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend_internal.h"
#include "strbuf.h"

struct loc_entry {
	char *key;		/* "struct foo\x1fpath.to.member" or "struct foo" */
	struct mtc_location loc;
	bool fixed_order;	/* records: scalar_storage_order, seen as DW_AT_endianity */
};

struct loc_table {
	struct loc_entry *v;
	size_t n, cap;
	struct mtc_model *m;
	bool oom;
	/* a record DWARF describes as containing itself, or too many members */
	int bad;
	char bad_what[600];
	/* anonymous record types being walked, for the cycle check */
	Dwarf_Off open[MTC_MAX_NESTING];
	size_t members;		/* walked below the current named record */
	char cwd[4096];		/* files under it are reported relative, as a compiler would */
	size_t cwd_len;
};

/* The model's name of the record that @die (a record or a typedef of one) names. */
static void record_name(Dwarf_Die *die, struct strbuf *sb)
{
	int tag = dwarf_tag(die);
	const char *name = dwarf_diename(die);
	struct mtc_spelling sp;

	mtc_spell_init(&sp);
	if (tag == DW_TAG_typedef)
		mtc_spell_add(&sp, name);
	else
		mtc_spell_tagged(&sp, tag == DW_TAG_union_type ? "union" : "struct", name);
	sb_add(sb, sp.buf);
}

static struct loc_entry *add_entry(struct loc_table *t, const char *key, Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Word line = 0, col = 0;
	const char *file = dwarf_decl_file(die);

	if (!file || dwarf_formudata(dwarf_attr(die, DW_AT_decl_line, &attr), &line))
		return NULL;
	if (dwarf_attr(die, DW_AT_decl_column, &attr))
		dwarf_formudata(&attr, &col);
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct loc_entry *v = realloc(t->v, cap * sizeof(*v));

		if (!v) {
			t->oom = true;
			return NULL;
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
		return NULL;
	}
	e->loc.line = (unsigned)line;
	e->loc.column = (unsigned)col;
	e->fixed_order = false;
	t->n++;
	return e;
}

/*
 * GCC marks the scalars of a record declared with scalar_storage_order by
 * DW_AT_endianity when the order is the reverse of the target's; a record
 * in the target's own order looks like any other in DWARF, so only the
 * reversed ones can be recognised here.
 */
static bool reversed_storage_order(Dwarf_Die *rec)
{
	Dwarf_Die child, type;
	Dwarf_Attribute attr;

	if (dwarf_child(rec, &child))
		return false;
	do {
		if (dwarf_tag(&child) != DW_TAG_member ||
		    !dwarf_formref_die(dwarf_attr(&child, DW_AT_type, &attr), &type))
			continue;
		for (int depth = 0; depth < 8; depth++) {
			int tag = dwarf_tag(&type);

			if (tag == DW_TAG_base_type)
				return dwarf_hasattr(&type, DW_AT_endianity);
			if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
			    tag != DW_TAG_volatile_type && tag != DW_TAG_array_type)
				break;
			if (!dwarf_formref_die(dwarf_attr(&type, DW_AT_type, &attr), &type))
				break;
		}
	} while (!dwarf_siblingof(&child, &child));
	return false;
}

static bool anonymous_record(Dwarf_Die *type)
{
	int tag = dwarf_tag(type);

	return (tag == DW_TAG_structure_type || tag == DW_TAG_union_type) &&
	       !dwarf_diename(type);
}

/* Members of a record DIE, descending into anonymous record types. */
/*
 * Members of a record DIE, descending into anonymous record types.  A
 * crafted object can make an anonymous type contain itself, or share one
 * type among many members at every level; both are refused rather than
 * walked without end.
 */
static void walk_members(struct loc_table *t, Dwarf_Die *rec, struct strbuf *key, int depth)
{
	Dwarf_Die child;

	if (t->bad || depth > 64 || dwarf_child(rec, &child))
		return;
	t->open[depth] = dwarf_dieoffset(rec);
	do {
		if (++t->members > MTC_MAX_EXPANDED) {
			t->bad = -E2BIG;
			const char *k = sb_str(key);

			snprintf(t->bad_what, sizeof(t->bad_what),
				 "'%.*s' has more than %u members with its nested records expanded",
				 (int)strcspn(k, "\x1f"), k, MTC_MAX_EXPANDED);
			return;
		}
		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		const char *name = dwarf_diename(&child);
		size_t len = key->len;
		Dwarf_Attribute attr;
		Dwarf_Die type;
		struct loc_entry *e = NULL;

		if (name) {
			if (key->buf[len - 1] != '\x1f')
				sb_addc(key, '.');
			sb_add(key, name);
			e = add_entry(t, sb_str(key), &child);
		}
		/* arrays of anonymous records keep the same path without indexes */
		if (dwarf_formref_die(dwarf_attr(&child, DW_AT_type, &attr), &type)) {
			while (dwarf_tag(&type) == DW_TAG_array_type ||
			       dwarf_tag(&type) == DW_TAG_const_type ||
			       dwarf_tag(&type) == DW_TAG_volatile_type) {
				if (!dwarf_formref_die(dwarf_attr(&type, DW_AT_type, &attr), &type))
					break;
			}
			if (anonymous_record(&type)) {
				Dwarf_Off off = dwarf_dieoffset(&type);

				for (int i = 0; i <= depth; i++)
					if (t->open[i] == off) {
						t->bad = -ELOOP;
						const char *k = sb_str(key), *sep = strchr(k, '\x1f');

						snprintf(t->bad_what, sizeof(t->bad_what),
							 "an anonymous record in '%.*s' contains itself "
							 "through '%s'", (int)(sep - k), k, sep + 1);
						return;
					}
				/* before walking: more entries may move the table */
				if (e)
					e->fixed_order = reversed_storage_order(&type);
				walk_members(t, &type, key, depth + 1);
				if (t->bad)
					return;
			}
		}
		sb_truncate(key, len);
	} while (!dwarf_siblingof(&child, &child));
}

static void walk_die(struct loc_table *t, Dwarf_Die *die, int depth)
{
	Dwarf_Die child;

	if (t->bad || depth > 64 || dwarf_child(die, &child))
		return;
	do {
		if (t->bad)
			return;
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
			struct loc_entry *e = add_entry(t, sb_str(&key), &child);

			if (e)
				e->fixed_order = reversed_storage_order(rec);
			sb_addc(&key, '\x1f');
			t->members = 0;
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

static const struct loc_entry *lookup(const struct loc_table *t, const char *key)
{
	struct loc_entry k = { .key = (char *)key };

	return bsearch(&k, t->v, t->n, sizeof(*t->v), cmp_entry);
}

static void assign(const struct loc_table *t, const struct mtc_type *rec, struct strbuf *key,
		   int depth)
{
	if (depth > 64)
		return;
	for (size_t i = 0; i < rec->nr_members; i++) {
		struct mtc_member *mb = mtc_model_edit_member(t->m, rec, i);
		size_t len = key->len;

		if (!mb)
			return;	/* not a record of this model: nothing to assign */

		if (mb->name) {
			if (key->buf[len - 1] != '\x1f')
				sb_addc(key, '.');
			sb_add(key, mb->name);
			const struct loc_entry *e = lookup(t, sb_str(key));

			if (e && !mb->loc.file)
				mb->loc = e->loc;
			/* a named member of an anonymous record type in reversed order */
			const struct mtc_type *mt = mb->type;

			while (mt && mt->kind == MTC_KIND_ARRAY)
				mt = mt->element;
			if (e && e->fixed_order && mt && mtc_kind_is_record(mt->kind) && !mt->name)
				mtc_model_edit_type(t->m, mt)->order = MTC_ORDER_FIXED;
		}
		const struct mtc_type *ty = mb->type;

		while (ty && ty->kind == MTC_KIND_ARRAY)
			ty = ty->element;
		if (ty && mtc_kind_is_record(ty->kind) && !ty->name)
			assign(t, ty, key, depth + 1);
		sb_truncate(key, len);
	}
}

static void walk_plain(struct loc_table *t, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Dwarf *dw = fd >= 0 ? dwarf_begin(fd, DWARF_C_READ) : NULL;
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dw && !dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL)) {
		Dwarf_Die cu;

		if (dwarf_offdie(dw, off + hsize, &cu))
			walk_die(t, &cu, 0);
		off = next;
	}
	if (dw)
		dwarf_end(dw);
	if (fd >= 0)
		close(fd);
}

/*
 * libdwfl keeps the descriptor it was given open when it refuses the file
 * as no ELF object; such a file has no positions to read anyway.
 */
static bool is_elf(int fd)
{
	Elf *elf;
	GElf_Ehdr eh;
	bool ok;

	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	ok = elf && elf_kind(elf) == ELF_K_ELF && gelf_getehdr(elf, &eh);
	if (elf)
		elf_end(elf);
	return ok;
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
	if (!is_elf(fd)) {
		close(fd);
		dwfl_end(dwfl);
		return 0;
	}
	/* dwfl takes the descriptor when it reports the module, and only then */
	Dwfl_Module *mod = dwfl_report_offline(dwfl, path, path, fd);

	if (!mod)
		close(fd);

	dwfl_report_end(dwfl, NULL, NULL);
	Dwarf_Addr bias;
	Dwarf_Die *cu = NULL;

	size_t cus = 0;

	if (mod) {
		while ((cu = dwfl_nextcu(dwfl, cu, &bias))) {
			walk_die(&t, cu, 0);
			cus++;
		}
	}
	dwfl_end(dwfl);
	/*
	 * libdwfl refuses objects whose relocations it has no backend for (MIPS
	 * relocatable objects here).  Read those with plain libdw: their REL
	 * relocations keep the addends in place, so names and lines still read
	 * right.  When that fails too, positions are just unknown.
	 */
	if (!cus && !t.oom)
		walk_plain(&t, path);
	if (t.oom) {
		ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
		goto out;
	}
	if (t.bad) {
		ret = mtc_error_set(err, t.bad, "%s: invalid DWARF: %s", path, t.bad_what);
		goto out;
	}
	/* no DWARF, or no positions in it: nothing to place (and no array to sort) */
	if (!t.n)
		goto out;
	qsort(t.v, t.n, sizeof(*t.v), cmp_entry);
	for (size_t i = 0; i < mtc_model_nr_records(m); i++) {
		struct mtc_type *rec = mtc_model_edit_type(m, mtc_model_record_at(m, i));
		struct strbuf key;

		sb_init(&key);
		sb_add(&key, rec->name);
		const struct loc_entry *e = lookup(&t, sb_str(&key));

		if (e && !rec->loc.file)
			rec->loc = e->loc;
		if (e && e->fixed_order)
			rec->order = MTC_ORDER_FIXED;
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

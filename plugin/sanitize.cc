// SPDX-License-Identifier: MIT
/*
 * The union sanitizer's instrumentation (-fplugin-arg-mtcheck-sanitize).
 *
 * What the analysis flagged becomes three sets, keyed by GCC's uids:
 *
 *  - narrow fields: the FIELD_DECL of every narrow leaf of a flagged
 *    overlay ("end" of struct maple_metadata for 'meta.end').  A store to
 *    that field, through whatever pointer, is a narrow store.
 *  - wide types: the type of every flagged wide member (void *, uint32_t),
 *    and the wide members that are bitfields.  A load of that type from
 *    memory is checked against the shadow, a store of it clears it.
 *  - tracked records: the flagged records and the records on the way to
 *    their leaves (struct maple_metadata, the anonymous struct and union);
 *    an assignment of a record holding one of them by value moves the
 *    shadow (or clears it, for an initialiser), and a local variable of
 *    such a type has its shadow cleared when its scope ends, since the
 *    stack slot will be reused.
 *
 * This file builds those sets from the findings and registers the pass;
 * sanitize_impl.h says where the rest is.  The calls, site descriptors and
 * their meaning are runtime/include/mtcheck_rt.h's.  The plugin adds only
 * calls and read-only data: every original statement is kept as it was, so
 * an instrumented program computes what the plain one does.
 */
#include "sanitize_impl.h"

using namespace mtc_san;

struct mtc_sanitizer *mtc_sanitizer_new(const char *plugin, enum mtc_confidence min,
					const struct mtc_gcc_names *names, mtc_guard_fn *guard,
					const char *crash_test)
{
	struct mtc_sanitizer *s = new mtc_sanitizer();

	s->plugin = plugin;
	s->min = min;
	s->names = names;
	s->guard = guard;
	s->crash_test = crash_test;
	return s;
}

static void free_info(member_info *m)
{
	free(m->member);
	free(m->record);
	free(m->type);
	for (unsigned i = 0; i < m->lines.length(); i++) {
		free(m->lines[i].path);
		free(m->lines[i].text);
	}
	m->lines.release();
	delete m;
}

void mtc_sanitizer_free(struct mtc_sanitizer *s)
{
	if (!s)
		return;
	for (hash_map<uid_hash, member_info *>::iterator it = s->narrow.begin();
	     it != s->narrow.end(); ++it)
		free_info((*it).second);
	for (hash_map<uid_hash, member_info *>::iterator it = s->wide.begin();
	     it != s->wide.end(); ++it)
		free_info((*it).second);
	for (hash_map<uid_hash, char *>::iterator it = s->wide_types.begin();
	     it != s->wide_types.end(); ++it)
		free((*it).second);
	delete s;
}

/* ---------------------------------------------------------------------- */
/* From findings to fields                                                 */

/*
 * The field called @name (@len bytes) of record @t, looking through
 * anonymous members as the model's paths do; each anonymous record passed
 * on the way is tracked.
 */
static tree find_field(struct mtc_sanitizer *s, tree t, const char *name, size_t len, int depth)
{
	if (depth > MTC_MAX_NESTING)
		return NULL_TREE;
	for (tree f = TYPE_FIELDS(t); f; f = DECL_CHAIN(f)) {
		if (TREE_CODE(f) != FIELD_DECL)
			continue;
		if (DECL_NAME(f)) {
			const char *n = IDENTIFIER_POINTER(DECL_NAME(f));

			if (strlen(n) == len && !memcmp(n, name, len))
				return f;
			continue;
		}
		tree ft = TREE_TYPE(f);

		if (is_record(ft) && COMPLETE_TYPE_P(ft)) {
			tree r = find_field(s, ft, name, len, depth + 1);

			if (r) {
				s->tracked.add(key(TYPE_UID(TYPE_MAIN_VARIANT(ft))));
				return r;
			}
		}
	}
	return NULL_TREE;
}

/* A leaf found from a finding's path. */
struct resolved {
	tree field;
	char record[MTC_GCC_NAME_MAX];	/* nearest named record holding it, "" when none */
	char member[512];		/* its path from there, without its own indices */
};

/*
 * Follow @path ("meta.end", "slot[15]", "u.h[1]") from record @root (named
 * @root_name) to its leaf field.  Every record entered is tracked.  False
 * when the path does not match the tree.
 */
static bool resolve(struct mtc_sanitizer *s, tree root, const char *root_name, const char *path,
		    struct resolved *out)
{
	tree t = root;
	char buf[MTC_GCC_NAME_MAX];
	size_t mlen = 0;
	const char *p = path;

	snprintf(out->record, sizeof(out->record), "%s", root_name);
	out->member[0] = '\0';
	out->field = NULL_TREE;
	s->tracked.add(key(TYPE_UID(TYPE_MAIN_VARIANT(root))));
	while (*p) {
		size_t len = strcspn(p, ".[");

		if (!is_record(t) || !COMPLETE_TYPE_P(t) || !len)
			return false;
		tree f = find_field(s, t, p, len, 0);

		if (!f)
			return false;
		mlen += snprintf(out->member + mlen, sizeof(out->member) - mlen, "%s%.*s",
				 mlen ? "." : "", (int)len, p);
		if (mlen >= sizeof(out->member))
			return false;
		p += len;
		t = TREE_TYPE(f);
		while (*p == '[') {
			const char *close = strchr(p, ']');

			if (!close || TREE_CODE(t) != ARRAY_TYPE)
				return false;
			p = close + 1;
			t = TREE_TYPE(t);
		}
		out->field = f;
		if (*p == '.')
			p++;
		else if (*p)
			return false;
		if (*p && is_record(t)) {
			t = TYPE_MAIN_VARIANT(t);
			s->tracked.add(key(TYPE_UID(t)));
			/* a named record starts the paths sites give */
			const char *n = mtc_gcc_record_name(s->names, t, buf);

			if (n) {
				snprintf(out->record, sizeof(out->record), "%s", n);
				mlen = 0;
				out->member[0] = '\0';
			}
		}
	}
	return out->field != NULL_TREE;
}

static member_info *info_for(hash_map<uid_hash, member_info *> &map, const struct resolved *r,
			     const char *type)
{
	bool existed;
	member_info *&m = map.get_or_insert(key(DECL_UID(r->field)), &existed);

	if (!existed) {
		m = new member_info();
		m->member = xstrdup(r->member);
		m->record = r->record[0] ? xstrdup(r->record) : NULL;
		m->type = xstrdup(type);
		m->lines = vNULL;
	}
	return m;
}

void mtc_sanitizer_add(struct mtc_sanitizer *s, tree type, const struct mtc_finding *f)
{
	struct resolved w, n;

	if (f->confidence < s->min || !f->record || !f->wide.path)
		return;
	type = TYPE_MAIN_VARIANT(type);
	if (!resolve(s, type, f->record, f->wide.path, &w))
		return;
	/* each narrow leaf must resolve too, or none of the finding is used */
	for (size_t i = 0; i < f->nr_narrow; i++)
		if (!resolve(s, type, f->record, f->narrow[i].path, &n))
			return;

	info_for(s->wide, &w, f->wide.type);
	if (!DECL_BIT_FIELD_TYPE(w.field)) {
		tree wt = TYPE_MAIN_VARIANT(strip_arrays(TREE_TYPE(w.field)));
		bool existed;
		char *&spelled = s->wide_types.get_or_insert(key(TYPE_UID(wt)), &existed);

		if (!existed)
			spelled = xstrdup(f->wide.type);
	}
	const char *what = mtc_kind_word(f->wide.kind, f->wide.bit_size != 0);
	char range[64];

	if (f->wide.bit_size)
		snprintf(range, sizeof(range), "bits %u-%u", f->wide.bit_offset,
			 f->wide.bit_offset + f->wide.bit_size - 1);
	else
		snprintf(range, sizeof(range), "bytes %llu-%llu", (unsigned long long)f->wide.offset,
			 (unsigned long long)(f->wide.offset + f->wide.size - 1));
	for (size_t i = 0; i < f->nr_narrow; i++) {
		const struct mtc_leaf *l = &f->narrow[i];

		resolve(s, type, f->record, l->path, &n);
		member_info *m = info_for(s->narrow, &n, l->type);
		char *text = xasprintf("%s: '%s' overlays %s '%s' (%s)", f->record, l->path, what,
				       f->wide.path, range);
		bool dup = false;

		for (unsigned k = 0; k < m->lines.length() && !dup; k++)
			dup = !strcmp(m->lines[k].text, text);
		if (dup) {
			free(text);
			continue;
		}
		overlay_line line = { xstrdup(l->path), text };

		m->lines.safe_push(line);
	}
}


/* ---------------------------------------------------------------------- */
/* The pass                                                                */

static const pass_data sanitize_pass_data = {
	GIMPLE_PASS,
	"mtcheck_sanitize",	/* its dump: -fdump-tree-all */
	OPTGROUP_NONE,
	TV_NONE,
	PROP_gimple_any | PROP_cfg,
	0, 0, 0, 0,
};

/* nothing flagged in this unit: nothing to do, and no cost at all */
static bool anything_flagged(struct mtc_sanitizer *s, function *)
{
	return s->narrow.elements() || s->wide_types.elements() || s->wide.elements();
}

static unsigned instrument(struct mtc_sanitizer *s, function *fun)
{
	struct fn_job j = { s, fun, 0, vNULL };

	build_decls();
	instrument_function(&j);
	return 0;
}

static const struct pass_kind sanitize_pass_kind = {
	&sanitize_pass_data, "cfg", anything_flagged, instrument, "instrumenting",
};

namespace {

/* One function's run of a pass, under the crash guard. */
struct pass_job {
	const struct pass_kind *kind;
	struct mtc_sanitizer *s;
	function *fun;
	unsigned todo;
};

void run_job(void *arg)
{
	struct pass_job *j = (struct pass_job *)arg;

	j->todo = j->kind->run(j->s, j->fun);
}

class sanitizer_pass : public gimple_opt_pass {
public:
	sanitizer_pass(gcc::context *ctxt, struct mtc_sanitizer *san, const struct pass_kind *k)
		: gimple_opt_pass(*k->data, ctxt), s(san), kind(k)
	{
	}

	opt_pass *clone() final override
	{
		return new sanitizer_pass(m_ctxt, s, kind);
	}

	bool gate(function *fun) final override
	{
		return kind->gate(s, fun);
	}

	unsigned int execute(function *fun) final override
	{
		struct pass_job j = { kind, s, fun, 0 };
		char what[MTC_GCC_NAME_MAX + 64];

		snprintf(what, sizeof(what), "while %s '%s'", kind->doing, function_name(fun));
		s->guard(run_job, &j, DECL_SOURCE_LOCATION(fun->decl), s->plugin, what);
		return j.todo;
	}

private:
	struct mtc_sanitizer *s;
	const struct pass_kind *kind;
};

} // namespace

static void register_pass(struct mtc_sanitizer *s, const struct pass_kind *kind)
{
	struct register_pass_info info;

	info.pass = new sanitizer_pass(g, s, kind);
	info.reference_pass_name = kind->after;
	info.ref_pass_instance_number = 1;
	info.pos_op = PASS_POS_INSERT_AFTER;
	register_callback(s->plugin, PLUGIN_PASS_MANAGER_SETUP, NULL, &info);
}

/*
 * Where the pass runs: right after the CFG is built ("cfg"), in the
 * lowering passes every function goes through at every -O level, before
 * the SSA form and every optimisation.  This is the only place that sees
 * the source's accesses at both -O0 and -O2: later, at -O2, memcpy of a
 * small constant size has become a load and store of an integer (which
 * would pass for a wide access), store merging has joined meta.end and
 * meta.gap into one 16-bit store that no longer names a narrow field, and
 * SRA has split local records into scalars.  Running before inlining also
 * means an inlined access keeps the site of the function it is written in,
 * and the calls, which are `leaf` and `nothrow`, only stop the optimiser
 * from dropping or moving the accesses they watch.  The functions are not
 * in SSA form yet, so the pass needs no SSA update; the variables whose
 * address it takes are marked addressable before SSA is built.
 */
void mtc_sanitizer_register(struct mtc_sanitizer *s)
{
	register_pass(s, &sanitize_pass_kind);
	register_pass(s, &loop_pass_kind);
	register_callback(s->plugin, PLUGIN_REGISTER_GGC_ROOTS, NULL, (void *)root_tab);
}

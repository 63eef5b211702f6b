// SPDX-License-Identifier: MIT
/*
 * The union sanitizer's inline fast paths: before a call of the run-time
 * that has nothing to do in the common case, the test that proves it, as
 * mtcheck_rt.h describes the shadow's first level and a region's records.
 *
 *   load, clear (at most 8 bytes inside one granule):
 *
 *	a = (size_t) addr; hi = a >> SHIFT;
 *	if (hi >= REGIONS) call;		// 64-bit targets only: above 2^48
 *	else if ((p = __mtcheck_rt_shadow[hi]) != 0 && p[(a >> 3) & (GRANULES - 1)] != 0)
 *		call;				// cold
 *
 *   narrow store (the same bounds): the call is skipped only when every
 *   byte stored already carries this very site, which is the run-time's
 *   own store fast path (store_unchanged() in rt_shadow.c), inline:
 *
 *	if (hi < REGIONS && (p = __mtcheck_rt_shadow[hi]) != 0 &&
 *	    (g = ((void **)(p + GRANULES))[(a >> 3) & (GRANULES - 1)]) != 0) {
 *		gen = acquire(g->gen);
 *		if (acquire(g->base) == (a & ~7) &&
 *		    acquire(g->site[a & 7]) == site && ... (SIZE of them) &&
 *		    relaxed(g->gen) == gen)
 *			skip the call;
 *	}
 *	call;
 *
 * A loop rewriting a node's metadata with the value it holds, as the maple
 * tree's walks do, then costs no call.  Memory no narrow store touched
 * costs a few instructions and no call.  The run-time makes the exact
 * checks.  The function is not in SSA form yet: the values are
 * temporaries, and splitting blocks keeps the loops up to date.
 */
#include "sanitize_impl.h"

#include "memmodel.h"

using namespace mtc_san;

/* A new temporary of @type set to @rhs (an expression of one operation) before @gsi. */
static tree emit(gimple_stmt_iterator *gsi, location_t loc, tree type, tree_code code, tree op0,
		 tree op1 = NULL_TREE)
{
	tree t = create_tmp_var(type, "mtc");
	gassign *a = op1 ? gimple_build_assign(t, code, op0, op1) : gimple_build_assign(t, code, op0);

	a->location = loc;
	gsi_insert_before(gsi, a, GSI_SAME_STMT);
	return t;
}

/* A load of the @type at @ptr (a pointer), which cannot trap: the run-time mapped it. */
static tree emit_load(gimple_stmt_iterator *gsi, location_t loc, tree type, tree ptr)
{
	/* through char *: the run-time's stores there are of other types */
	tree ref = build2(MEM_REF, type, ptr, build_int_cst(build_pointer_type(char_type_node), 0));

	TREE_THIS_NOTRAP(ref) = 1;
	return emit(gsi, loc, type, MEM_REF, ref);
}

/* @ptr + @off bytes. */
static tree emit_plus(gimple_stmt_iterator *gsi, location_t loc, tree ptr, tree off)
{
	return emit(gsi, loc, TREE_TYPE(ptr), POINTER_PLUS_EXPR, ptr, fold_convert(sizetype, off));
}

/* An atomic load (__atomic_load_n) of the pointer-sized integer at @ptr, with @order. */
static tree emit_atomic_load(gimple_stmt_iterator *gsi, location_t loc, tree fn, tree ptr,
			     enum memmodel order)
{
	tree t = create_tmp_var(TREE_TYPE(TREE_TYPE(fn)), "mtc");
	gcall *c = gimple_build_call(fn, 2, ptr, build_int_cst(integer_type_node, order));

	gimple_call_set_lhs(c, t);
	c->location = loc;
	gsi_insert_before(gsi, c, GSI_SAME_STMT);
	return t;
}

/* Where a test of the fast path goes when it fails. */
enum exit_to { TO_CALL, TO_DONE };

/* One test of a fast path: the path goes on while @cond holds, else to @other. */
struct fast_test {
	gcond *cond;
	enum exit_to other;
	profile_probability on;
};

/*
 * A test of the fast path before @gsi: @code(@op0, @op1).  The last test
 * of a path goes on into the call, its others leave the path.
 */
static void emit_test(gimple_stmt_iterator *gsi, location_t loc, vec<fast_test> *tests,
		      tree_code code, tree op0, tree op1, enum exit_to other,
		      profile_probability on)
{
	gcond *c = gimple_build_cond(code, op0, op1, NULL_TREE, NULL_TREE);

	c->location = loc;
	gsi_insert_before(gsi, c, GSI_SAME_STMT);
	fast_test t = { c, other, on };
	tests->safe_push(t);
}

/*
 * The tests of @tests, already in the block of call @c before it, become
 * branches: each test's block ends with it, its true edge goes on to the
 * next test (the last one's to the call), its false edge to the call or
 * past it.
 */
static void branch_tests(gcall *c, vec<fast_test> *tests)
{
	auto_vec<edge> on;
	unsigned ix;
	fast_test *t;

	FOR_EACH_VEC_ELT(*tests, ix, t)
		on.safe_push(split_block(gimple_bb(t->cond), t->cond));
	basic_block call_bb = gimple_bb(c);
	basic_block done = split_block(call_bb, c)->dest;

	FOR_EACH_VEC_ELT(*tests, ix, t) {
		edge e = on[ix];
		basic_block to = t->other == TO_CALL ? call_bb : done;

		gcc_assert(to != e->dest);
		e->flags = (e->flags & ~EDGE_FALLTHRU) | EDGE_TRUE_VALUE;
		e->probability = t->on;
		edge f = make_edge(e->src, to, EDGE_FALSE_VALUE);

		f->probability = t->on.invert();
	}
}

/* a = (size_t) addr; hi = a >> SHIFT; on 64-bit targets, addresses above 2^48 take the call. */
static void emit_region(gimple_stmt_iterator *gsi, location_t loc, const struct shadow_layout *l,
			tree addr, vec<fast_test> *tests, tree *a, tree *hi)
{
	*a = emit(gsi, loc, sizetype, NOP_EXPR, addr);
	*hi = emit(gsi, loc, sizetype, RSHIFT_EXPR, *a, build_int_cst(integer_type_node, l->shift));
	if (l->overflow)
		emit_test(gsi, loc, tests, LT_EXPR, *hi, build_int_cst(sizetype, l->regions), TO_CALL,
			  profile_probability::very_likely());
}

/* p = __mtcheck_rt_shadow[hi], and the index of a's granule in it. */
static tree emit_shadow_entry(gimple_stmt_iterator *gsi, location_t loc,
			      const struct shadow_layout *l, tree hi)
{
	tree uchar_ptr = build_pointer_type(unsigned_char_type_node);
	tree entry = build4(ARRAY_REF, uchar_ptr, shadow_decl(l), hi, NULL_TREE, NULL_TREE);

	TREE_THIS_NOTRAP(entry) = 1;
	return emit(gsi, loc, uchar_ptr, ARRAY_REF, entry);
}

static tree emit_granule_index(gimple_stmt_iterator *gsi, location_t loc,
			       const struct shadow_layout *l, tree a)
{
	tree gran = emit(gsi, loc, sizetype, RSHIFT_EXPR, a, build_int_cst(integer_type_node, 3));

	return emit(gsi, loc, sizetype, BIT_AND_EXPR, gran,
		    build_int_cst(sizetype, ((unsigned HOST_WIDE_INT)1 << (l->shift - 3)) - 1));
}

/* The fast path of a load's or clear's call @c. */
static void guard_check(gcall *c, const struct shadow_layout *l)
{
	gimple_stmt_iterator gsi = gsi_for_stmt(c);
	location_t loc = c->location;
	auto_vec<fast_test> tests;
	tree a, hi;

	emit_region(&gsi, loc, l, gimple_call_arg(c, 0), &tests, &a, &hi);
	tree p = emit_shadow_entry(&gsi, loc, l, hi);

	emit_test(&gsi, loc, &tests, NE_EXPR, p, build_int_cst(TREE_TYPE(p), 0), TO_DONE,
		  profile_probability::even());
	tree q = emit_plus(&gsi, loc, p, emit_granule_index(&gsi, loc, l, a));
	tree v = emit_load(&gsi, loc, unsigned_char_type_node, q);

	emit_test(&gsi, loc, &tests, NE_EXPR, v, build_int_cst(unsigned_char_type_node, 0), TO_DONE,
		  profile_probability::very_unlikely());
	gsi_insert_before(&gsi, gimple_build_predict(PRED_COLD_LABEL, NOT_TAKEN), GSI_SAME_STMT);
	branch_tests(c, &tests);
}

/*
 * The fast path of a narrow store's call @c: the offsets are those of
 * the run-time's struct granule, which mtcheck_rt.h fixes (base, gen,
 * then the sites, each pointer-sized).
 */
static void guard_store(gcall *c, const struct shadow_layout *l, tree load_fn)
{
	gimple_stmt_iterator gsi = gsi_for_stmt(c);
	location_t loc = c->location;
	auto_vec<fast_test> tests;
	tree uchar_ptr = build_pointer_type(unsigned_char_type_node);
	tree word = TREE_TYPE(TREE_TYPE(load_fn));
	unsigned HOST_WIDE_INT size = tree_to_uhwi(gimple_call_arg(c, 1)), ptr = l->ptr_bytes;
	tree a, hi;

	emit_region(&gsi, loc, l, gimple_call_arg(c, 0), &tests, &a, &hi);
	tree p = emit_shadow_entry(&gsi, loc, l, hi);

	emit_test(&gsi, loc, &tests, NE_EXPR, p, build_int_cst(uchar_ptr, 0), TO_CALL,
		  profile_probability::likely());
	/* the records follow the region's GRANULES shadow bytes */
	tree gi = emit_granule_index(&gsi, loc, l, a);
	tree off = emit(&gsi, loc, sizetype, MULT_EXPR, gi, build_int_cst(sizetype, ptr));
	tree recs = emit_plus(&gsi, loc, p,
			      build_int_cst(sizetype, (unsigned HOST_WIDE_INT)1 << (l->shift - 3)));
	tree rec = emit_load(&gsi, loc, uchar_ptr, emit_plus(&gsi, loc, recs, off));

	emit_test(&gsi, loc, &tests, NE_EXPR, rec, build_int_cst(uchar_ptr, 0), TO_CALL,
		  profile_probability::likely());
	tree gen_ptr = emit_plus(&gsi, loc, rec, build_int_cst(sizetype, ptr));
	tree gen = emit_atomic_load(&gsi, loc, load_fn, gen_ptr, MEMMODEL_ACQUIRE);
	tree base = emit_atomic_load(&gsi, loc, load_fn, rec, MEMMODEL_ACQUIRE);
	tree want = emit(&gsi, loc, word, NOP_EXPR,
			 emit(&gsi, loc, sizetype, BIT_AND_EXPR, a, build_int_cst(sizetype, -8)));

	emit_test(&gsi, loc, &tests, EQ_EXPR, base, want, TO_CALL,
		  profile_probability::very_likely());
	tree lo = emit(&gsi, loc, sizetype, BIT_AND_EXPR, a, build_int_cst(sizetype, 7));
	tree site_off = emit(&gsi, loc, sizetype, MULT_EXPR, lo, build_int_cst(sizetype, ptr));
	tree sites = emit_plus(&gsi, loc, emit_plus(&gsi, loc, rec, build_int_cst(sizetype, 2 * ptr)),
			       site_off);
	tree site = emit(&gsi, loc, word, NOP_EXPR, gimple_call_arg(c, 2));

	for (unsigned HOST_WIDE_INT k = 0; k < size; k++) {
		tree at = k ? emit_plus(&gsi, loc, sites, build_int_cst(sizetype, k * ptr)) : sites;
		tree s = emit_atomic_load(&gsi, loc, load_fn, at, MEMMODEL_ACQUIRE);

		emit_test(&gsi, loc, &tests, EQ_EXPR, s, site, TO_CALL,
			  profile_probability::likely());
	}
	/* a record reused for another granule meanwhile: take the call */
	tree again = emit_atomic_load(&gsi, loc, load_fn, gen_ptr, MEMMODEL_RELAXED);

	emit_test(&gsi, loc, &tests, NE_EXPR, again, gen, TO_DONE,
		  profile_probability::very_unlikely());
	branch_tests(c, &tests);
}

/* __atomic_load_n of a pointer-sized word, or NULL when the target has none. */
static tree word_load_fn(const struct shadow_layout *l)
{
	enum built_in_function code = l->ptr_bytes == 8 ? BUILT_IN_ATOMIC_LOAD_8
				    : l->ptr_bytes == 4 ? BUILT_IN_ATOMIC_LOAD_4 : END_BUILTINS;

	if (code == END_BUILTINS || !builtin_decl_explicit_p(code))
		return NULL_TREE;
	tree fn = builtin_decl_explicit(code);
	tree word = TREE_TYPE(TREE_TYPE(fn));

	return INTEGRAL_TYPE_P(word) && TYPE_PRECISION(word) == l->ptr_bytes * BITS_PER_UNIT
		? fn : NULL_TREE;
}

void mtc_san::guard_calls(struct fn_job *j)
{
	struct shadow_layout l;
	unsigned ix;
	gcall *c;

	if (j->fast.is_empty() || !get_shadow_layout(&l)) {
		j->fast.release();
		return;
	}
	tree load_fn = word_load_fn(&l);

	FOR_EACH_VEC_ELT(j->fast, ix, c) {
		if (gimple_call_fndecl(c) != roots[ROOT_STORE])
			guard_check(c, &l);
		else if (load_fn && tree_fits_uhwi_p(gimple_call_arg(c, 1)))
			guard_store(c, &l, load_fn);
	}
	j->fast.release();
	free_dominance_info(CDI_DOMINATORS);
	free_dominance_info(CDI_POST_DOMINATORS);
	if (current_loops)
		loops_state_set(LOOPS_NEED_FIXUP);
}

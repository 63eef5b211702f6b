// SPDX-License-Identifier: MIT
/*
 * The union sanitizer's inline fast paths: before a call of the run-time
 * that has nothing to do in the common case, the test that proves it, as
 * mtcheck_rt.h describes the shadow's first level and the sites' ids.
 *
 *   load, clear (at most 8 bytes inside one granule):
 *
 *	a = (size_t) addr; hi = a >> SHIFT;
 *	if (hi >= REGIONS) call;		// 64-bit targets only: above 2^48
 *	else if ((p = __mtcheck_rt_shadow[hi]) != 0 && p[(a >> 3) & (GRANULES - 1)] != 0)
 *		call;				// cold
 *
 *   narrow store (the same bounds): the call is skipped only when the
 *   bytes stored carry this very site already, which the granule's id
 *   byte says (mtcheck_rt.h):
 *
 *	if (hi < REGIONS && (p = __mtcheck_rt_shadow[hi]) != 0 &&
 *	    (p[i] & need) == need &&		// i = (a >> 3) & (GRANULES - 1),
 *	    p[GRANULES + i] == *id && *id != 0)	// need: SIZE bits from a % 8
 *		skip the call;
 *
 * A loop rewriting a node's metadata with the value it holds, as the maple
 * tree's walks do, then costs no call.  Memory no narrow store touched
 * costs a few instructions and no call.  The run-time makes the exact
 * checks.  The function is not in SSA form yet: the values are
 * temporaries, and splitting blocks keeps the loops up to date.
 */
#include "sanitize_impl.h"

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

		/*
		 * to != e->dest: only the last test goes on into the call, and
		 * it leaves to the block after it.  (No gcc_assert: it would put
		 * this file's build path into the plugin.)
		 */
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
 * The fast path of a narrow store's call @c, whose site's id byte is @id:
 * the bytes are marked, and the granule's id byte names this site.
 */
static void guard_store(gcall *c, const struct shadow_layout *l, tree id)
{
	gimple_stmt_iterator gsi = gsi_for_stmt(c);
	location_t loc = c->location;
	auto_vec<fast_test> tests;
	unsigned HOST_WIDE_INT size = tree_to_uhwi(gimple_call_arg(c, 1));
	tree a, hi;

	emit_region(&gsi, loc, l, gimple_call_arg(c, 0), &tests, &a, &hi);
	tree p = emit_shadow_entry(&gsi, loc, l, hi);

	emit_test(&gsi, loc, &tests, NE_EXPR, p, build_int_cst(TREE_TYPE(p), 0), TO_CALL,
		  profile_probability::likely());
	tree gi = emit_granule_index(&gsi, loc, l, a);
	tree bits = emit(&gsi, loc, unsigned_type_node, NOP_EXPR,
			 emit_load(&gsi, loc, unsigned_char_type_node, emit_plus(&gsi, loc, p, gi)));
	/* the SIZE bits from a % 8 */
	tree lo = emit(&gsi, loc, unsigned_type_node, NOP_EXPR,
		       emit(&gsi, loc, sizetype, BIT_AND_EXPR, a, build_int_cst(sizetype, 7)));
	tree need = emit(&gsi, loc, unsigned_type_node, LSHIFT_EXPR,
			 build_int_cst(unsigned_type_node, ((unsigned HOST_WIDE_INT)1 << size) - 1), lo);
	tree have = emit(&gsi, loc, unsigned_type_node, BIT_AND_EXPR, bits, need);

	emit_test(&gsi, loc, &tests, EQ_EXPR, have, need, TO_CALL, profile_probability::likely());
	tree mine = emit(&gsi, loc, unsigned_char_type_node, VAR_DECL, id);
	tree ids = emit_plus(&gsi, loc, p, build_int_cst(sizetype,
							 (unsigned HOST_WIDE_INT)1 << (l->shift - 3)));
	tree theirs = emit_load(&gsi, loc, unsigned_char_type_node, emit_plus(&gsi, loc, ids, gi));

	emit_test(&gsi, loc, &tests, EQ_EXPR, theirs, mine, TO_CALL, profile_probability::likely());
	/* a site without an id, and a granule without one, match: take the call */
	emit_test(&gsi, loc, &tests, EQ_EXPR, mine, build_int_cst(unsigned_char_type_node, 0),
		  TO_DONE, profile_probability::very_unlikely());
	branch_tests(c, &tests);
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
	FOR_EACH_VEC_ELT(j->fast, ix, c) {
		tree id;

		if (gimple_call_fndecl(c) != roots[ROOT_STORE])
			guard_check(c, &l);
		else if ((id = site_id_var(gimple_call_arg(c, 2))) &&
			 tree_fits_uhwi_p(gimple_call_arg(c, 1)))
			guard_store(c, &l, id);
	}
	j->fast.release();
	free_dominance_info(CDI_DOMINATORS);
	free_dominance_info(CDI_POST_DOMINATORS);
	if (current_loops)
		loops_state_set(LOOPS_NEED_FIXUP);
}

// SPDX-License-Identifier: MIT
/*
 * The union sanitizer's loop pass: one check of a range before a loop
 * instead of one check per load inside it.
 *
 * The first pass (sanitize.cc) puts an inline test before every checked
 * load (sanitize_inline.cc): the address's region entry in
 * __mtcheck_rt_shadow, then its granule's shadow byte, then the call.  A
 * loop that walks an array of the wide member's type, such as the maple
 * tree's walk over a node's slots, pays that test for every element.
 * This pass runs in SSA form inside GCC's loop optimiser, where the
 * number of iterations and the evolution of each address are known.  For
 * an innermost loop whose checked addresses advance by a constant step
 * and that stores nothing narrow (it calls nothing but the checks
 * themselves), it versions the loop:
 *
 *	if (assumptions && __mtcheck_rt_unmarked_range(lo, hi - lo + 1))
 *		the loop, its range tests folded away;
 *	else
 *		the loop as it was, every load checked;
 *
 * where [lo, hi] holds every address the loop's checks can see, so the
 * fast copy skips only checks whose call would have found nothing.  The
 * assumptions are GCC's own conditions for the iteration count (for
 * `unsigned char s <= end`, that end is not 255), that an index narrower
 * than the address does not wrap within the count, and that the range
 * stays within the run-time's limit (so that no product wraps either).
 *
 * In the fast copy the test's two values are replaced by what the shadow
 * of an unmarked range gives, the region index by 0 and the region's
 * entry by NULL, in the conditions that read them; the CFG clean-up then
 * drops the tests and the calls behind them.  Only tests whose pattern is
 * recognised are touched, so a test that an earlier pass reshaped stays
 * as it was: slower, never wrong.
 *
 * What this does not see: a narrow store by another thread while the loop
 * runs (docs/sanitizer.md, "Threads").
 */
#include "sanitize_impl.h"
#include "ssa.h"
#include "cfgloopmanip.h"
#include "tree-ssa-loop.h"
#include "tree-ssa-loop-niter.h"
#include "tree-scalar-evolution.h"
#include "tree-into-ssa.h"
#include "tree-chrec.h"
#include "tree-ssa-loop-manip.h"
#include "tree-ssa-loop-ivopts.h"

using namespace mtc_san;

namespace {

/* A loop body longer than this is not copied. */
const unsigned max_body_stmts = 2000;

/* MTCHECK_RT_RANGE_MAX: the run-time answers "marked" for a longer range. */
const unsigned HOST_WIDE_INT range_max = (unsigned HOST_WIDE_INT)1 << 24;

/*
 * An address as a function of the iteration k of a loop: base + step * k
 * in sizetype, valid while k <= limit (NULL_TREE: always).
 */
struct evolution {
	tree base;		/* invariant in the loop */
	HOST_WIDE_INT step;
	tree limit;
};

/* One inline test of the first pass, found in a loop. */
struct range_test {
	gimple *entry;		/* p = __mtcheck_rt_shadow[hi]; */
	tree hi;		/* the region index */
	struct evolution ev;	/* of the address it tests */
};

/* The lower of two limits, either of which may be NULL (no limit). */
tree min_limit(tree x, tree y)
{
	if (!x || !y)
		return x ? x : y;
	return fold_build2(MIN_EXPR, sizetype, x, y);
}

/*
 * The evolution of @name in @loop.  GCC's simple_iv gives it for an
 * induction variable and its conversions; an address computed from one
 * (slots + (sizetype) s * 8, with s an unsigned char) is taken apart here
 * along its definitions: sums, differences, products by a constant and
 * conversions that keep the precision, which wrap as the address does.
 */
bool evolve(class loop *loop, tree name, struct evolution *ev, int depth)
{
	affine_iv iv;
	tree limit = NULL_TREE;

	if (depth > 8)
		return false;
	if (simple_iv_with_niters(loop, loop, name, &iv, &limit, false) &&
	    TREE_CODE(iv.step) == INTEGER_CST && expr_invariant_in_loop_p(loop, iv.base)) {
		tree step = fold_convert(ssizetype, iv.step);

		if (!tree_fits_shwi_p(step))
			return false;
		ev->base = fold_convert(sizetype, iv.base);
		ev->step = tree_to_shwi(step);
		ev->limit = limit ? fold_convert(sizetype, limit) : NULL_TREE;
		return true;
	}
	if (TREE_CODE(name) != SSA_NAME || !is_gimple_assign(SSA_NAME_DEF_STMT(name)))
		return false;
	gimple *def = SSA_NAME_DEF_STMT(name);
	tree op0 = gimple_assign_rhs1(def), op1 = gimple_assign_rhs2(def);
	struct evolution x, y;

	switch (gimple_assign_rhs_code(def)) {
	CASE_CONVERT:
		if (TYPE_PRECISION(TREE_TYPE(name)) != TYPE_PRECISION(TREE_TYPE(op0)))
			return false;
		return evolve(loop, op0, ev, depth + 1);
	case PLUS_EXPR:
	case POINTER_PLUS_EXPR:
	case MINUS_EXPR:
		if (!evolve(loop, op0, &x, depth + 1) || !evolve(loop, op1, &y, depth + 1))
			return false;
		if (gimple_assign_rhs_code(def) == MINUS_EXPR) {
			if (__builtin_sub_overflow(x.step, y.step, &ev->step))
				return false;
			ev->base = fold_build2(MINUS_EXPR, sizetype, x.base, y.base);
		} else {
			if (__builtin_add_overflow(x.step, y.step, &ev->step))
				return false;
			ev->base = fold_build2(PLUS_EXPR, sizetype, x.base, y.base);
		}
		ev->limit = min_limit(x.limit, y.limit);
		return true;
	case MULT_EXPR:
		if (!tree_fits_shwi_p(op1) || !evolve(loop, op0, &x, depth + 1))
			return false;
		if (__builtin_mul_overflow(x.step, tree_to_shwi(op1), &ev->step))
			return false;
		ev->base = fold_build2(MULT_EXPR, sizetype, x.base, fold_convert(sizetype, op1));
		ev->limit = x.limit;
		return true;
	default:
		return false;
	}
}

/* The first pass's region index: hi = a >> SHIFT, the SSA name a. */
bool region_index(tree hi, const struct shadow_layout *l, tree *a)
{
	if (TREE_CODE(hi) != SSA_NAME)
		return false;
	gimple *def = SSA_NAME_DEF_STMT(hi);

	if (!is_gimple_assign(def) || gimple_assign_rhs_code(def) != RSHIFT_EXPR ||
	    TREE_CODE(gimple_assign_rhs1(def)) != SSA_NAME ||
	    !tree_fits_uhwi_p(gimple_assign_rhs2(def)) ||
	    tree_to_uhwi(gimple_assign_rhs2(def)) != l->shift)
		return false;
	*a = gimple_assign_rhs1(def);
	return true;
}

/*
 * The tests of @loop whose address evolves by a constant step, in @tests.
 * False when the loop may mark bytes while it runs: it calls anything but
 * the checks of loads and clears, or has inline assembly.
 */
bool find_tests(class loop *loop, const struct shadow_layout *l, tree shadow,
		vec<range_test> *tests)
{
	basic_block *bbs = get_loop_body(loop);
	unsigned nr_stmts = 0;
	bool ok = true;

	for (unsigned i = 0; ok && i < loop->num_nodes; i++) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bbs[i]); ok && !gsi_end_p(gsi);
		     gsi_next(&gsi)) {
			gimple *stmt = gsi_stmt(gsi);

			if (++nr_stmts > max_body_stmts || gimple_code(stmt) == GIMPLE_ASM) {
				ok = false;
				break;
			}
			if (gcall *c = dyn_cast<gcall *>(stmt)) {
				tree fn = gimple_call_fndecl(c);

				ok = fn && (fn == roots[ROOT_LOAD] || fn == roots[ROOT_CLEAR]);
				continue;
			}
			if (!is_gimple_assign(stmt) || gimple_assign_rhs_code(stmt) != ARRAY_REF)
				continue;
			tree ref = gimple_assign_rhs1(stmt), a;

			if (TREE_OPERAND(ref, 0) != shadow ||
			    !region_index(TREE_OPERAND(ref, 1), l, &a))
				continue;
			range_test t = { stmt, TREE_OPERAND(ref, 1), {} };

			if (evolve(loop, a, &t.ev, 0))
				tests->safe_push(t);
			else if (dump_file)
				fprintf(dump_file, "loop %d: the address of test %u does not evolve "
					"by a constant step\n", loop->num, gimple_uid(stmt));
		}
	}
	free(bbs);
	return ok && !tests->is_empty();
}

/*
 * The number of latch executions of @loop, at most, with the condition
 * under which that holds in *@assumptions: from an exit taken in every
 * iteration.  NULL when none is known.
 */
tree latch_count(class loop *loop, tree *assumptions)
{
	basic_block *bbs = get_loop_body(loop);
	tree count = NULL_TREE;

	for (unsigned i = 0; !count && i < loop->num_nodes; i++) {
		edge e;
		edge_iterator ei;

		if (!dominated_by_p(CDI_DOMINATORS, loop->latch, bbs[i]))
			continue;
		FOR_EACH_EDGE(e, ei, bbs[i]->succs) {
			class tree_niter_desc d;

			if (!loop_exit_edge_p(loop, e) ||
			    !number_of_iterations_exit_assumptions(loop, e, &d, NULL) ||
			    integer_zerop(d.assumptions) || chrec_contains_undetermined(d.niter))
				continue;
			/* when it may be zero, the latch runs never: 0 keeps the range exact */
			count = fold_convert(sizetype, d.niter);
			if (!integer_zerop(d.may_be_zero))
				count = fold_build3(COND_EXPR, sizetype, d.may_be_zero, size_zero_node,
						    count);
			*assumptions = d.assumptions;
			break;
		}
	}
	free(bbs);
	return count;
}

/* The virtual operand live where @loop is entered, or NULL. */
tree vuse_at_entry(class loop *loop)
{
	for (gphi_iterator gsi = gsi_start_phis(loop->header); !gsi_end_p(gsi); gsi_next(&gsi))
		if (virtual_operand_p(gimple_phi_result(gsi.phi())))
			return PHI_ARG_DEF_FROM_EDGE(gsi.phi(), loop_preheader_edge(loop));
	/* nothing in the loop writes memory: each of its loads uses the entry's */
	basic_block *bbs = get_loop_body(loop);
	tree vuse = NULL_TREE;

	for (unsigned i = 0; !vuse && i < loop->num_nodes; i++)
		for (gimple_stmt_iterator gsi = gsi_start_bb(bbs[i]); !vuse && !gsi_end_p(gsi);
		     gsi_next(&gsi))
			vuse = gimple_vuse(gsi_stmt(gsi));
	free(bbs);
	return vuse;
}

/* @expr as a GIMPLE value, computed by statements appended to @seq. */
tree value(gimple_seq *seq, tree expr)
{
	gimple_seq more = NULL;
	tree v = force_gimple_operand(expr, &more, true, NULL_TREE);

	gimple_seq_add_seq(seq, more);
	return v;
}

/*
 * Append to @seq the check of test @t's addresses over @count + 1
 * iterations; its result, nonzero when the whole range is unmarked.
 */
tree emit_range_check(gimple_seq *seq, const range_test *t, tree count, tree vuse)
{
	bool down = t->ev.step < 0;
	tree abs_step = size_int(down ? -(unsigned HOST_WIDE_INT)t->ev.step : t->ev.step);
	tree span = fold_build2(MULT_EXPR, sizetype, count, abs_step);
	tree lo = down ? fold_build2(MINUS_EXPR, sizetype, t->ev.base, span) : t->ev.base;

	lo = value(seq, fold_convert(ptr_type_node, lo));
	tree size = value(seq, fold_build2(PLUS_EXPR, sizetype, span, size_one_node));
	gcall *c = gimple_build_call(roots[ROOT_RANGE], 2, lo, size);
	tree res = make_ssa_name(integer_type_node);

	gimple_call_set_lhs(c, res);
	gimple_set_vuse(c, vuse);
	gimple_seq_add_stmt(seq, c);
	return res;
}

/* Replace @name by @value in the conditions of @loop that read it; fold them. */
void fold_conditions(class loop *loop, tree name, tree value)
{
	auto_vec<gcond *> conds;
	imm_use_iterator it;
	use_operand_p use;

	FOR_EACH_IMM_USE_FAST(use, it, name)
		if (gcond *c = dyn_cast<gcond *>(USE_STMT(use)))
			if (flow_bb_inside_loop_p(loop, gimple_bb(c)))
				conds.safe_push(c);
	unsigned ix;
	gcond *c;

	FOR_EACH_VEC_ELT(conds, ix, c) {
		tree lhs = gimple_cond_lhs(c) == name ? value : gimple_cond_lhs(c);
		tree rhs = gimple_cond_rhs(c) == name ? value : gimple_cond_rhs(c);
		tree v = fold_binary(gimple_cond_code(c), boolean_type_node, lhs, rhs);

		if (v && integer_zerop(v))
			gimple_cond_make_false(c);
		else if (v && integer_onep(v))
			gimple_cond_make_true(c);
		else
			continue;
		update_stmt(c);
	}
}

/* Version @loop as the file's comment says; true when it did. */
bool version_loop(class loop *loop, const struct shadow_layout *l, tree shadow)
{
	auto_vec<range_test> tests;
	tree assumptions = boolean_true_node, count;

	if (!optimize_loop_for_speed_p(loop) || !find_tests(loop, l, shadow, &tests))
		return false;
	if (!(count = latch_count(loop, &assumptions))) {
		if (dump_file)
			fprintf(dump_file, "loop %d: number of iterations unknown\n", loop->num);
		return false;
	}
	tree vuse = vuse_at_entry(loop);

	if (!vuse)
		return false;

	gimple_seq seq = NULL;
	tree cond = value(&seq, fold_convert(boolean_type_node, assumptions));

	unsigned ix;
	range_test *t;

	FOR_EACH_VEC_ELT(tests, ix, t) {
		/* the address's evolution may end early: then so must the loop */
		if (t->ev.limit) {
			tree in = fold_build2(LE_EXPR, boolean_type_node, count, t->ev.limit);

			cond = value(&seq, fold_build2(TRUTH_AND_EXPR, boolean_type_node, cond, in));
		}
		/* and its range stays under the run-time's limit: no product wraps */
		unsigned HOST_WIDE_INT step = t->ev.step < 0 ? -(unsigned HOST_WIDE_INT)t->ev.step
							      : t->ev.step;
		if (step) {
			tree fits = fold_build2(LE_EXPR, boolean_type_node, count,
						size_int(range_max / step));

			cond = value(&seq, fold_build2(TRUTH_AND_EXPR, boolean_type_node, cond, fits));
		}
		tree ok = emit_range_check(&seq, t, count, vuse);
		tree clean = fold_build2(NE_EXPR, boolean_type_node, ok, integer_zero_node);

		cond = value(&seq, fold_build2(TRUTH_AND_EXPR, boolean_type_node, cond, clean));
	}

	basic_block cond_bb;

	initialize_original_copy_tables();
	class loop *checked = loop_version(loop, cond, &cond_bb, profile_probability::very_likely(),
					   profile_probability::very_unlikely(),
					   profile_probability::very_likely(),
					   profile_probability::very_unlikely(), true);
	free_original_copy_tables();
	if (!checked) {
		gimple_seq_discard(seq);
		return false;
	}
	if (dump_file)
		fprintf(dump_file, "loop %d: %u tests checked by range, loop %d keeps them\n",
			loop->num, tests.length(), checked->num);
	gimple_stmt_iterator gsi = gsi_last_bb(cond_bb);

	gsi_insert_seq_before(&gsi, seq, GSI_SAME_STMT);
	/* the copy's own names, before the original's tests change */
	update_ssa(TODO_update_ssa);

	/* the original loop is the one taken when the range is unmarked */
	FOR_EACH_VEC_ELT(tests, ix, t) {
		tree p = gimple_assign_lhs(t->entry);
		tree null = build_int_cst(TREE_TYPE(p), 0);
		gimple_stmt_iterator at = gsi_for_stmt(t->entry);

		fold_conditions(loop, t->hi, build_int_cst(TREE_TYPE(t->hi), 0));
		gimple_assign_set_rhs_from_tree(&at, null);
		update_stmt(gsi_stmt(at));
		fold_conditions(loop, p, null);
	}
	return true;
}

unsigned version_loops(struct mtc_sanitizer *, function *fun)
{
	struct shadow_layout l;
	auto_vec<class loop *> innermost;
	class loop *loop;
	unsigned ix;

	if (!roots[ROOT_SHADOW] || !get_shadow_layout(&l))
		return 0;
	FOR_EACH_VEC_SAFE_ELT(get_loops(fun), ix, loop)
		if (loop && loop->num && !loop->inner)
			innermost.safe_push(loop);

	bool changed = false;

	FOR_EACH_VEC_ELT(innermost, ix, loop)
		changed |= version_loop(loop, &l, roots[ROOT_SHADOW]);
	/* the clean-up drops the folded tests */
	return changed ? TODO_cleanup_cfg : 0;
}

const pass_data loop_pass_data = {
	GIMPLE_PASS,
	"mtcheck_sanitize_loops",	/* its dump: -fdump-tree-all */
	OPTGROUP_LOOP,
	TV_NONE,
	PROP_cfg | PROP_ssa,
	0, 0, 0, 0,
};

/* only in a unit the first pass instrumented, and a function with loops */
bool has_checked_loops(struct mtc_sanitizer *, function *fun)
{
	return roots[ROOT_SHADOW] && number_of_loops(fun) > 1;
}

} // namespace

/*
 * Inside GCC's loop optimiser, after the induction variables are
 * canonicalised ("ivcanon") and before loop distribution, if-conversion
 * and the vectoriser, which then see the fast copy without its tests.
 * The loop optimiser runs only when optimising, as this pass needs.
 */
const struct pass_kind mtc_san::loop_pass_kind = {
	&loop_pass_data, "ivcanon", has_checked_loops, version_loops, "versioning the loops of",
};

// SPDX-License-Identifier: MIT
/*
 * The union sanitizer's rewriting of one function's GIMPLE: the calls of
 * runtime/include/mtcheck_rt.h before each checked load and after each
 * store, copy, clear and allocation that concerns a flagged overlay, and the
 * inline fast paths that skip the call when the shadow says there is
 * nothing to do.  Every original statement is kept as it was.
 */
#include "sanitize_impl.h"

using namespace mtc_san;

/* ---------------------------------------------------------------------- */
/* Emitting                                                                */

/*
 * Whether the check of @size bytes at @ref may be made inline first: the
 * target has a shadow layout and the bytes lie inside one granule, which
 * their alignment proves.
 */
static bool inline_checkable(tree ref, unsigned HOST_WIDE_INT size)
{
	struct shadow_layout l;
	tree f = TREE_CODE(ref) == COMPONENT_REF ? TREE_OPERAND(ref, 1) : NULL_TREE;

	if (!get_shadow_layout(&l) || size == 0 || size > 8 || (size & (size - 1)))
		return false;
	if (f && DECL_BIT_FIELD_TYPE(f))
		return false;
	return get_object_alignment(ref) / BITS_PER_UNIT >= size;
}

/* Make @expr a GIMPLE value, computed before the statement at @gsi. */
static tree before(gimple_stmt_iterator *gsi, tree expr)
{
	return force_gimple_operand_gsi(gsi, expr, true, NULL_TREE, true, GSI_SAME_STMT);
}

static void mark_base_addressable(tree ref)
{
	tree d = base_decl(ref);

	if (d && !TREE_ADDRESSABLE(d))
		mark_addressable(d);
}

/*
 * Address and size of the bytes @ref covers, computed before @gsi: a
 * bitfield by the bytes its bits touch.  False when they are not constant.
 */
static bool ref_bytes(gimple_stmt_iterator *gsi, tree ref, tree *addr, unsigned HOST_WIDE_INT *size)
{
	tree f = TREE_CODE(ref) == COMPONENT_REF ? TREE_OPERAND(ref, 1) : NULL_TREE;

	if (f && DECL_BIT_FIELD_TYPE(f)) {
		tree off = DECL_FIELD_OFFSET(f), bit = DECL_FIELD_BIT_OFFSET(f), bits = DECL_SIZE(f);

		if (!off || !bit || !bits || !tree_fits_uhwi_p(off) || !tree_fits_uhwi_p(bit) ||
		    !tree_fits_uhwi_p(bits))
			return false;
		unsigned HOST_WIDE_INT pos = tree_to_uhwi(off) * BITS_PER_UNIT + tree_to_uhwi(bit);
		unsigned HOST_WIDE_INT first = pos / BITS_PER_UNIT;
		unsigned HOST_WIDE_INT end = (pos + tree_to_uhwi(bits) + BITS_PER_UNIT - 1) / BITS_PER_UNIT;
		tree obj = TREE_OPERAND(ref, 0);

		mark_base_addressable(obj);
		*addr = before(gsi, fold_build_pointer_plus_hwi(
			build_fold_addr_expr(unshare_expr(obj)), first));
		*size = end - first;
		return *size != 0;
	}
	*size = type_bytes(TREE_TYPE(ref));
	if (!*size)
		return false;
	mark_base_addressable(ref);
	*addr = before(gsi, build_fold_addr_expr(unshare_expr(ref)));
	return true;
}

static gcall *call(tree decl, location_t loc, int n, tree a0, tree a1 = NULL_TREE,
		   tree a2 = NULL_TREE)
{
	gcall *c = n == 1 ? gimple_build_call(decl, 1, a0)
		 : n == 2 ? gimple_build_call(decl, 2, a0, a1) : gimple_build_call(decl, 3, a0, a1, a2);

	/*
	 * Not gimple_set_location(): in GCC 12 it calls copy_warning(), which
	 * cc1 of GCC 11 lacks, and a plugin loaded into the wrong GCC must get
	 * as far as plugin_init's version check to say so.  A new statement
	 * has no warning state to copy.
	 */
	c->location = loc;
	return c;
}

static tree size_cst(unsigned HOST_WIDE_INT n)
{
	return build_int_cst(size_type_node, n);
}

/*
 * A copy of @v that the statement at @gsi cannot change, for a call after
 * it (a call's lhs may be one of its own arguments).
 */
static tree keep(gimple_stmt_iterator *gsi, tree v)
{
	if (!v || is_gimple_min_invariant(v))
		return v;
	tree t = create_tmp_var(TREE_TYPE(v), "mtc");
	gsi_insert_before(gsi, gimple_build_assign(t, v), GSI_SAME_STMT);
	return t;
}

/* A load of a wide member's type (or of a wide bitfield) from @ref: check it first. */
static void instrument_load(struct fn_job *j, gimple_stmt_iterator *gsi, tree ref, location_t loc)
{
	struct mtc_sanitizer *s = j->s;
	tree field = named_field(ref);
	member_info **wf = field ? s->wide.get(key(DECL_UID(field))) : NULL;
	char **wt;

	if (!may_overlay(s, ref))
		return;
	/* reading a narrow member is reading the view that wrote it */
	if (field && s->narrow.get(key(DECL_UID(field))))
		return;
	if (field && DECL_BIT_FIELD_TYPE(field)) {
		if (!wf)
			return;
		wt = NULL;
	} else {
		wt = s->wide_types.get(key(TYPE_UID(TYPE_MAIN_VARIANT(TREE_TYPE(ref)))));
		if (!wt)
			return;
	}
	tree addr;
	unsigned HOST_WIDE_INT size;

	if (!ref_bytes(gsi, ref, &addr, &size))
		return;
	char member[600];
	struct site_text t = { 2 /* MTCHECK_RT_WIDE_LOAD */, wt ? *wt : (*wf)->type, NULL, NULL, NULL };

	if (wf) {
		member_text(*wf, ref, member, sizeof(member));
		t.member = member;
		t.record = (*wf)->record;
	}
	gcall *c = call(roots[ROOT_LOAD], loc, 3, addr, size_cst(size), new_site(s, loc, &t));

	gsi_insert_before(gsi, c, GSI_SAME_STMT);
	if (inline_checkable(ref, size))
		j->fast.safe_push(c);
	j->done++;
}

/*
 * A store to @lhs by the statement at @gsi: a narrow member's is recorded,
 * a wide one's clears the shadow.  The calls go into @after.
 */
static void instrument_store(struct fn_job *j, gimple_stmt_iterator *gsi, tree lhs, location_t loc,
			     gimple_seq *after)
{
	struct mtc_sanitizer *s = j->s;
	tree field = named_field(lhs);
	member_info **nf = field ? s->narrow.get(key(DECL_UID(field))) : NULL;

	if (!may_overlay(s, lhs))
		return;
	tree addr;
	unsigned HOST_WIDE_INT size;

	if (nf) {
		char member[600];

		if (!ref_bytes(gsi, lhs, &addr, &size))
			return;
		member_text(*nf, lhs, member, sizeof(member));
		struct site_text t = { 1 /* MTCHECK_RT_NARROW_STORE */, (*nf)->type, member,
				       (*nf)->record, overlay_text(*nf, lhs) };

		gcall *c = call(roots[ROOT_STORE], loc, 3, addr, size_cst(size), new_site(s, loc, &t));

		gimple_seq_add_stmt(after, c);
		if (inline_checkable(lhs, size))
			j->fast.safe_push(c);
		free(t.overlays);
		j->done++;
		return;
	}
	bool wide = field && DECL_BIT_FIELD_TYPE(field)
		? s->wide.get(key(DECL_UID(field))) != NULL
		: s->wide_types.get(key(TYPE_UID(TYPE_MAIN_VARIANT(TREE_TYPE(lhs))))) != NULL;

	if (!wide || !ref_bytes(gsi, lhs, &addr, &size))
		return;
	gcall *c = call(roots[ROOT_CLEAR], loc, 2, addr, size_cst(size));

	gimple_seq_add_stmt(after, c);
	if (inline_checkable(lhs, size))
		j->fast.safe_push(c);
	j->done++;
}

/* A whole-record assignment or initialisation of a type holding a tracked record. */
static void instrument_record_copy(struct fn_job *j, gimple_stmt_iterator *gsi, tree lhs,
				   tree rhs, location_t loc, gimple_seq *after)
{
	unsigned HOST_WIDE_INT size = type_bytes(TREE_TYPE(lhs));

	if (!size || is_gimple_reg(lhs) || !may_overlay(j->s, lhs))
		return;
	mark_base_addressable(lhs);
	tree dst = before(gsi, build_fold_addr_expr(unshare_expr(lhs)));

	if (rhs && may_overlay(j->s, rhs)) {
		mark_base_addressable(rhs);
		tree src = before(gsi, build_fold_addr_expr(unshare_expr(rhs)));

		gimple_seq_add_stmt(after, call(roots[ROOT_COPY], loc, 3, dst, src, size_cst(size)));
	} else {
		/* an initialiser, a call's result: fresh values */
		gimple_seq_add_stmt(after, call(roots[ROOT_CLEAR], loc, 2, dst, size_cst(size)));
	}
	j->done++;
}

/* size * (ptr != NULL): a failed allocation clears nothing. */
static tree size_if_allocated(tree ptr, tree size)
{
	tree ok = fold_build2(NE_EXPR, boolean_type_node, ptr, build_int_cst(TREE_TYPE(ptr), 0));

	return fold_build2(MULT_EXPR, size_type_node, fold_convert(size_type_node, size),
			   fold_convert(size_type_node, ok));
}

/* memset, memcpy, allocation and free, as calls or builtins. */
static void instrument_builtin(struct fn_job *j, gimple_stmt_iterator *gsi, gcall *stmt,
			       location_t loc, gimple_seq *after)
{
	tree fndecl = gimple_call_fndecl(stmt);
	tree lhs = gimple_call_lhs(stmt);

	if (!fndecl || !gimple_call_builtin_p(stmt, BUILT_IN_NORMAL))
		return;
	/* the result of an allocation: usable after the call only if it is a register */
	tree res = lhs && is_gimple_reg(lhs) ? lhs : NULL_TREE;
	gimple_seq seq = NULL;

	switch (DECL_FUNCTION_CODE(fndecl)) {
	case BUILT_IN_MEMSET:
	case BUILT_IN_MEMSET_CHK:
		gimple_seq_add_stmt(&seq, call(roots[ROOT_CLEAR], loc, 2,
					       keep(gsi, gimple_call_arg(stmt, 0)),
					       keep(gsi, gimple_call_arg(stmt, 2))));
		break;
	case BUILT_IN_BZERO:
		gimple_seq_add_stmt(&seq, call(roots[ROOT_CLEAR], loc, 2,
					       keep(gsi, gimple_call_arg(stmt, 0)),
					       keep(gsi, gimple_call_arg(stmt, 1))));
		break;
	case BUILT_IN_MEMCPY:
	case BUILT_IN_MEMCPY_CHK:
	case BUILT_IN_MEMMOVE:
	case BUILT_IN_MEMMOVE_CHK:
	case BUILT_IN_MEMPCPY:
	case BUILT_IN_MEMPCPY_CHK:
		gimple_seq_add_stmt(&seq, call(roots[ROOT_COPY], loc, 3,
					       keep(gsi, gimple_call_arg(stmt, 0)),
					       keep(gsi, gimple_call_arg(stmt, 1)),
					       keep(gsi, gimple_call_arg(stmt, 2))));
		break;
	case BUILT_IN_FREE:
		gsi_insert_before(gsi, call(roots[ROOT_FREE], loc, 1, gimple_call_arg(stmt, 0)),
				  GSI_SAME_STMT);
		break;
	case BUILT_IN_REALLOC:
		gsi_insert_before(gsi, call(roots[ROOT_FREE], loc, 1, gimple_call_arg(stmt, 0)),
				  GSI_SAME_STMT);
		if (res) {
			tree n = keep(gsi, gimple_call_arg(stmt, 1));

			gimple_seq_add_stmt(&seq, call(roots[ROOT_CLEAR], loc, 2, res,
						       size_if_allocated(res, n)));
		}
		break;
	case BUILT_IN_MALLOC:
		if (res)
			gimple_seq_add_stmt(&seq, call(roots[ROOT_CLEAR], loc, 2, res,
						       size_if_allocated(res,
									 keep(gsi, gimple_call_arg(stmt, 0)))));
		break;
	case BUILT_IN_CALLOC:
		if (res) {
			tree n = keep(gsi, gimple_call_arg(stmt, 0)), m = keep(gsi, gimple_call_arg(stmt, 1));

			gimple_seq_add_stmt(&seq, call(roots[ROOT_CLEAR], loc, 2, res,
						       size_if_allocated(res, fold_build2(
							       MULT_EXPR, size_type_node,
							       fold_convert(size_type_node, n),
							       fold_convert(size_type_node, m)))));
		}
		break;
	case BUILT_IN_ALIGNED_ALLOC:
		if (res)
			gimple_seq_add_stmt(&seq, call(roots[ROOT_CLEAR], loc, 2, res,
						       size_if_allocated(res,
									 keep(gsi, gimple_call_arg(stmt, 1)))));
		break;
	default:
		return;
	}
	gimple_seq_add_seq(after, seq);
	j->done++;
}

/*
 * The calls that follow a statement go after it; their operands are
 * GIMPLE values already, except the size expressions of allocations.
 */
static void insert_after(gimple_stmt_iterator *gsi, gimple_seq seq)
{
	for (gimple_stmt_iterator it = gsi_start(seq); !gsi_end_p(it); gsi_next(&it)) {
		gcall *c = as_a<gcall *>(gsi_stmt(it));

		for (unsigned i = 0; i < gimple_call_num_args(c); i++) {
			tree a = gimple_call_arg(c, i);

			if (!is_gimple_val(a)) {
				gimple_seq pre = NULL;

				a = force_gimple_operand(a, &pre, true, NULL_TREE);
				gimple_call_set_arg(c, i, a);
				gsi_insert_seq_before(&it, pre, GSI_SAME_STMT);
			}
		}
	}
	gsi_insert_seq_after(gsi, seq, GSI_CONTINUE_LINKING);
}

static void instrument_stmt(struct fn_job *j, gimple_stmt_iterator *gsi)
{
	gimple *stmt = gsi_stmt(*gsi);
	location_t loc = gimple_location(stmt);
	gimple_seq after = NULL;

	if (loc == UNKNOWN_LOCATION)
		loc = DECL_SOURCE_LOCATION(current_function_decl);
	if (gimple_clobber_p(stmt)) {
		/* the end of a local's scope: its stack slot will hold something else */
		tree v = gimple_assign_lhs(stmt);
		unsigned HOST_WIDE_INT size;

		if (TREE_CODE(v) == VAR_DECL && !TREE_STATIC(v) && !DECL_HARD_REGISTER(v) &&
		    holds_tracked(j->s, TREE_TYPE(v), 0) && (size = type_bytes(TREE_TYPE(v)))) {
			mark_addressable(v);
			tree addr = before(gsi, build_fold_addr_expr(v));

			gsi_insert_before(gsi, call(roots[ROOT_CLEAR], loc, 2, addr, size_cst(size)),
					  GSI_SAME_STMT);
			j->done++;
		}
		return;
	}
	if (is_gimple_assign(stmt) && gimple_assign_single_p(stmt)) {
		tree lhs = gimple_assign_lhs(stmt), rhs = gimple_assign_rhs1(stmt);

		if (AGGREGATE_TYPE_P(TREE_TYPE(lhs))) {
			if (holds_tracked(j->s, TREE_TYPE(lhs), 0))
				instrument_record_copy(j, gsi, lhs, rhs, loc, &after);
		} else {
			instrument_load(j, gsi, rhs, loc);
			instrument_store(j, gsi, lhs, loc, &after);
		}
	} else if (gcall *c = dyn_cast<gcall *>(stmt)) {
		tree lhs = gimple_call_lhs(c);

		instrument_builtin(j, gsi, c, loc, &after);
		if (lhs && AGGREGATE_TYPE_P(TREE_TYPE(lhs))) {
			if (holds_tracked(j->s, TREE_TYPE(lhs), 0))
				instrument_record_copy(j, gsi, lhs, NULL_TREE, loc, &after);
		} else if (lhs) {
			instrument_store(j, gsi, lhs, loc, &after);
		}
	}
	if (!after)
		return;
	/* a statement that may throw ends its block: nothing can follow it there */
	if (stmt_ends_bb_p(stmt)) {
		for (gimple_stmt_iterator it = gsi_start(after); !gsi_end_p(it); gsi_next(&it)) {
			unsigned ix;
			gcall *c;

			FOR_EACH_VEC_ELT(j->fast, ix, c)
				if (c == gsi_stmt(it))
					j->fast.unordered_remove(ix--);
		}
		return;
	}
	insert_after(gsi, after);
}

void mtc_san::instrument_function(void *arg)
{
	struct fn_job *j = (struct fn_job *)arg;
	const char *crash = j->s->crash_test;
	basic_block bb;

	if (crash && !strncmp(crash, "@sanitize:", 10) &&
	    !strcmp(crash + 10, function_name(j->fun))) {
		/* below mmap_min_addr: never mapped; volatile, so that GCC cannot see it */
		volatile int *volatile never = (volatile int *)(uintptr_t)16;

		*never = 0;
	}

	FOR_EACH_BB_FN(bb, j->fun) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi))
			instrument_stmt(j, &gsi);
	}
	guard_calls(j);
}

// SPDX-License-Identifier: MIT
/*
 * The report reader's second half: one finding, as json-c parsed it, back
 * into a struct mtc_finding from its facts (docs/json.md).  Every field is
 * checked; a bad one stops the read with a message naming the finding's
 * index and the key path ("finding 3: 'narrow[2].location.line' is not an
 * integer").
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_read_internal.h"

/* ---- one finding, from its facts ------------------------------------- */

/* "'narrow[1].path' is not a string", with the file and the finding. */
static void bad(struct rd *r, const char *key, const char *what)
{
	mtc_rd_fail(r, -EINVAL, "finding %zu: '%s%s%s' %s", r->index, r->where, r->where[0] ? "." : "",
	     key, what);
}

/* Step into member @key (of the current object) for the keys read below it. */
static size_t enter(struct rd *r, const char *key, long idx)
{
	size_t len = strlen(r->where);

	if (idx >= 0)
		snprintf(r->where + len, sizeof(r->where) - len, "%s%s[%ld]", len ? "." : "", key, idx);
	else
		snprintf(r->where + len, sizeof(r->where) - len, "%s%s", len ? "." : "", key);
	return len;
}

static void leave(struct rd *r, size_t len)
{
	r->where[len] = '\0';
}

static json_object *member(struct rd *r, json_object *o, const char *key, json_type type,
			   bool optional)
{
	static const char *const what[] = {
		[json_type_boolean] = "is not true or false",
		[json_type_int] = "is not an integer",
		[json_type_object] = "is not an object",
		[json_type_array] = "is not an array",
		[json_type_string] = "is not a string",
	};
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
		if (!optional)
			bad(r, key, "is missing");
		return NULL;
	}
	if (!json_object_is_type(v, type)) {
		bad(r, key, what[type]);
		return NULL;
	}
	return v;
}

static char *string(struct rd *r, json_object *o, const char *key, bool optional)
{
	json_object *v = member(r, o, key, json_type_string, optional);
	char *s;

	if (!v)
		return NULL;
	/* json-c keeps a \u0000 in the string; C would cut it there */
	if (strlen(json_object_get_string(v)) != (size_t)json_object_get_string_len(v)) {
		bad(r, key, "contains a NUL character (\\u0000)");
		return NULL;
	}
	if (!(s = strdup(json_object_get_string(v))))
		mtc_rd_fail(r, -ENOMEM, "out of memory");
	return s;
}

/* A non-negative integer no larger than @max. */
static uint64_t number(struct rd *r, json_object *o, const char *key, bool optional, uint64_t max)
{
	json_object *v = member(r, o, key, json_type_int, optional);

	if (!v)
		return 0;
	int64_t n = json_object_get_int64(v);

	if (n < 0)
		bad(r, key, "is negative");
	else if ((uint64_t)n > max)
		bad(r, key, "is too large");
	else
		return (uint64_t)n;
	return 0;
}

static void location(struct rd *r, json_object *o, const char *key, struct mtc_location *loc)
{
	json_object *l = member(r, o, key, json_type_object, true);

	memset(loc, 0, sizeof(*loc));
	if (!l)
		return;
	size_t len = enter(r, key, -1);

	loc->file = string(r, l, "file", false);
	loc->line = (unsigned)number(r, l, "line", false, INT_MAX);
	loc->column = (unsigned)number(r, l, "column", true, INT_MAX);
	leave(r, len);
}

/* "value_bits": {"little": [lo, hi], "big": [lo, hi]}, hi inclusive */
static void value_bits(struct rd *r, json_object *leaf, struct mtc_leaf *l)
{
	json_object *vb = member(r, leaf, "value_bits", json_type_object, false);
	static const char *const orders[] = { "little", "big" };
	uint32_t *bounds[2][2] = { { &l->le_lo, &l->le_hi }, { &l->be_lo, &l->be_hi } };

	if (!vb)
		return;
	size_t len = enter(r, "value_bits", -1);

	for (int i = 0; i < 2; i++) {
		json_object *a = member(r, vb, orders[i], json_type_array, false);

		if (!a)
			break;
		json_object *lo = json_object_array_get_idx(a, 0), *hi = json_object_array_get_idx(a, 1);

		if (json_object_array_length(a) != 2 || !json_object_is_type(lo, json_type_int) ||
		    !json_object_is_type(hi, json_type_int) || json_object_get_int64(lo) < 0 ||
		    json_object_get_int64(hi) < json_object_get_int64(lo) ||
		    json_object_get_int64(hi) >= UINT32_MAX) {
			bad(r, orders[i], "is not [lo, hi] with 0 <= lo <= hi");
			break;
		}
		*bounds[i][0] = (uint32_t)json_object_get_int64(lo);
		*bounds[i][1] = (uint32_t)json_object_get_int64(hi) + 1;
	}
	leave(r, len);
}

static void leaf(struct rd *r, json_object *o, struct mtc_leaf *l, bool narrow)
{
	l->path = string(r, o, "path", false);
	l->type = string(r, o, "type", false);
	char *kind = string(r, o, "kind", true);

	/* reports from before "kind" was written: the words say "integer" */
	l->kind = MTC_KIND_INT;
	if (kind && mtc_kind_parse(kind, &l->kind))
		bad(r, "kind", "is not a kind of scalar");
	free(kind);
	l->offset = number(r, o, "offset", false, INT64_MAX);
	l->size = number(r, o, "size", false, INT64_MAX);
	l->bit_offset = (uint32_t)number(r, o, "bit_offset", true, UINT32_MAX);
	l->bit_size = (uint32_t)number(r, o, "bit_size", true, UINT32_MAX);
	if (narrow)
		value_bits(r, o, l);
	location(r, o, "location", &l->loc);
}

static void target(struct rd *r, json_object *o, struct mtc_target *t)
{
	char *endian = string(r, o, "endian", false);
	char *triple = string(r, o, "triple", true);

	memset(t, 0, sizeof(*t));
	if (endian && strcmp(endian, "little") && strcmp(endian, "big"))
		bad(r, "endian", "is not \"little\" or \"big\"");
	t->endian = endian && !strcmp(endian, "big") ? MTC_ENDIAN_BIG : MTC_ENDIAN_LITTLE;
	t->pointer_bits = (unsigned)number(r, o, "pointer_bits", false, INT_MAX);
	/* the char signedness is not in the report; it does not take part in findings */
	t->char_signed = true;
	if (triple && strlen(triple) >= sizeof(t->triple))
		bad(r, "triple", "is too long");
	else if (triple)
		memcpy(t->triple, triple, strlen(triple) + 1);
	free(endian);
	free(triple);
}

/*
 * The array @v, member @key of a finding, whose elements are objects: each
 * is read by @each into a new array of @size-byte elements.  Returns it
 * with its length in *@n (NULL and 0 when @v is empty or memory runs out).
 */
static void *object_array(struct rd *r, json_object *v, const char *key, size_t size, size_t *n,
			  void (*each)(struct rd *r, json_object *o, void *elem))
{
	size_t count = json_object_array_length(v);
	char *a;

	*n = 0;
	if (!count)
		return NULL;
	if (!(a = calloc(count, size))) {
		mtc_rd_fail(r, -ENOMEM, "out of memory");
		return NULL;
	}
	*n = count;
	for (size_t i = 0; i < count && !r->ret; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		size_t len = enter(r, key, (long)i);

		if (json_object_is_type(e, json_type_object))
			each(r, e, a + i * size);
		else
			mtc_rd_fail(r, -EINVAL, "finding %zu: '%s' is not an object", r->index, r->where);
		leave(r, len);
	}
	return a;
}

static void each_target(struct rd *r, json_object *o, void *t)
{
	target(r, o, t);
}

static void each_narrow(struct rd *r, json_object *o, void *l)
{
	leaf(r, o, l, true);
}

static void targets(struct rd *r, json_object *o, struct mtc_finding *f)
{
	json_object *v = NULL;
	size_t len;

	if (json_object_object_get_ex(o, "target", &v) && json_object_is_type(v, json_type_array)) {
		if (r->conf)
			r->conf->multi_target = true;
		f->multi_target = true;
		if (!json_object_array_length(v))
			bad(r, "target", "is empty");
		else
			f->targets = object_array(r, v, "target", sizeof(*f->targets), &f->nr_targets,
						  each_target);
	} else if ((v = member(r, o, "target", json_type_object, false))) {
		if (!(f->targets = calloc(1, sizeof(*f->targets)))) {
			mtc_rd_fail(r, -ENOMEM, "out of memory");
			return;
		}
		f->nr_targets = 1;
		len = enter(r, "target", -1);
		target(r, v, &f->targets[0]);
		leave(r, len);
	}
}

/* MT010: the targets where the record exists without the overlay. */
static void absent_targets(struct rd *r, json_object *o, struct mtc_finding *f)
{
	json_object *v = member(r, o, "absent_targets", json_type_array, true);

	if (v)
		f->absent_targets = object_array(r, v, "absent_targets", sizeof(*f->absent_targets),
						 &f->nr_absent, each_target);
}

static void narrow_leaves(struct rd *r, json_object *o, struct mtc_finding *f)
{
	json_object *v = member(r, o, "narrow", json_type_array, false);

	if (v && !json_object_array_length(v))
		bad(r, "narrow", "is empty");
	else if (v)
		f->narrow = object_array(r, v, "narrow", sizeof(*f->narrow), &f->nr_narrow, each_narrow);
}

/* One element of "evidence". */
static void evidence(struct rd *r, json_object *e, void *out)
{
	struct mtc_evidence *ev = out;
	char *kind = string(r, e, "kind", false);

	if (kind && mtc_evidence_kind_parse(kind, &ev->kind))
		bad(r, "kind", "is not a kind of evidence");
	free(kind);
	ev->member = string(r, e, "member", true);
	ev->other = string(r, e, mtc_evidence_other_key(ev->kind), true);
	ev->record = string(r, e, "record", true);
	ev->count = number(r, e, "count", true, INT64_MAX);
	location(r, e, "location", &ev->loc);
	/* "text" is words, made again from these fields */
}

/*
 * "confidence", "rank", "evidence" and "record_location" (docs/json.md).
 * Reports from before they were written read as medium with no evidence;
 * a missing rank is worked out from the other fields.
 */
static void confidence(struct rd *r, json_object *o, struct mtc_finding *f)
{
	char *level = string(r, o, "confidence", true);
	json_object *v;

	f->confidence = MTC_CONF_MEDIUM;
	if (level && mtc_confidence_parse(level, &f->confidence))
		bad(r, "confidence", "is not \"low\", \"medium\" or \"high\"");
	free(level);
	location(r, o, "record_location", &f->record_loc);
	if ((v = member(r, o, "evidence", json_type_array, true)))
		f->evidence = object_array(r, v, "evidence", sizeof(*f->evidence), &f->nr_evidence,
					   evidence);
	f->rank = mtc_finding_rank(f);
	if (member(r, o, "rank", json_type_int, true))
		f->rank = (unsigned)number(r, o, "rank", true, 100);
}

/*
 * The facts of one finding.  "message" and "note" are words the renderers
 * make from these facts, so they are not read.  What JSON version 1 does not
 * carry (in_char_array, byte_array) stays unset; partial, narrow_bitfield
 * and common_prefix follow from what is there (mtc_finding_derive).
 */
struct mtc_finding *mtc_rd_finding(struct rd *r, json_object *o)
{
	struct mtc_finding *f = calloc(1, sizeof(*f));
	json_object *v;

	r->where[0] = '\0';
	if (!f) {
		mtc_rd_fail(r, -ENOMEM, "out of memory");
		return NULL;
	}
	if (!json_object_is_type(o, json_type_object)) {
		mtc_rd_fail(r, -EINVAL, "finding %zu: not an object", r->index);
		return f;
	}
	f->rule_id = string(r, o, "rule", false);
	f->rule_name = string(r, o, "name", false);
	char *sev = string(r, o, "severity", false);

	if (sev && mtc_severity_parse(sev, false, &f->severity))
		bad(r, "severity", "is not \"note\", \"warning\" or \"error\"");
	free(sev);
	f->record = string(r, o, "record", false);
	targets(r, o, f);
	if ((v = member(r, o, "wide", json_type_object, false))) {
		size_t len = enter(r, "wide", -1);

		leaf(r, v, &f->wide, false);
		leave(r, len);
	}
	narrow_leaves(r, o, f);
	f->little_endian = string(r, o, "little_endian", false);
	f->big_endian = string(r, o, "big_endian", false);
	f->instances = number(r, o, "instances", false, INT64_MAX);
	f->more_in_union = number(r, o, "more_in_union", true, INT64_MAX);
	/* a fact of multi-target runs, written only with a list of targets */
	if ((v = member(r, o, "confirmed_by_layout", json_type_boolean, true)) && f->multi_target)
		f->confirmed = json_object_get_boolean(v);
	location(r, o, "location", &f->loc);
	f->frontend = string(r, o, "frontend", false);
	f->input = string(r, o, "input", false);
	absent_targets(r, o, f);
	/* written only by a run with a baseline */
	char *state = string(r, o, "baseline", true);

	if (state && mtc_baseline_state_parse(state, &f->baseline))
		bad(r, "baseline", "is not \"new\", \"unchanged\" or \"absent\"");
	free(state);
	if (!r->ret && mtc_finding_derive(f))
		mtc_rd_fail(r, -ENOMEM, "out of memory");
	if (!r->ret)
		confidence(r, o, f);
	return f;
}

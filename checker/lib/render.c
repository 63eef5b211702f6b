// SPDX-License-Identifier: MIT
/*
 * The words of a finding.  Everything before this point is data; every
 * reporter (text, JSON, SARIF, the GCC plugin, mtcheck-sparse) asks here
 * for the message and the note, so that rewording one never breaks a stage
 * that compares findings.  Names read from an input are escaped: a report
 * line stays one line whatever the input holds.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mtcheck/report.h"
#include "strbuf.h"

/* The allocation bits of a leaf, counted from the named record's start. */
static void leaf_bits(const struct mtc_leaf *l, enum mtc_endian e, uint64_t *start,
		      uint64_t *bits)
{
	if (l->bit_size) {
		*start = mtc_bitfield_allocation(e, l->bit_offset, l->bit_size);
		*bits = l->bit_size;
	} else {
		*start = l->offset * 8;
		*bits = l->size * 8;
	}
}

/* The bytes of the wide scalar that the narrow ones overlay. */
static void overlay_bytes(const struct mtc_finding *f, uint64_t *lo, uint64_t *hi)
{
	/* the leaves are laid out as the first target has them */
	enum mtc_endian e = f->nr_targets ? f->targets[0].endian : MTC_ENDIAN_LITTLE;
	uint64_t ws, wn;

	leaf_bits(&f->wide, e, &ws, &wn);
	*lo = UINT64_MAX;
	*hi = 0;
	for (size_t i = 0; i < f->nr_narrow; i++) {
		uint64_t ns, nn;

		leaf_bits(&f->narrow[i], e, &ns, &nn);
		uint64_t a = ns > ws ? ns : ws;
		uint64_t b = ns + nn < ws + wn ? ns + nn : ws + wn;

		if (b <= a)
			continue;
		if (a / 8 < *lo)
			*lo = a / 8;
		if ((b - 1) / 8 > *hi)
			*hi = (b - 1) / 8;
	}
	if (*lo == UINT64_MAX)
		*lo = *hi = ws / 8;
}

static void quoted(struct strbuf *sb, const char *name)
{
	sb_addc(sb, '\'');
	sb_add_escaped(sb, name);
	sb_addc(sb, '\'');
}

static void targets_text(struct strbuf *sb, const struct mtc_target *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sb_add(sb, i == 0 ? "" : i + 1 == n ? " and " : ", ");
		sb_add_escaped(sb, t[i].triple[0] ? t[i].triple : mtc_endian_name(t[i].endian));
	}
}

char *mtc_finding_message(const struct mtc_finding *f, unsigned flags)
{
	struct strbuf sb;
	uint64_t lo, hi;

	sb_init(&sb);
	sb_add(&sb, "[");
	sb_add_escaped(&sb, f->rule_id);
	if (flags & MTC_MESSAGE_RULE_NAME) {
		sb_addc(&sb, ' ');
		sb_add_escaped(&sb, f->rule_name);
	}
	sb_add(&sb, "] ");
	for (size_t i = 0; i < f->nr_narrow; i++) {
		if (i)
			sb_add(&sb, ", ");
		quoted(&sb, f->narrow[i].path);
	}
	sb_addf(&sb, " overlay%s ", f->nr_narrow == 1 ? "s" : "");
	overlay_bytes(f, &lo, &hi);
	if (lo == hi)
		sb_addf(&sb, "byte %llu", (unsigned long long)lo);
	else
		sb_addf(&sb, "bytes %llu-%llu", (unsigned long long)lo, (unsigned long long)hi);
	sb_addf(&sb, " of %s ", mtc_kind_word(f->wide.kind, f->wide.bit_size > 0));
	quoted(&sb, f->wide.path);
	sb_add(&sb, " in ");
	quoted(&sb, f->record);
	if (f->nr_absent) {
		sb_add(&sb, " on ");
		targets_text(&sb, f->targets, f->nr_targets);
		sb_add(&sb, " only; ");
		targets_text(&sb, f->absent_targets, f->nr_absent);
		sb_addf(&sb, " lay%s these members out without the overlay",
			f->nr_absent == 1 ? "s" : "");
	} else {
		sb_add(&sb, "; its value depends on byte order");
	}
	if (f->instances > 1)
		sb_addf(&sb, " (%llu elements overlap alike; the first is named)",
			(unsigned long long)f->instances);
	if (!f->nr_absent && f->confirmed) {
		sb_add(&sb, " (confirmed by layout on ");
		targets_text(&sb, f->targets, f->nr_targets);
		sb_addc(&sb, ')');
	} else if (!f->nr_absent && f->multi_target) {
		sb_add(&sb, " (on ");
		targets_text(&sb, f->targets, f->nr_targets);
		sb_addc(&sb, ')');
	}
	return sb_detach(&sb);
}

char *mtc_finding_note(const struct mtc_finding *f)
{
	struct strbuf sb;
	/* a picture of bits is "0b...", of bytes "0x..." (a report read back may hold "") */
	bool bits = f->little_endian && !strncmp(f->little_endian, "0b", 2);

	sb_init(&sb);
	quoted(&sb, f->wide.path);
	sb_add(&sb, " reads ");
	sb_add_escaped(&sb, f->little_endian ? f->little_endian : "?");
	sb_add(&sb, " on little-endian and ");
	sb_add_escaped(&sb, f->big_endian ? f->big_endian : "?");
	sb_add(&sb, " on big-endian (");
	for (size_t i = 0; i < f->nr_narrow; i++) {
		char c = mtc_picture_label(i);

		if (bits)
			sb_addf(&sb, "%c = ", c);
		else
			sb_addf(&sb, "%c%c = ", c, c);
		sb_add_escaped(&sb, f->narrow[i].path);
		sb_add(&sb, ", ");
	}
	if (f->partial) {
		sb_addf(&sb, "%s = %s not written ", bits ? "?" : "??", bits ? "bits" : "bytes");
		if (f->common_prefix) {
			sb_add(&sb, "through ");
			quoted(&sb, f->common_prefix);
		} else {
			sb_add(&sb, "by these members");
		}
	} else if (sb.len >= 2) {
		sb_truncate(&sb, sb.len - 2);
	}
	sb_addc(&sb, ')');
	if (f->more_in_union)
		sb_addf(&sb, "; %llu more overlay%s in this union %s not reported (a union gives "
			"one finding per alternative, at least 256)", (unsigned long long)f->more_in_union,
			f->more_in_union == 1 ? "" : "s", f->more_in_union == 1 ? "is" : "are");
	return sb_detach(&sb);
}

void mtc_location_prefix(struct strbuf *sb, const struct mtc_location *loc, const char *fallback)
{
	if (loc->file && loc->line) {
		sb_add_escaped(sb, loc->file);
		sb_addf(sb, ":%u:", loc->line);
		if (loc->column)
			sb_addf(sb, "%u:", loc->column);
	} else {
		sb_add_escaped(sb, fallback ? fallback : "?");
		sb_addc(sb, ':');
	}
	sb_addc(sb, ' ');
}

char *mtc_evidence_text(const struct mtc_evidence *e)
{
	struct strbuf sb;
	const char *member = e->member ? e->member : "?";

	sb_init(&sb);
	switch (e->kind) {
	case MTC_EV_MIRRORED:
	case MTC_EV_MIRRORED_TYPES:
		sb_addf(&sb, "co-live: the %llu member%s before the overlay repeat%s the wide side's by %s (",
			(unsigned long long)e->count, e->count == 1 ? "" : "s",
			e->count == 1 ? "s" : "",
			e->kind == MTC_EV_MIRRORED_TYPES ? "type" : "width");
		quoted(&sb, member);
		sb_add(&sb, " as ");
		quoted(&sb, e->other ? e->other : "?");
		sb_add(&sb, "), so both are live at once");
		break;
	case MTC_EV_TAIL:
		sb_add(&sb, "the overlay is the last data of both members: stashed in the tail");
		break;
	case MTC_EV_VIEW:
		sb_add(&sb, "views of one value: no tag selects them and nothing is mirrored");
		break;
	case MTC_EV_TAG_ENUM:
	case MTC_EV_TAG_NAME:
		sb_add(&sb, "alternatives selected by the tag ");
		quoted(&sb, member);
		if (e->other) {
			sb_add(&sb, " (");
			sb_add_escaped(&sb, e->other);
			sb_addc(&sb, ')');
		}
		if (e->record) {
			sb_add(&sb, " in ");
			quoted(&sb, e->record);
		}
		break;
	case MTC_EV_ALTERNATIVES:
		sb_add(&sb, "alternatives: ");
		if (e->member) {
			quoted(&sb, member);
			sb_add(&sb, " sits in a nested union of ");
		} else {
			sb_add(&sb, "the union has ");
		}
		sb_addf(&sb, "%s%llu differently shaped members", e->count >= 16 ? "at least " : "",
			(unsigned long long)e->count);
		break;
	case MTC_EV_PADDING:
		sb_addf(&sb, "the %s side is padding (", e->count ? "wide" : "narrow");
		quoted(&sb, member);
		sb_add(&sb, e->count ? "): nothing reads it" : ")");
		break;
	case MTC_EV_TWIN:
		sb_add(&sb, "twins: the member holding ");
		quoted(&sb, member);
		sb_add(&sb, " is laid out like the one holding ");
		quoted(&sb, e->other ? e->other : "?");
		sb_add(&sb, " (as struct_group makes them): the overlay is one inside each, "
			"found there too");
		break;
	case MTC_EV_CHAR_ARRAY:
		sb_add(&sb, "the narrow side is a byte array (");
		quoted(&sb, member);
		sb_addc(&sb, ')');
		break;
	case MTC_EV_REUSE:
		sb_add(&sb, "lifetime reuse: ");
		quoted(&sb, member);
		sb_add(&sb, " is ");
		sb_add_escaped(&sb, e->other ? e->other : "?");
		break;
	case MTC_EV_BYTE_ORDER:
		sb_add(&sb, "adapted: ");
		quoted(&sb, member);
		sb_add(&sb, " is declared under a byte-order conditional (");
		sb_add_escaped(&sb, e->other ? e->other : "?");
		if (e->loc.line)
			sb_addf(&sb, ", line %u", e->loc.line);
		sb_addc(&sb, ')');
		break;
	default:
		sb_add(&sb, "?");
	}
	return sb_detach(&sb);
}

char *mtc_finding_confidence_text(const struct mtc_finding *f)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_addf(&sb, "%s confidence", mtc_confidence_name(f->confidence));
	for (size_t i = 0; i < f->nr_evidence; i++) {
		char *t = mtc_evidence_text(&f->evidence[i]);

		if (!t) {
			sb_free(&sb);
			return NULL;
		}
		sb_add(&sb, i ? "; " : ": ");
		sb_add(&sb, t);
		free(t);
	}
	return sb_detach(&sb);
}

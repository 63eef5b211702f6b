// SPDX-License-Identifier: MIT
/*
 * The reporters: GCC-style text, JSON version 1 and SARIF 2.1.0, written
 * into memory and read back (JSON and SARIF with json-c).
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mtcheck/report.h"
#include "test_util.h"

#define TOOL_VERSION "9.9.9-test"

struct fixture {
	struct mtc_ruleset *rs;
	struct mtc_findings *fs;	/* bf (MT003), bv (MT004), maple (MT001), sorted */
};

/* union bf and union bv of the analysis tests, on one little-endian model */
static struct mtc_model *bitfield_and_bytes(void)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	struct mtc_type *s = tu_record(m, MTC_KIND_STRUCT, NULL, 4, 4);
	struct mtc_type *bf = tu_record(m, MTC_KIND_UNION, "union bf", 4, 4);
	struct mtc_type *bv = tu_record(m, MTC_KIND_UNION, "union bv", 4, 4);

	tu_bitfield(m, s, "type", u32, 0, 4);
	tu_bitfield(m, s, "len", u32, 4, 12);
	tu_bitfield(m, s, "id", u32, 16, 16);
	tu_member(m, bf, "word", u32, 0);
	tu_member(m, bf, "f", s, 0);
	tu_member(m, bv, "v", u32, 0);
	tu_member(m, bv, "b", tu_array(m, tu_int(m, "unsigned char", 1, false), 4), 0);
	return m;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct mtc_analysis_conf conf;
	struct maple_fixture mf;
	struct mtc_model *m;

	if (!fx)
		return -1;
	fx->rs = tu_rules();
	fx->fs = mtc_findings_new();
	conf = (struct mtc_analysis_conf){ .rules = fx->rs };
	tu_maple(&mf, &t_le64);
	m = bitfield_and_bytes();
	if (mtc_analyze(mf.m, &conf, fx->fs, NULL) != 1 || mtc_analyze(m, &conf, fx->fs, NULL) != 2)
		return -1;
	/* findings outlive their models */
	mtc_model_free(mf.m);
	mtc_model_free(m);
	mtc_findings_sort(fx->fs);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	if (!fx)
		return 0;
	mtc_findings_free(fx->fs);
	mtc_ruleset_free(fx->rs);
	free(fx);
	return 0;
}

/* Run one reporter into memory; returns the malloc'd report. */
static char *report_min(const struct mtc_findings *fs, const struct mtc_ruleset *rs,
			enum mtc_format format, enum mtc_confidence min)
{
	struct mtc_report_conf conf = { .format = format, .rules = rs,
					 .tool_version = TOOL_VERSION, .min_confidence = min };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(mtc_report_write(out, fs, &conf), 0);
	assert_int_equal(fclose(out), 0);
	assert_non_null(buf);
	assert_int_equal(strlen(buf), len);
	return buf;
}

/* Every finding shown, as --all does. */
static char *report(const struct mtc_findings *fs, const struct mtc_ruleset *rs,
		    enum mtc_format format)
{
	return report_min(fs, rs, format, MTC_CONF_LOW);
}

static json_object *parse(const char *text)
{
	json_object *o = json_tokener_parse(text);

	if (!o)
		fail_msg("not JSON:\n%s", text);
	return o;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no key '%s' in %s", key, json_object_to_json_string(o));
	return v;
}

static bool has(json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

static json_object *at(json_object *a, size_t i)
{
	assert_true(json_object_is_type(a, json_type_array));
	assert_true(i < json_object_array_length(a));
	return json_object_array_get_idx(a, i);
}

static void assert_jstr(json_object *o, const char *key, const char *want)
{
	json_object *v = get(o, key);

	assert_true(json_object_is_type(v, json_type_string));
	assert_string_equal(json_object_get_string(v), want);
}

static void assert_jint(json_object *o, const char *key, int64_t want)
{
	json_object *v = get(o, key);

	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_int64(v), want);
}

static void assert_jnull(json_object *o, const char *key)
{
	assert_true(json_object_is_type(get(o, key), json_type_null));
}

static void assert_jlen(json_object *o, const char *key, size_t n)
{
	json_object *v = get(o, key);

	assert_true(json_object_is_type(v, json_type_array));
	assert_int_equal(json_object_array_length(v), n);
}

static void assert_jrange(json_object *o, const char *key, int lo, int hi)
{
	json_object *a = get(o, key);

	assert_int_equal(json_object_array_length(a), 2);
	assert_int_equal(json_object_get_int(at(a, 0)), lo);
	assert_int_equal(json_object_get_int(at(a, 1)), hi);
}

static void assert_jloc(json_object *o, const char *file, int line, int column)
{
	json_object *l = get(o, "location");

	assert_jstr(l, "file", file);
	assert_jint(l, "line", line);
	assert_jint(l, "column", column);
	assert_int_equal(json_object_object_length(l), 3);
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	assert_non_null(p);
	return p;
}

/* A finding made by hand, for what the analysis does not produce here. */
static struct mtc_finding *hand_finding(const char *record, const char *file, unsigned line,
					unsigned column, enum mtc_severity severity,
					size_t nr_targets)
{
	struct mtc_finding *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->rule_id = xstrdup("MT002");
	f->rule_name = xstrdup("mixed-width-scalars");
	f->severity = severity;
	f->confidence = MTC_CONF_MEDIUM;
	f->rank = 48;
	f->record = xstrdup(record);
	f->wide = (struct mtc_leaf){ .path = xstrdup("v"), .type = xstrdup("uint64_t"),
				     .kind = MTC_KIND_INT, .offset = 0, .size = 8 };
	f->narrow = calloc(1, sizeof(*f->narrow));
	assert_non_null(f->narrow);
	f->nr_narrow = 1;
	f->narrow[0] = (struct mtc_leaf){ .path = xstrdup("lo"), .type = xstrdup("uint32_t"),
					  .kind = MTC_KIND_INT, .offset = 0, .size = 4,
					  .le_lo = 0, .le_hi = 32, .be_lo = 32, .be_hi = 64 };
	f->instances = 1;
	f->partial = true;
	f->little_endian = xstrdup("0x????????AAAAAAAA");
	f->big_endian = xstrdup("0xAAAAAAAA????????");
	f->targets = calloc(nr_targets, sizeof(*f->targets));
	assert_non_null(f->targets);
	f->nr_targets = nr_targets;
	f->targets[0] = t_le64;
	if (nr_targets > 1)
		f->targets[1] = (struct mtc_target){ .endian = MTC_ENDIAN_BIG, .pointer_bits = 32 };
	f->frontend = xstrdup("clang");
	f->input = xstrdup("x.c");
	if (file) {
		f->loc = (struct mtc_location){ .file = xstrdup(file), .line = line,
						  .column = column };
		f->wide.loc = (struct mtc_location){ .file = xstrdup(file),
						       .line = line - 1, .column = column };
		f->narrow[0].loc = (struct mtc_location){ .file = xstrdup(file), .line = line,
						  .column = column };
	}
	return f;
}

#define BF_MESSAGE                                                                    \
	"[MT003] 'f.type', 'f.len', 'f.id' overlay bytes 0-3 of integer 'word' in "  \
	"'union bf'; its value depends on byte order"
#define BF_NOTE                                                                       \
	"'word' reads 0bCCCCCCCCCCCCCCCCBBBBBBBBBBBBAAAA on little-endian and "       \
	"0bAAAABBBBBBBBBBBBCCCCCCCCCCCCCCCC on big-endian (A = f.type, B = f.len, " \
	"C = f.id)"
#define BV_MESSAGE                                                                    \
	"[MT004] 'b[0]', 'b[1]', 'b[2]', 'b[3]' overlay bytes 0-3 of integer 'v' in " \
	"'union bv'; its value depends on byte order"
#define BV_NOTE                                                                       \
	"'v' reads 0xDDCCBBAA on little-endian and 0xAABBCCDD on big-endian (AA = "   \
	"b[0], BB = b[1], CC = b[2], DD = b[3])"
#define MAPLE_MESSAGE                                                                 \
	"[MT001] 'meta.end', 'meta.gap' overlay bytes 248-249 of pointer 'slot[15]' " \
	"in 'struct maple_range_64'; its value depends on byte order"
#define MAPLE_NOTE                                                                    \
	"'slot[15]' reads 0x????????????BBAA on little-endian and "                   \
	"0xAABB???????????? on big-endian (AA = meta.end, BB = meta.gap, ?? = bytes " \
	"not written through 'meta')"
#define MAPLE_CONFIDENCE                                                                   \
	"high confidence: co-live: the 15 members before the overlay repeat the wide side's " \
	"by type ('pad[0]' as 'slot[0]'), so both are live at once; the overlay is the last " \
	"data of both members: stashed in the tail"

static void test_sorted_order(void **state)
{
	struct fixture *fx = *state;

	/* findings without a location sort first, then by file, line, record */
	assert_int_equal(mtc_findings_count(fx->fs), 3);
	assert_string_equal(mtc_findings_at(fx->fs, 0)->record, "union bf");
	assert_string_equal(mtc_findings_at(fx->fs, 1)->record, "union bv");
	assert_string_equal(mtc_findings_at(fx->fs, 2)->record, "struct maple_range_64");
	assert_int_equal(mtc_findings_max_severity(fx->fs), MTC_SEV_WARNING);
}

static void test_text(void **state)
{
	struct fixture *fx = *state;
	char *text = report(fx->fs, fx->rs, MTC_FORMAT_TEXT);

	/* grouped by record, the highest rank first: high, medium, low */
	assert_string_equal(text,
			    "mt.o: 'struct maple_range_64': 1 finding shown (1 high)\n"
			    "mt.c:13:29: warning: " MAPLE_MESSAGE "\n"
			    "mt.c:10:11: note: " MAPLE_NOTE "\n"
			    "mt.c:12:31: note: " MAPLE_CONFIDENCE "\n"
			    "mt.o: 'union bf': 1 finding shown (1 medium)\n"
			    "mt.o: warning: " BF_MESSAGE "\n"
			    "mt.o: note: " BF_NOTE "\n"
			    "mt.o: note: medium confidence: views of one value: no tag selects them "
			    "and nothing is mirrored\n"
			    "mt.o: 'union bv': 1 finding shown (1 low)\n"
			    "mt.o: note: " BV_MESSAGE "\n"
			    "mt.o: note: " BV_NOTE "\n"
			    "mt.o: note: low confidence: the narrow side is a byte array ('b[0]')\n"
			    "mtcheck: 3 findings shown (1 high, 1 medium, 1 low)\n");
	free(text);

	/* the default threshold: the byte view is hidden, and the closing line says why */
	text = report_min(fx->fs, fx->rs, MTC_FORMAT_TEXT, MTC_CONF_MEDIUM);
	assert_string_equal(text,
			    "mt.o: 'struct maple_range_64': 1 finding shown (1 high)\n"
			    "mt.c:13:29: warning: " MAPLE_MESSAGE "\n"
			    "mt.c:10:11: note: " MAPLE_NOTE "\n"
			    "mt.c:12:31: note: " MAPLE_CONFIDENCE "\n"
			    "mt.o: 'union bf': 1 finding shown (1 medium)\n"
			    "mt.o: warning: " BF_MESSAGE "\n"
			    "mt.o: note: " BF_NOTE "\n"
			    "mt.o: note: medium confidence: views of one value: no tag selects them "
			    "and nothing is mirrored\n"
			    "mtcheck: 2 findings shown (1 high, 1 medium); 1 hidden: 1 byte arrays "
			    "(--all shows them)\n");
	free(text);

	/* only high: a record header counts what its record hides */
	text = report_min(fx->fs, fx->rs, MTC_FORMAT_TEXT, MTC_CONF_HIGH);
	assert_string_equal(text,
			    "mt.o: 'struct maple_range_64': 1 finding shown (1 high)\n"
			    "mt.c:13:29: warning: " MAPLE_MESSAGE "\n"
			    "mt.c:10:11: note: " MAPLE_NOTE "\n"
			    "mt.c:12:31: note: " MAPLE_CONFIDENCE "\n"
			    "mtcheck: 1 finding shown (1 high); 2 hidden: 1 views, 1 byte arrays "
			    "(--all shows them)\n");
	free(text);
}

static void test_text_locations_and_severity(void **state)
{
	(void)state;
	struct mtc_findings *fs = mtc_findings_new();
	char *text;

	/* no column: file:line:, and the error severity */
	assert_int_equal(mtc_findings_add(fs, hand_finding("struct a", "src/a.c", 7, 0,
							   MTC_SEV_ERROR, 1)),
			 1);
	text = report(fs, NULL, MTC_FORMAT_TEXT);
	assert_string_equal(text,
			    "x.c: 'struct a': 1 finding shown (1 medium)\n"
			    "src/a.c:7: error: [MT002] 'lo' overlays bytes 0-3 of integer 'v' in "
			    "'struct a'; its value depends on byte order\n"
			    "src/a.c:6: note: 'v' reads 0x????????AAAAAAAA on little-endian and "
			    "0xAAAAAAAA???????? on big-endian (AA = lo, ?? = bytes not written by "
			    "these members)\n"
			    "src/a.c:7: note: medium confidence\n"
			    "mtcheck: 1 finding shown (1 medium)\n");
	free(text);
	mtc_findings_free(fs);

	/* an empty list writes nothing */
	fs = mtc_findings_new();
	text = report(fs, NULL, MTC_FORMAT_TEXT);
	assert_string_equal(text, "");
	free(text);
	mtc_findings_free(fs);
}

/* Words come from facts: the several-target forms, and names from the input escaped. */
static void test_render_from_facts(void **state)
{
	(void)state;
	struct mtc_finding *f = hand_finding("struct a", NULL, 0, 0, MTC_SEV_WARNING, 2);

	/* laid out for both byte orders */
	f->multi_target = true;
	f->confirmed = true;
	strcpy(f->targets[0].triple, "x86_64-linux-gnu");
	strcpy(f->targets[1].triple, "s390x-linux-gnu");
	tu_assert_message(f, "[MT002] 'lo' overlays bytes 0-3 of integer 'v' in 'struct a'; its "
			     "value depends on byte order (confirmed by layout on x86_64-linux-gnu "
			     "and s390x-linux-gnu)");
	/* one byte order only */
	f->confirmed = false;
	f->instances = 3;
	tu_assert_message(f, "[MT002] 'lo' overlays bytes 0-3 of integer 'v' in 'struct a'; its "
			     "value depends on byte order (3 elements overlap alike; the first is "
			     "named) (on x86_64-linux-gnu and s390x-linux-gnu)");
	/* target-dependent: the targets without the overlay are named */
	f->absent_targets = calloc(2, sizeof(*f->absent_targets));
	assert_non_null(f->absent_targets);
	f->nr_absent = 2;
	strcpy(f->absent_targets[0].triple, "i686-linux-gnu");
	f->absent_targets[1].endian = MTC_ENDIAN_BIG;
	tu_assert_message(f, "[MT002] 'lo' overlays bytes 0-3 of integer 'v' in 'struct a' on "
			     "x86_64-linux-gnu and s390x-linux-gnu only; i686-linux-gnu and big lay "
			     "these members out without the overlay (3 elements overlap alike; the "
			     "first is named)");
	char *named = mtc_finding_message(f, MTC_MESSAGE_RULE_NAME);

	assert_non_null(named);
	assert_memory_equal(named, "[MT002 mixed-width-scalars] 'lo'", 32);
	free(named);

	/* control characters, DEL, a backslash and invalid UTF-8 in names; valid UTF-8 kept */
	free(f->record);
	f->record = xstrdup("struct \x1b[2Jevil\nline\x7f\\\xff\xc3\xa9");
	free(f->narrow[0].path);
	f->narrow[0].path = xstrdup("l\ro");
	f->nr_absent = 0;
	f->multi_target = false;
	f->instances = 1;
	tu_assert_message(f, "[MT002] 'l\\x0do' overlays bytes 0-3 of integer 'v' in 'struct "
			     "\\x1b[2Jevil\\x0aline\\x7f\\\\\\xff\xc3\xa9'; its value depends on "
			     "byte order");
	tu_assert_note(f, "'v' reads 0x????????AAAAAAAA on little-endian and 0xAAAAAAAA???????? "
			  "on big-endian (AA = l\\x0do, ?? = bytes not written by these members)");
	mtc_finding_free(f);
}

static void test_json(void **state)
{
	struct fixture *fx = *state;
	char *text = report(fx->fs, fx->rs, MTC_FORMAT_JSON);
	json_object *root = parse(text);

	assert_int_equal(json_object_object_length(root), 3);
	assert_jint(root, "version", 1);
	assert_jstr(get(root, "tool"), "name", "mtcheck");
	assert_jstr(get(root, "tool"), "version", TOOL_VERSION);
	assert_jlen(root, "findings", 3);

	/* the design's example, field by field */
	json_object *f = at(get(root, "findings"), 2);

	assert_jstr(f, "rule", "MT001");
	assert_jstr(f, "name", "pointer-overlaid-by-narrow");
	assert_jstr(f, "severity", "warning");
	assert_jstr(f, "record", "struct maple_range_64");
	json_object *t = get(f, "target");

	assert_true(json_object_is_type(t, json_type_object));
	assert_jstr(t, "endian", "little");
	assert_jint(t, "pointer_bits", 64);
	assert_jstr(t, "triple", "x86_64-linux-gnu");

	json_object *w = get(f, "wide");

	assert_jstr(w, "path", "slot[15]");
	assert_jstr(w, "type", "void *");
	assert_jint(w, "offset", 248);
	assert_jint(w, "size", 8);
	assert_false(has(w, "bit_offset"));
	assert_false(has(w, "bit_size"));
	assert_false(has(w, "value_bits"));
	assert_jloc(w, "mt.c", 10, 11);

	assert_jlen(f, "narrow", 2);
	json_object *n0 = at(get(f, "narrow"), 0), *n1 = at(get(f, "narrow"), 1);

	assert_jstr(n0, "path", "meta.end");
	assert_jstr(n0, "type", "unsigned char");
	assert_jint(n0, "offset", 248);
	assert_jint(n0, "size", 1);
	assert_false(has(n0, "bit_offset"));
	assert_jrange(get(n0, "value_bits"), "little", 0, 7);
	assert_jrange(get(n0, "value_bits"), "big", 56, 63);
	assert_jloc(n0, "mt.c", 13, 29);
	assert_jstr(n1, "path", "meta.gap");
	assert_jint(n1, "offset", 249);
	assert_jrange(get(n1, "value_bits"), "little", 8, 15);
	assert_jrange(get(n1, "value_bits"), "big", 48, 55);

	assert_jstr(f, "little_endian", "0x????????????BBAA");
	assert_jstr(f, "big_endian", "0xAABB????????????");
	assert_jint(f, "instances", 1);
	assert_jloc(f, "mt.c", 13, 29);
	assert_jstr(f, "frontend", "test");
	assert_jstr(f, "input", "mt.o");
	assert_jstr(f, "message", MAPLE_MESSAGE);
	assert_jstr(f, "note", MAPLE_NOTE);
	assert_jstr(f, "confidence", "high");
	assert_jint(f, "rank", 99);
	assert_jstr(f, "fingerprint", "MT001:struct maple_range_64:slot[15]:meta.end,meta.gap");
	assert_jnull(f, "record_location");
	assert_jlen(f, "evidence", 2);
	json_object *e0 = at(get(f, "evidence"), 0), *e1 = at(get(f, "evidence"), 1);

	assert_int_equal(json_object_object_length(e0), 6);
	assert_jstr(e0, "kind", "mirrored-types");
	assert_jstr(e0, "member", "pad[0]");
	assert_jstr(e0, "mirrors", "slot[0]");
	assert_jint(e0, "count", 15);
	assert_jloc(e0, "mt.c", 12, 31);
	assert_jstr(e0, "text", "co-live: the 15 members before the overlay repeat the wide "
				"side's by type ('pad[0]' as 'slot[0]'), so both are live at once");
	assert_int_equal(json_object_object_length(e1), 2);
	assert_jstr(e1, "kind", "tail");
	assert_jstr(e1, "text", "the overlay is the last data of both members: stashed in the tail");
	assert_int_equal(json_object_object_length(f), 20);

	/* bitfield leaves carry their bits; no location is null */
	f = at(get(root, "findings"), 0);
	assert_jstr(f, "rule", "MT003");
	assert_jnull(f, "location");
	assert_jnull(get(f, "wide"), "location");
	assert_false(has(get(f, "wide"), "bit_offset"));
	assert_jlen(f, "narrow", 3);
	static const struct {
		const char *path;
		int offset, bit_offset, bit_size, le_lo, le_hi, be_lo, be_hi;
	} bf[] = {
		{ "f.type", 0, 0, 4, 0, 3, 28, 31 },
		{ "f.len", 0, 4, 12, 4, 15, 16, 27 },
		{ "f.id", 2, 16, 16, 16, 31, 0, 15 },
	};

	for (size_t i = 0; i < 3; i++) {
		json_object *n = at(get(f, "narrow"), i);

		assert_jstr(n, "path", bf[i].path);
		assert_jstr(n, "type", "uint32_t");
		assert_jint(n, "offset", bf[i].offset);
		assert_jint(n, "size", 4);
		assert_jint(n, "bit_offset", bf[i].bit_offset);
		assert_jint(n, "bit_size", bf[i].bit_size);
		assert_jrange(get(n, "value_bits"), "little", bf[i].le_lo, bf[i].le_hi);
		assert_jrange(get(n, "value_bits"), "big", bf[i].be_lo, bf[i].be_hi);
		assert_jnull(n, "location");
	}
	assert_jstr(f, "little_endian", "0bCCCCCCCCCCCCCCCCBBBBBBBBBBBBAAAA");
	assert_jstr(f, "message", BF_MESSAGE);

	f = at(get(root, "findings"), 1);
	assert_jstr(f, "rule", "MT004");
	assert_jstr(f, "name", "byte-view");
	assert_jstr(f, "severity", "note");
	assert_jstr(f, "note", BV_NOTE);

	json_object_put(root);
	free(text);
}

static void test_json_edge_cases(void **state)
{
	(void)state;
	struct mtc_findings *fs = mtc_findings_new();
	char *text = report(fs, NULL, MTC_FORMAT_JSON);
	json_object *root = parse(text);

	/* no findings: an empty list, still versioned */
	assert_jint(root, "version", 1);
	assert_jlen(root, "findings", 0);
	json_object_put(root);
	free(text);

	/*
	 * Two layouts: target is a list, an unknown triple is null, so is an
	 * unknown column; strings are escaped and slashes left alone.
	 */
	assert_int_equal(mtc_findings_add(fs, hand_finding("struct \"q\\\" \xc3\xa9", "src/a.c",
							   7, 0, MTC_SEV_ERROR, 2)),
			 1);
	text = report(fs, NULL, MTC_FORMAT_JSON);
	assert_non_null(strstr(text, "\"src/a.c\""));
	root = parse(text);
	json_object *f = at(get(root, "findings"), 0);

	assert_jstr(f, "record", "struct \"q\\\" \xc3\xa9");
	assert_jstr(f, "severity", "error");
	assert_jlen(f, "target", 2);
	assert_jstr(at(get(f, "target"), 0), "endian", "little");
	assert_jstr(at(get(f, "target"), 0), "triple", "x86_64-linux-gnu");
	assert_jstr(at(get(f, "target"), 1), "endian", "big");
	assert_jint(at(get(f, "target"), 1), "pointer_bits", 32);
	assert_jnull(at(get(f, "target"), 1), "triple");
	assert_jstr(get(f, "location"), "file", "src/a.c");
	assert_jint(get(f, "location"), "line", 7);
	assert_jnull(get(f, "location"), "column");
	assert_jint(get(get(f, "wide"), "location"), "line", 6);
	assert_jstr(f, "frontend", "clang");
	assert_jstr(f, "input", "x.c");
	json_object_put(root);
	free(text);
	mtc_findings_free(fs);
}

static void test_sarif(void **state)
{
	struct fixture *fx = *state;
	char *text = report(fx->fs, fx->rs, MTC_FORMAT_SARIF);
	json_object *root = parse(text);

	assert_jstr(root, "version", "2.1.0");
	assert_jstr(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	assert_jlen(root, "runs", 1);
	json_object *run = at(get(root, "runs"), 0);
	json_object *driver = get(get(run, "tool"), "driver");

	assert_jstr(driver, "name", "mtcheck");
	assert_jstr(driver, "version", TOOL_VERSION);
	assert_jstr(driver, "semanticVersion", TOOL_VERSION);

	/* every loaded rule, in precedence order, with its help */
	assert_jlen(driver, "rules", mtc_ruleset_count(fx->rs));
	for (size_t i = 0; i < mtc_ruleset_count(fx->rs); i++) {
		const struct mtc_rule *r = mtc_ruleset_at(fx->rs, i);
		json_object *o = at(get(driver, "rules"), i);
		char *help = tu_printf("%s\n\n%s\nExample:\n%s\nFixed:\n%s\nFix: %s", r->summary,
				       r->explanation, r->bad_example, r->good_example, r->fix);
		char *bad = tu_printf("```c\n%s```", r->bad_example);

		assert_jstr(o, "id", r->id);
		assert_jstr(o, "name", r->name);
		assert_jstr(get(o, "shortDescription"), "text", r->summary);
		assert_jstr(get(o, "fullDescription"), "text", r->explanation);
		assert_jstr(get(o, "help"), "text", help);
		assert_non_null(strstr(json_object_get_string(get(get(o, "help"), "markdown")),
				       bad));
		assert_jstr(get(o, "defaultConfiguration"), "level",
			    r->severity == MTC_SEV_NOTE ? "note" : "warning");
		free(help);
		free(bad);
	}
	size_t mt004 = tu_rule_index(fx->rs, "MT004");

	assert_jstr(at(get(driver, "rules"), mt004), "id", "MT004");
	assert_jstr(get(at(get(driver, "rules"), mt004), "defaultConfiguration"), "level",
		    "note");

	assert_jlen(run, "results", 3);
	static const struct {
		const char *id, *level;
	} want[] = { { "MT003", "warning" }, { "MT004", "note" }, { "MT001", "warning" } };

	for (size_t i = 0; i < 3; i++) {
		json_object *r = at(get(run, "results"), i);
		const struct mtc_finding *f = mtc_findings_at(fx->fs, i);
		char *m = mtc_finding_message(f, 0), *n = mtc_finding_note(f);
		char *msg = tu_printf("%s. %s.", m, n);

		free(m);
		free(n);

		size_t index = tu_rule_index(fx->rs, want[i].id);

		assert_jstr(r, "ruleId", want[i].id);
		assert_jint(r, "ruleIndex", (int64_t)index);
		assert_jstr(at(get(driver, "rules"), index), "id", want[i].id);
		assert_jstr(r, "level", want[i].level);
		assert_jstr(get(r, "message"), "text", msg);
		assert_jlen(r, "locations", 1);
		assert_jlen(r, "relatedLocations", 1);
		free(msg);
	}

	/* the maple finding: where it is, what it relates to, how it is tracked */
	json_object *r = at(get(run, "results"), 2);
	json_object *loc = at(get(r, "locations"), 0);
	json_object *pl = get(loc, "physicalLocation");

	assert_jstr(get(pl, "artifactLocation"), "uri", "mt.c");
	assert_jstr(get(pl, "artifactLocation"), "uriBaseId", "%SRCROOT%");
	assert_jint(get(pl, "region"), "startLine", 13);
	assert_jint(get(pl, "region"), "startColumn", 29);
	assert_jlen(loc, "logicalLocations", 1);
	assert_jstr(at(get(loc, "logicalLocations"), 0), "fullyQualifiedName",
		    "struct maple_range_64.meta.end");
	assert_jstr(at(get(loc, "logicalLocations"), 0), "kind", "member");

	json_object *rel = at(get(r, "relatedLocations"), 0);

	assert_jint(rel, "id", 1);
	assert_jstr(get(rel, "message"), "text", MAPLE_NOTE);
	pl = get(rel, "physicalLocation");
	assert_jstr(get(pl, "artifactLocation"), "uri", "mt.c");
	assert_jint(get(pl, "region"), "startLine", 10);
	assert_jint(get(pl, "region"), "startColumn", 11);
	assert_jstr(at(get(rel, "logicalLocations"), 0), "fullyQualifiedName",
		    "struct maple_range_64.slot[15]");
	assert_jstr(get(r, "partialFingerprints"), "mtcheckOverlay/v1",
		    "MT001:struct maple_range_64:slot[15]:meta.end,meta.gap");
	assert_true(json_object_get_double(get(r, "rank")) == 99.0);
	assert_jstr(get(r, "properties"), "confidence", "high");
	assert_jlen(get(r, "properties"), "evidence", 2);
	assert_jstr(at(get(get(r, "properties"), "evidence"), 0), "kind", "mirrored-types");

	/* no source location: the input file, without a region */
	r = at(get(run, "results"), 0);
	pl = get(at(get(r, "locations"), 0), "physicalLocation");
	assert_jstr(get(pl, "artifactLocation"), "uri", "mt.o");
	assert_false(has(pl, "region"));
	assert_jstr(get(r, "partialFingerprints"), "mtcheckOverlay/v1",
		    "MT003:union bf:word:f.type,f.len,f.id");
	json_object_put(root);
	free(text);
}

static void test_sarif_uris(void **state)
{
	struct fixture *fx = *state;
	struct mtc_findings *fs = mtc_findings_new();

	/* absolute paths become file URIs, with reserved characters escaped */
	assert_int_equal(mtc_findings_add(fs, hand_finding("struct a", "/src/my dir/a#1.c", 7, 0,
							   MTC_SEV_ERROR, 1)),
			 1);
	char *text = report(fs, fx->rs, MTC_FORMAT_SARIF);
	json_object *root = parse(text);
	json_object *r = at(get(at(get(root, "runs"), 0), "results"), 0);
	json_object *pl = get(at(get(r, "locations"), 0), "physicalLocation");

	assert_jstr(r, "level", "error");
	assert_jstr(r, "ruleId", "MT002");
	assert_jint(r, "ruleIndex", (int64_t)tu_rule_index(fx->rs, "MT002"));
	assert_jstr(get(pl, "artifactLocation"), "uri", "file:///src/my%20dir/a%231.c");
	assert_false(has(get(pl, "artifactLocation"), "uriBaseId"));
	assert_jint(get(pl, "region"), "startLine", 7);
	assert_false(has(get(pl, "region"), "startColumn"));
	json_object_put(root);
	free(text);

	/* without rules, the driver lists none and results carry no index */
	text = report(fs, NULL, MTC_FORMAT_SARIF);
	root = parse(text);
	json_object *run = at(get(root, "runs"), 0);

	assert_jlen(get(get(run, "tool"), "driver"), "rules", 0);
	assert_false(has(at(get(run, "results"), 0), "ruleIndex"));
	json_object_put(root);
	free(text);
	mtc_findings_free(fs);
}

static void test_write_errors_and_names(void **state)
{
	struct fixture *fx = *state;
	FILE *full = fopen("/dev/full", "w");
	struct mtc_report_conf conf = { .format = MTC_FORMAT_TEXT, .rules = fx->rs,
					.tool_version = TOOL_VERSION };
	enum mtc_format fmt = MTC_FORMAT_TEXT;
	enum mtc_severity s = MTC_SEV_NONE;

	/* a full disk is an error, not a silent short report */
	assert_non_null(full);
	assert_int_equal(mtc_report_write(full, fx->fs, &conf), -EIO);
	fclose(full);
	full = fopen("/dev/full", "w");
	assert_non_null(full);
	conf.format = MTC_FORMAT_JSON;
	assert_int_equal(mtc_report_write(full, fx->fs, &conf), -EIO);
	fclose(full);

	assert_int_equal(mtc_format_parse("text", &fmt), 0);
	assert_int_equal(fmt, MTC_FORMAT_TEXT);
	assert_int_equal(mtc_format_parse("json", &fmt), 0);
	assert_int_equal(fmt, MTC_FORMAT_JSON);
	assert_int_equal(mtc_format_parse("sarif", &fmt), 0);
	assert_int_equal(fmt, MTC_FORMAT_SARIF);
	assert_int_equal(mtc_format_parse("codeclimate", &fmt), 0);
	assert_int_equal(fmt, MTC_FORMAT_CODECLIMATE);
	assert_int_equal(mtc_format_parse("xml", &fmt), -EINVAL);
	assert_int_equal(mtc_format_parse("JSON", &fmt), -EINVAL);
	assert_int_equal(fmt, MTC_FORMAT_CODECLIMATE);
	full = fopen("/dev/full", "w");
	assert_non_null(full);
	conf.format = MTC_FORMAT_CODECLIMATE;
	assert_int_equal(mtc_report_write(full, fx->fs, &conf), -EIO);
	fclose(full);

	enum mtc_baseline_state bs = MTC_BASELINE_NONE;

	assert_string_equal(mtc_baseline_state_name(MTC_BASELINE_NONE), "none");
	assert_string_equal(mtc_baseline_state_name(MTC_BASELINE_NEW), "new");
	assert_string_equal(mtc_baseline_state_name(MTC_BASELINE_UNCHANGED), "unchanged");
	assert_string_equal(mtc_baseline_state_name(MTC_BASELINE_ABSENT), "absent");
	assert_int_equal(mtc_baseline_state_parse("absent", &bs), 0);
	assert_int_equal(bs, MTC_BASELINE_ABSENT);
	assert_int_equal(mtc_baseline_state_parse("none", &bs), -EINVAL);
	assert_int_equal(mtc_baseline_state_parse("updated", &bs), -EINVAL);
	assert_int_equal(bs, MTC_BASELINE_ABSENT);
	assert_string_equal(mtc_version(), MTCHECK_TEST_VERSION);

	assert_string_equal(mtc_severity_name(MTC_SEV_NONE), "none");
	assert_string_equal(mtc_severity_name(MTC_SEV_NOTE), "note");
	assert_string_equal(mtc_severity_name(MTC_SEV_WARNING), "warning");
	assert_string_equal(mtc_severity_name(MTC_SEV_ERROR), "error");
	assert_int_equal(mtc_severity_parse("error", false, &s), 0);
	assert_int_equal(s, MTC_SEV_ERROR);
	assert_int_equal(mtc_severity_parse("note", true, &s), 0);
	assert_int_equal(s, MTC_SEV_NOTE);
	assert_int_equal(mtc_severity_parse("off", false, &s), -EINVAL);
	assert_int_equal(mtc_severity_parse("none", false, &s), -EINVAL);
	assert_int_equal(s, MTC_SEV_NOTE);
	assert_int_equal(mtc_severity_parse("off", true, &s), 0);
	assert_int_equal(s, MTC_SEV_NONE);
	assert_int_equal(mtc_severity_parse("Warning", true, &s), -EINVAL);

	/* an empty list has no severity */
	struct mtc_findings *fs = mtc_findings_new();

	assert_int_equal(mtc_findings_max_severity(fs), MTC_SEV_NONE);
	assert_int_equal(mtc_findings_count(fs), 0);
	assert_null(mtc_findings_at(fs, 0));
	mtc_findings_free(fs);
	mtc_findings_free(NULL);
}

/* ---- reading reports back -------------------------------------------- */

/* Read the report file @path into a fresh list; the return value in *@ret. */
static struct mtc_findings *read_file(const char *path, struct mtc_read_conf *conf, int *ret,
				      struct mtc_error *err)
{
	struct mtc_findings *fs = mtc_findings_new();

	assert_non_null(fs);
	mtc_error_clear(err);
	*ret = mtc_report_read(path, fs, conf, err);
	return fs;
}

/* Written, read back and written again: the same bytes, from JSON, one-line JSON and SARIF. */
static void test_read_round_trip(void **state)
{
	struct fixture *fx = *state;
	char *dir = tu_mkdtemp();
	char *json = report(fx->fs, fx->rs, MTC_FORMAT_JSON);
	char *sarif = report(fx->fs, fx->rs, MTC_FORMAT_SARIF);
	struct mtc_report_conf line = { .format = MTC_FORMAT_JSON, .tool_version = TOOL_VERSION,
					.one_line = true };
	char *one = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&one, &len);

	assert_int_equal(mtc_report_write(mem, fx->fs, &line), 0);
	fclose(mem);
	/* one line, ending in a newline, the same JSON */
	assert_ptr_equal(strchr(one, '\n'), one + len - 1);
	json_object *a = parse(json), *b = parse(one);

	assert_true(json_object_equal(a, b));
	json_object_put(a);
	json_object_put(b);

	char *twice = tu_printf("%s%s", one, one);
	const char *texts[] = { json, sarif, one, twice };
	const char *names[] = { "r.json", "r.sarif", "r.jsonl", "twice.jsonl" };

	for (int i = 0; i < 4; i++) {
		char *path = tu_write(dir, names[i], texts[i]);
		struct mtc_read_conf rc = { 0 };
		struct mtc_error err;
		int ret;
		struct mtc_findings *fs = read_file(path, &rc, &ret, &err);

		/* three findings; the second copy in twice.jsonl adds none */
		assert_int_equal(ret, 3);
		assert_int_equal(mtc_findings_count(fs), 3);
		assert_false(rc.multi_target);
		mtc_findings_sort(fs);
		char *again = report(fs, fx->rs, MTC_FORMAT_JSON);

		assert_string_equal(again, json);
		/* facts the JSON does not carry follow from what it does */
		const struct mtc_finding *bf = mtc_findings_at(fs, 0);

		assert_string_equal(bf->record, "union bf");
		assert_true(bf->narrow_bitfield);
		assert_false(bf->partial);
		tu_assert_bits(&bf->narrow[1], 4, 16, 16, 28);
		assert_true(mtc_findings_at(fs, 2)->partial);
		free(again);
		free(path);
		mtc_findings_free(fs);
	}
	/* skip_input leaves one input's findings out */
	char *path = tu_write(dir, "skip.json", json);
	struct mtc_read_conf rc = { .skip_input = mtc_findings_at(fx->fs, 0)->input };
	struct mtc_error err;
	int ret;
	struct mtc_findings *fs = read_file(path, &rc, &ret, &err);

	assert_int_equal(ret, 0);
	assert_int_equal(mtc_findings_count(fs), 0);
	mtc_findings_free(fs);
	free(path);
	free(twice);
	free(one);
	free(json);
	free(sarif);
	tu_rmtree(dir);
	free(dir);
}

/* The fixture's JSON report with one change made by @edit to finding @i. */
static char *edited(struct fixture *fx, size_t i, void (*edit)(json_object *f))
{
	char *text = report(fx->fs, fx->rs, MTC_FORMAT_JSON);
	json_object *root = parse(text);

	edit(at(get(root, "findings"), i));
	char *out = strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));

	json_object_put(root);
	free(text);
	return out;
}

static void nul_in_record(json_object *f)
{
	json_object_object_add(f, "record", json_object_new_string_len("union\0bf", 8));
}

static void nul_in_narrow_path(json_object *f)
{
	json_object_object_add(at(get(f, "narrow"), 1), "path",
			       json_object_new_string_len("f.len\0x", 7));
}

static void record_a_number(json_object *f)
{
	json_object_object_add(f, "record", json_object_new_int(5));
}

static void no_wide_type(json_object *f)
{
	json_object_object_del(get(f, "wide"), "type");
}

static void middle_endian(json_object *f)
{
	json_object_object_add(get(f, "target"), "endian", json_object_new_string("middle"));
}

static void bits_backwards(json_object *f)
{
	json_object *a = json_object_new_array();

	json_object_array_add(a, json_object_new_int(5));
	json_object_array_add(a, json_object_new_int(2));
	json_object_object_add(get(at(get(f, "narrow"), 0), "value_bits"), "big", a);
}

static void loud(json_object *f)
{
	json_object_object_add(f, "severity", json_object_new_string("loud"));
}

static void negative_instances(json_object *f)
{
	json_object_object_add(f, "instances", json_object_new_int(-1));
}

static void no_narrow(json_object *f)
{
	json_object_object_add(f, "narrow", json_object_new_array());
}

static void not_an_object(json_object *f)
{
	json_object_object_add(f, "wide", json_object_new_array());
}

/* Every bad finding is refused with the file, the finding and the key. */
static void test_read_bad_findings(void **state)
{
	static const struct {
		size_t finding;
		void (*edit)(json_object *f);
		const char *message;	/* after "PATH: " */
	} cases[] = {
		{ 1, nul_in_record, "finding 2: 'record' contains a NUL character (\\u0000)" },
		{ 0, nul_in_narrow_path,
		  "finding 1: 'narrow[1].path' contains a NUL character (\\u0000)" },
		{ 2, record_a_number, "finding 3: 'record' is not a string" },
		{ 0, no_wide_type, "finding 1: 'wide.type' is missing" },
		{ 1, middle_endian, "finding 2: 'target.endian' is not \"little\" or \"big\"" },
		{ 0, bits_backwards,
		  "finding 1: 'narrow[0].value_bits.big' is not [lo, hi] with 0 <= lo <= hi" },
		{ 2, loud, "finding 3: 'severity' is not \"note\", \"warning\" or \"error\"" },
		{ 0, negative_instances, "finding 1: 'instances' is negative" },
		{ 1, no_narrow, "finding 2: 'narrow' is empty" },
		{ 2, not_an_object, "finding 3: 'wide' is not an object" },
	};
	struct fixture *fx = *state;
	char *dir = tu_mkdtemp();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = edited(fx, cases[i].finding, cases[i].edit);
		char *path = tu_write(dir, "bad.json", text);
		char *want = tu_printf("%s: %s", path, cases[i].message);
		struct mtc_error err;
		int ret;
		struct mtc_findings *fs = read_file(path, NULL, &ret, &err);

		assert_int_equal(ret, -EINVAL);
		assert_int_equal(err.code, -EINVAL);
		assert_string_equal(err.message, want);
		mtc_findings_free(fs);
		free(want);
		free(path);
		free(text);
	}
	tu_rmtree(dir);
	free(dir);
}

/* Files that are not reports: one message each, naming the file. */
static void test_read_bad_files(void **state)
{
	struct fixture *fx = *state;
	char *dir = tu_mkdtemp();
	char *json = report(fx->fs, fx->rs, MTC_FORMAT_JSON);
	/* cut inside the first finding, between two of its members */
	size_t cut_at = (size_t)(strstr(json, "\"target\"") - json);
	char *cut = strndup(json, cut_at);
	char *cut_msg = tu_printf("not valid JSON: it ends early at byte %zu", cut_at);
	char *sarif = report(fx->fs, fx->rs, MTC_FORMAT_SARIF);
	char *sarif2 = tu_printf("%s{}\n", sarif);
	static const char other_tool[] =
		"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"lint\"}},"
		" \"results\": []}]}";
	static const char foreign_result[] =
		"{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"ruleId\": \"X\","
		" \"message\": {\"text\": \"x\"}}]}]}";
	const struct {
		const char *name, *text, *message;
		int code;
	} cases[] = {
		{ "empty.json", "", "empty file, not a report", -EINVAL },
		{ "blank.json", " \n\t", "empty file, not a report", -EINVAL },
		{ "v2.json", "{\"version\": 2, \"findings\": []}",
		  "report version 2; this mtcheck reads JSON version 1 and SARIF 2.1.0", -EINVAL },
		{ "nofindings.json", "{\"version\": 1}", "the report has no findings array", -EINVAL },
		{ "other.json", "{\"results\": []}",
		  "not an mtcheck report (JSON version 1 or mtcheck's SARIF)", -EINVAL },
		{ "list.json", "[1, 2]", "not valid JSON: not an object at byte 0", -EINVAL },
		{ "c.json", "int main(void) { return 0; }\n",
		  "not valid JSON: not an object at byte 0", -EINVAL },
		{ "cut.json", cut, cut_msg, -EINVAL },
		{ "cutstr.json", "{\"version\": 1, \"findings\": [{\"rule",
		  "not valid JSON: it ends inside a string at byte 34", -EINVAL },
		{ "bracket.json", "{\"version\": 1, \"findings\": [}]}",
		  "not valid JSON: unexpected bracket at byte 28", -EINVAL },
		{ "after.sarif", sarif2, NULL, -EINVAL },
		{ "lint.sarif", other_tool, "SARIF from 'lint', not from mtcheck", -EINVAL },
		{ "foreign.sarif", foreign_result,
		  "finding 1: a SARIF result without mtcheck's finding in its properties "
		  "(SARIF from another tool, or from an older mtcheck)", -EINVAL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = tu_write(dir, cases[i].name, cases[i].text);
		char *want = cases[i].message
			? tu_printf("%s: %s", path, cases[i].message)
			: tu_printf("%s: not valid JSON: data after the report at byte %zu", path,
				    strlen(sarif));
		struct mtc_error err;
		int ret;
		struct mtc_findings *fs = read_file(path, NULL, &ret, &err);

		assert_int_equal(ret, cases[i].code);
		assert_string_equal(err.message, want);
		mtc_findings_free(fs);
		free(want);
		free(path);
	}
	/* a blank file is an empty report when the caller says so (the plugin's new file) */
	char *path = tu_write(dir, "blank2.json", "\n");
	struct mtc_read_conf rc = { .empty_ok = true };
	struct mtc_error err;
	int ret;
	struct mtc_findings *fs = read_file(path, &rc, &ret, &err);

	assert_int_equal(ret, 0);
	mtc_findings_free(fs);
	free(path);

	/* a FIFO is refused before it is read (which would block), and so is a directory */
	path = tu_printf("%s/fifo.json", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	const char *refused[] = { path, dir };

	for (int i = 0; i < 2; i++) {
		char *want = tu_printf("%s: not a regular file%s", refused[i], i ? "" : " (a FIFO)");

		fs = read_file(refused[i], NULL, &ret, &err);
		assert_int_equal(ret, i ? -EISDIR : -EINVAL);
		assert_string_equal(err.message, want);
		mtc_findings_free(fs);
		free(want);
	}
	free(path);
	path = tu_printf("%s/missing.json", dir);
	char *want = tu_printf("%s: No such file or directory", path);

	fs = read_file(path, NULL, &ret, &err);
	assert_int_equal(ret, -ENOENT);
	assert_string_equal(err.message, want);
	mtc_findings_free(fs);
	free(want);
	free(path);
	free(cut);
	free(cut_msg);
	free(json);
	free(sarif);
	free(sarif2);
	tu_rmtree(dir);
	free(dir);
}

/* mtc_report_merge(): many reports, each finding once, sorted; the first bad one stops it. */
static void test_merge(void **state)
{
	struct fixture *fx = *state;
	char *dir = tu_mkdtemp();
	char *json = report(fx->fs, fx->rs, MTC_FORMAT_JSON);
	char *sarif = report(fx->fs, fx->rs, MTC_FORMAT_SARIF);
	char *a = tu_write(dir, "a.json", json), *b = tu_write(dir, "b.sarif", sarif);
	char *bad = tu_write(dir, "bad.json", "{}");
	const char *paths[] = { b, a, bad };
	struct mtc_findings *fs = mtc_findings_new();
	struct mtc_error err = { 0 };

	assert_int_equal(mtc_report_merge(paths, 2, fs, NULL, &err), 3);
	char *merged = report(fs, fx->rs, MTC_FORMAT_JSON);

	assert_string_equal(merged, json);
	mtc_findings_free(fs);
	fs = mtc_findings_new();
	char *want = tu_printf("%s: not an mtcheck report (JSON version 1 or mtcheck's SARIF)", bad);

	assert_int_equal(mtc_report_merge(paths, 3, fs, NULL, &err), -EINVAL);
	assert_string_equal(err.message, want);
	mtc_findings_free(fs);
	free(want);
	free(merged);
	free(a);
	free(b);
	free(bad);
	free(json);
	free(sarif);
	tu_rmtree(dir);
	free(dir);
}

/* A copy of the fixture's first finding, declared in @file. */
static struct mtc_finding *declared_in(struct fixture *fx, const char *file)
{
	struct mtc_finding *f = mtc_finding_dup(mtc_findings_at(fx->fs, 0));

	assert_non_null(f);
	free((char *)f->loc.file);
	f->loc.file = file ? strdup(file) : NULL;
	f->loc.line = 3;
	return f;
}

/* The declaring file is part of a finding's identity. */
static void test_identity_has_the_file(void **state)
{
	struct fixture *fx = *state;
	struct mtc_findings *fs = mtc_findings_new();

	/* two headers, each with its own union bf: two findings */
	assert_int_equal(mtc_findings_add(fs, declared_in(fx, "a.h")), 1);
	assert_int_equal(mtc_findings_add(fs, declared_in(fx, "b.h")), 1);
	/* the same header seen again (another object): a repeat */
	assert_int_equal(mtc_findings_add(fs, declared_in(fx, "a.h")), 0);
	/* without a position (raw BTF) it is one with those */
	assert_int_equal(mtc_findings_add(fs, declared_in(fx, NULL)), 0);
	assert_int_equal(mtc_findings_count(fs), 2);
	mtc_findings_sort(fs);
	assert_string_equal(mtc_findings_at(fs, 0)->loc.file, "a.h");
	assert_string_equal(mtc_findings_at(fs, 1)->loc.file, "b.h");
	mtc_findings_free(fs);

	/* and either way round: first without a position, then with one, which is kept */
	fs = mtc_findings_new();
	assert_int_equal(mtc_findings_add(fs, declared_in(fx, NULL)), 1);
	assert_int_equal(mtc_findings_add(fs, declared_in(fx, "a.h")), 0);
	assert_int_equal(mtc_findings_add(fs, declared_in(fx, NULL)), 0);
	assert_int_equal(mtc_findings_count(fs), 1);
	assert_string_equal(mtc_findings_at(fs, 0)->loc.file, "a.h");
	mtc_findings_free(fs);

	/* repeats from several inputs keep the first input by name, whatever the order */
	for (int order = 0; order < 2; order++) {
		const char *inputs[2] = { order ? "unit0.o" : "unit2.o", order ? "unit2.o" : "unit0.o" };

		fs = mtc_findings_new();
		for (int i = 0; i < 2; i++) {
			struct mtc_finding *f = declared_in(fx, "a.h");

			free(f->input);
			f->input = xstrdup(inputs[i]);
			assert_int_equal(mtc_findings_add(fs, f), i == 0);
		}
		assert_string_equal(mtc_findings_at(fs, 0)->input, "unit0.o");
		mtc_findings_free(fs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_order),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_locations_and_severity),
		cmocka_unit_test(test_render_from_facts),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_edge_cases),
		cmocka_unit_test(test_sarif),
		cmocka_unit_test(test_sarif_uris),
		cmocka_unit_test(test_write_errors_and_names),
		cmocka_unit_test(test_read_round_trip),
		cmocka_unit_test(test_read_bad_findings),
		cmocka_unit_test(test_read_bad_files),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_identity_has_the_file),
	};

	return cmocka_run_group_tests_name("report", tests, setup, teardown);
}

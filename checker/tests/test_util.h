/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the unit tests: hand-built layout models, the shipped
 * rules, and scratch directories for the YAML loaders.  Everything here
 * aborts through cmocka on failure, so a test never continues with a
 * half-built fixture.
 */
#ifndef MTCHECK_TEST_UTIL_H
#define MTCHECK_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "mtcheck/analysis.h"
#include "mtcheck/config.h"
#include "mtcheck/error.h"
#include "mtcheck/finding.h"
#include "mtcheck/model.h"
#include "mtcheck/report.h"
#include "mtcheck/rules.h"

#ifndef MTCHECK_TEST_RULES_DIR
#error "MTCHECK_TEST_RULES_DIR must name the source tree's rules/ directory"
#endif

/* The targets the tests lay models out for. */
extern const struct mtc_target t_le64;	/* x86_64-linux-gnu */
extern const struct mtc_target t_be64;	/* s390x-linux-gnu */
extern const struct mtc_target t_le32;	/* i686-linux-gnu */
extern const struct mtc_target t_be32;	/* mips-linux-gnu */

/* A model for @t whose input is "mt.o" and front end "test". */
struct mtc_model *tu_model(const struct mtc_target *t);

/* Scalars; the name is the spelling a report shows. */
struct mtc_type *tu_int(struct mtc_model *m, const char *name, uint64_t size, bool is_signed);
struct mtc_type *tu_ptr(struct mtc_model *m, const char *name);	/* pointer_bits wide */
struct mtc_type *tu_array(struct mtc_model *m, struct mtc_type *el, uint64_t count);
struct mtc_type *tu_record(struct mtc_model *m, enum mtc_kind kind, const char *name,
			   uint64_t size, uint32_t align);
struct mtc_member *tu_member(struct mtc_model *m, struct mtc_type *rec, const char *name,
			     struct mtc_type *type, uint64_t offset);
/* A bitfield given in allocation order, converted for the model's byte order. */
struct mtc_member *tu_bitfield(struct mtc_model *m, struct mtc_type *rec, const char *name,
			       struct mtc_type *type, uint64_t alloc_bit_offset,
			       uint32_t bit_size);
void tu_set_loc(struct mtc_member *mb, const char *file, unsigned line, unsigned column);

/*
 * The Linux maple tree's range node for @t: a parent pointer, nslots - 1
 * unsigned long pivots, and a union of void *slot[nslots] with an anonymous
 * struct { void *pad[nslots - 1]; struct maple_metadata meta; }.  nslots is
 * 16 for 64-bit pointers and 32 for 32-bit ones, so the node is 256 bytes.
 * 'meta' is declared at mt.c:13:29 (front-end handle 13029) and 'slot' at
 * mt.c:10:11 (handle 10011).  The members are returned so tests can mark
 * them.
 */
struct maple_fixture {
	struct mtc_model *m;
	struct mtc_type *node, *un, *anon, *meta_type;
	struct mtc_member *slot, *meta;
	unsigned nslots;
};
void tu_maple(struct maple_fixture *fx, const struct mtc_target *t);

/* union u64_halves { uint64_t v; struct { uint32_t lo, hi; } s; } */
struct mtc_type *tu_u64_halves(struct mtc_model *m, const char *name);

/*
 * The shipped rules (rules/ of the source tree), as the CLI loads them.
 * MT001..MT004 are always there; the multi-target rule MT010 of the design
 * is there when its file is, and tu_have_mt010() says so.
 */
struct mtc_ruleset *tu_rules(void);
bool tu_have_mt010(void);
/* The ids of @rs in precedence order, comma-separated (malloc'd). */
char *tu_rule_ids(const struct mtc_ruleset *rs);
/* Position of rule @id in @rs; fails the test when it is not there. */
size_t tu_rule_index(const struct mtc_ruleset *rs, const char *id);

/*
 * Analyse @m with @rs (and @cfg, @only_type when not NULL) into a new,
 * sorted findings list; asserts that the analysis returns @expect_added.
 */
struct mtc_findings *tu_analyze(const struct mtc_model *m, const struct mtc_ruleset *rs,
				const struct mtc_config *cfg, const char *only_type,
				int expect_added);

/* Assert that a leaf has this path, type, byte offset and byte size. */
void tu_assert_leaf(const struct mtc_leaf *l, const char *path, const char *type,
		    uint64_t offset, uint64_t size);
/* Assert the value bits [lo, hi) of a narrow leaf on either byte order. */
void tu_assert_bits(const struct mtc_leaf *l, uint32_t le_lo, uint32_t le_hi,
		    uint32_t be_lo, uint32_t be_hi);

/* A fresh scratch directory (malloc'd path); tu_rmtree removes it and all below. */
char *tu_mkdtemp(void);
void tu_rmtree(const char *dir);
/* Write @text to @dir/@name (creating it); returns the malloc'd path. */
char *tu_write(const char *dir, const char *name, const char *text);
/* printf into a malloc'd string. */
char *tu_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The rendered message and note of @f equal @want. */
void tu_assert_message(const struct mtc_finding *f, const char *want);
void tu_assert_note(const struct mtc_finding *f, const char *want);

#endif

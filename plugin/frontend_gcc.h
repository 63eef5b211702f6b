// SPDX-License-Identifier: MIT
/*
 * The GCC front end: records as GCC laid them out, copied into the layout
 * model.  Like frontend_btf.c it fills a model and knows nothing of rules,
 * findings or reports; mtcheck_plugin.cc decides when to call it.
 */
#ifndef MTCHECK_FRONTEND_GCC_H
#define MTCHECK_FRONTEND_GCC_H

#include "gcc-compat.h"
#include "mtcheck/error.h"
#include "mtcheck/model.h"

/* TYPE_UID + 1 as a hash key: 0 is the empty slot, UINT_MAX the deleted one. */
typedef int_hash<unsigned int, 0, UINT_MAX> mtc_uid_hash;

static inline unsigned int mtc_uid_key(const_tree type)
{
	return TYPE_UID(type) + 1;
}

/* The in-source marker's attribute (mtcheck.h's MTCHECK_ALLOW). */
#define MTC_GCC_ALLOW_ATTRIBUTE "mtcheck_allow"

/*
 * Names of anonymous records given by typedefs (typedef struct {...} foo_t),
 * the first typedef winning as in the BTF front end.  Tags need no table.
 */
struct mtc_gcc_names;

struct mtc_gcc_names *mtc_gcc_names_new(void);
void mtc_gcc_names_free(struct mtc_gcc_names *names);
/* Name anonymous record @type by typedef @name; false when it already has a name. */
bool mtc_gcc_names_add_typedef(struct mtc_gcc_names *names, tree type, const char *name);
/*
 * The name reports use for record @type: "struct foo", "union foo" or the
 * typedef's name, written to @buf (which is returned), or NULL when it is
 * anonymous.
 */
#define MTC_GCC_NAME_MAX (MTC_SPELL_MAX_LEN + 1)
const char *mtc_gcc_record_name(const struct mtc_gcc_names *names, const_tree type,
				char buf[MTC_GCC_NAME_MAX]);

/* The target GCC compiles for. */
void mtc_gcc_target(struct mtc_target *target);

/* True for a complete struct or union. */
bool mtc_gcc_is_complete_record(const_tree type);

/*
 * True when complete record @type is a union or holds one through anonymous
 * members: only such a record has overlays that are reported under its
 * name (named records inside it are reported under their own names).
 */
bool mtc_gcc_has_union(const struct mtc_gcc_names *names, const_tree type);

/*
 * True when complete record @type holds a named union by value, directly
 * or through anonymous members and arrays: a member beside it may be the
 * tag that selects the union's alternative.
 */
bool mtc_gcc_holds_named_union(const struct mtc_gcc_names *names, const_tree type);

struct mtc_gcc_conf {
	const struct mtc_target *target;
	const char *input;		/* the translation unit's main file */
	const char *cwd;		/* absolute file names below it are made relative */
	const struct mtc_gcc_names *names;
};

/*
 * A new model holding record @type under @name and every type it holds by
 * value.  Returns 0, or a negative errno with @err saying what is wrong
 * (the caller names the record):
 * -EOPNOTSUPP for a record without a fixed layout (a variably modified
 * member) and -ECANCELED for one that an earlier error left broken are
 * skipped silently by the caller, since GCC has said what there is to say;
 * anything else is a problem of the plugin's.
 */
int mtc_gcc_model(const struct mtc_gcc_conf *conf, tree type, const char *name,
		  struct mtc_model **out, struct mtc_error *err);

/*
 * One model built from several records, so that the analysis of a union
 * sees the records that hold it (a tag beside it).  Each record added
 * brings every type it holds by value; a type is converted once.  A record
 * that fails leaves part of itself in the model: validate it on its own
 * with mtc_gcc_model() first.
 */
struct mtc_gcc_unit;

struct mtc_gcc_unit *mtc_gcc_unit_new(const struct mtc_gcc_conf *conf);
void mtc_gcc_unit_free(struct mtc_gcc_unit *u);
/* The model's record for @type, added under @name if it is not there yet; NULL and @err on failure. */
const struct mtc_type *mtc_gcc_unit_add(struct mtc_gcc_unit *u, tree type, const char *name,
					struct mtc_error *err);
/* The finished model, owned by @u; NULL and @err when it is inconsistent. */
struct mtc_model *mtc_gcc_unit_model(struct mtc_gcc_unit *u, struct mtc_error *err);

#endif

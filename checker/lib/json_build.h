/* SPDX-License-Identifier: MIT */
/*
 * Building JSON with json-c for the reporters (report.c,
 * report_codeclimate.c).  json-c reports the failure of an add only on
 * allocation, so one flag catches them all and the writer checks it once.
 */
#ifndef MTCHECK_JSON_BUILD_H
#define MTCHECK_JSON_BUILD_H

#include <json-c/json.h>
#include <stdbool.h>

struct jb {
	bool oom;
};

static inline json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/* Add @v as @key of @o; a NULL @v is JSON null when @nullable, else a failure. */
static inline void jadd(struct jb *b, json_object *o, const char *key, json_object *v,
			bool nullable)
{
	if (!o || (!v && !nullable) || json_object_object_add(o, key, v)) {
		if (v)
			json_object_put(v);
		b->oom = true;
	}
}

static inline void jpush(struct jb *b, json_object *a, json_object *v)
{
	if (!a || !v || json_object_array_add(a, v)) {
		if (v)
			json_object_put(v);
		b->oom = true;
	}
}

/* Pretty-printed as every multi-line report is. */
#define JSON_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
		    JSON_C_TO_STRING_NOSLASHESCAPE)

#endif

/* SPDX-License-Identifier: MIT */
/* The report reader's state, shared by its scanner (report_read.c) and its finding reader (report_finding.c); not installed. */
#ifndef MTCHECK_REPORT_READ_INTERNAL_H
#define MTCHECK_REPORT_READ_INTERNAL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "internal.h"
#include "mtcheck/report.h"
#include "strbuf.h"

#define CHUNK 65536
#define MAX_DEPTH 256

/* The report being read, and where in it, for messages. */
struct rd {
	int fd;
	bool in_mem;		/* reading the mem_len bytes at mem, not fd */
	const unsigned char *mem;
	size_t mem_len;
	const char *name;
	unsigned char buf[CHUNK];
	size_t pos, len;
	uint64_t before;	/* bytes of the file before buf[0] */
	bool eof;

	struct mtc_findings *out;
	struct mtc_read_conf *conf;
	struct mtc_error *err;
	int ret;		/* the first error */
	int added;
	struct json_tokener *tok;
	struct strbuf elem;	/* the finding being read, as text */
	size_t index;		/* of the finding in the file, from 1 */
	char where[128];	/* the key path inside the finding: "narrow[2].location" */

	/* the document being read */
	bool json_v1, sarif;	/* told by "version": 1 or "2.1.0" */
	bool has_findings, has_runs;
	/* findings met before "version" told what the document is */
	struct mtc_finding **pending;
	size_t nr_pending, cap_pending;
};

/* The first error of the read, with the report's name in front; returns r->ret. */
int mtc_rd_fail(struct rd *r, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * One finding, from the JSON object @o (its facts; the words are made
 * again).  NULL only when memory runs out; on a bad field, r->ret is set
 * and the partly read finding is returned for the caller to free.
 */
struct mtc_finding *mtc_rd_finding(struct rd *r, json_object *o);

#endif

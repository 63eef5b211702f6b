// SPDX-License-Identifier: MIT
/*
 * Classification: the facts of an overlap decide its rule, and the
 * configuration its severity.  The analysis classifies what it finds, and
 * several targets classify again once they know an overlay is
 * target-dependent; both come here, with facts, never with text.
 */
#include "internal.h"
#include "mtcheck/config.h"

void mtc_finding_facts(const struct mtc_finding *f, struct mtc_overlap_facts *facts)
{
	*facts = (struct mtc_overlap_facts){
		.wide_kind = f->wide.kind,
		.wide_bitfield = f->wide.bit_size > 0,
		.narrow_bitfield = f->narrow_bitfield,
		.byte_array = f->byte_array,
		.partial = f->partial,
		.target_dependent = f->nr_absent > 0,
	};
	for (size_t i = 0; i < f->nr_narrow; i++)
		facts->narrow_kinds |= 1u << f->narrow[i].kind;
}

const struct mtc_rule *mtc_classify(const struct mtc_ruleset *rules,
				    const struct mtc_config *config,
				    const struct mtc_overlap_facts *facts, enum mtc_severity *sev)
{
	const struct mtc_rule *rule = mtc_ruleset_match(rules, facts);

	*sev = MTC_SEV_NONE;
	if (!rule)
		return NULL;
	*sev = config ? mtc_config_severity(config, rule) : rule->severity;
	return rule;
}

// SPDX-License-Identifier: MIT
/*
 * GCC's scalar_storage_order fixes the byte order of a record's scalars, so
 * its overlays do not depend on the target.  DWARF shows the attribute only
 * where it reverses the target's order (DW_AT_endianity), so from objects
 * mtcheck recognises be_u on little-endian targets and le_u on big-endian
 * ones; the GCC plugin sees the attribute itself.
 */
#include <stdint.h>
union __attribute__((scalar_storage_order("big-endian"))) be_u {
	uint32_t v;
	struct __attribute__((scalar_storage_order("big-endian"))) { uint16_t hi, lo; } s;
};
union __attribute__((scalar_storage_order("little-endian"))) le_u {
	uint32_t v;
	struct __attribute__((scalar_storage_order("little-endian"))) { uint16_t lo, hi; } s;
};
union be_u a; union le_u b;

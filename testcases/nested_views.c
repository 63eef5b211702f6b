// SPDX-License-Identifier: MIT
/*
 * An address union like the kernel's xfrm_address_t: the alternatives of a
 * nested union (in6_u) never hold values at the same time, so each is its
 * own overlay: the bytes (MT004) and the halves (MT002) of a4, while the
 * same-width u6_addr32[0] is silent.  in6_u has three shapes, so the halves
 * are one alternative of a union inside the narrow side: low.
 */
#include <stdint.h>

struct in6 {
	union {
		uint8_t u6_addr8[16]; /* expect: MT004 'struct in6' in6_u.u6_addr16[0] <- in6_u.u6_addr8[0] in6_u.u6_addr8[1] instances=8 confidence=low */ /* expect: MT004 'struct in6' in6_u.u6_addr32[0] <- in6_u.u6_addr8[0] in6_u.u6_addr8[1] in6_u.u6_addr8[2] in6_u.u6_addr8[3] instances=4 confidence=low */
		uint16_t u6_addr16[8]; /* expect: MT002 'struct in6' in6_u.u6_addr32[0] <- in6_u.u6_addr16[0] in6_u.u6_addr16[1] instances=4 confidence=low */
		uint32_t u6_addr32[4];
	} in6_u;
};

union address {
	uint32_t a4;
	struct in6 in6; /* expect: MT002 'union address' a4 <- in6.in6_u.u6_addr16[0] in6.in6_u.u6_addr16[1] confidence=low evidence=alternatives */ /* expect: MT004 'union address' a4 <- in6.in6_u.u6_addr8[0] in6.in6_u.u6_addr8[1] in6.in6_u.u6_addr8[2] in6.in6_u.u6_addr8[3] confidence=low */
};

union address addr;

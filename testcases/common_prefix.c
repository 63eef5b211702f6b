// SPDX-License-Identifier: MIT
/*
 * Alternatives that share a common initial sequence (C11 6.5.2.3), as
 * socket-address and resource unions do: the repeated prefix makes the
 * prefix readable through either member, but says nothing of whether the
 * differing parts are live together, so the overlay after it is not
 * co-live (high); it is a view of medium confidence.  Contrast
 * maple_range.c, where the narrow side repeats the earlier elements of the
 * very array whose last element it overlays.
 */
#include <stdint.h>

union shared_prefix {
	struct {
		uint32_t len;
		uint32_t flags;
		uint64_t addr;
	} a;
	struct {
		uint32_t len;
		uint32_t flags;
		uint16_t port; /* expect: MT002 'union shared_prefix' a.addr <- b.port b.proto confidence=medium evidence=view */
		uint16_t proto;
	} b;
};

union shared_prefix prefix_a;

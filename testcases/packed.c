// SPDX-License-Identifier: MIT
/* Packed wire formats: unaligned members, and a same-width member shifted by one byte. */
#include <stdint.h>

struct __attribute__((packed)) wire {
	uint8_t tag;
	union {
		uint64_t raw;
		struct __attribute__((packed)) {
			uint16_t kind; /* expect: MT002 'struct wire' raw@1 <- hdr.kind@1 hdr.len@3 hdr.flags@7 confidence=low */
			uint32_t len;
			uint8_t flags;
		} hdr;
	};
};

union __attribute__((packed)) skew {
	uint32_t a[2];
	struct __attribute__((packed)) {
		uint8_t pad; /* expect: MT002 'union skew' a[0]@0 <- s.pad@0 s.mid@1 confidence=medium */
		uint32_t mid; /* expect: MT002 'union skew' a[1]@4 <- s.mid@1 s.tail[0]@5 s.tail[1]@6 s.tail[2]@7 confidence=medium */
		uint8_t tail[3];
	} s;
};

struct wire w;
union skew sk;

// SPDX-License-Identifier: MIT
/*
 * Overlays that say nothing new.  struct_group() declares the same members
 * twice, once anonymous and once named: an overlay between the two copies
 * is the one inside each copy, seen again, so it is low (twin) while the
 * copies' own overlays stay medium.  A wide scalar that is padding, or
 * that only aligns (__align), is never read: low (padding).  A name whose
 * first word is pad (pad_len) is not padding.
 */
#include <stdint.h>

struct frame {
	union {
		struct {
			union {
				uint32_t csum;
				struct {
					uint16_t start; /* expect: MT002 'struct frame' csum <- start offset confidence=medium evidence=view */ /* expect: MT002 'struct frame' hdr.csum <- start offset confidence=low evidence=twin */
					uint16_t offset;
				};
			};
			uint32_t len;
		};
		struct {
			union {
				uint32_t csum;
				struct {
					uint16_t start; /* expect: MT002 'struct frame' hdr.csum <- hdr.start hdr.offset confidence=medium evidence=view */ /* expect: MT002 'struct frame' csum <- hdr.start hdr.offset confidence=low evidence=twin */
					uint16_t offset;
				};
			};
			uint32_t len;
		} hdr;
	};
};

struct sig {
	int signo;
	union {
		int _si_pad[4];
		struct {
			uint16_t lsb; /* expect: MT002 'struct sig' _si_pad[0] <- fault.lsb fault.msb confidence=low evidence=padding */
			uint16_t msb;
		} fault;
	};
};

struct storage {
	union {
		struct {
			uint16_t family; /* expect: MT001 'struct storage' __align <- in.family in.port confidence=low evidence=padding */
			uint16_t port;
		} in;
		void *__align;
	};
};

union lens {
	uint32_t all;
	uint16_t pad_len[2]; /* expect: MT002 'union lens' all <- pad_len[0] pad_len[1] confidence=medium evidence=view */
};

struct frame fr;
struct sig sg;
struct storage st;
union lens ln;

// SPDX-License-Identifier: MIT
/*
 * A record that overlays another whole, as struct folio overlays struct
 * page: the narrow member's scalars come from one alternative of a union
 * inside it (pg's) that has three differently shaped members, so which of
 * them holds data is decided elsewhere: low (alternatives), with the
 * scalar named.  The same holds for a wide scalar in such a union (struct
 * fol2, whose own counters overlay page's pointers).  A union of two
 * shapes inside the narrow side (hdr in struct two) is not enough: medium.
 */
#include <stdint.h>

struct link {
	struct link *next, *prev;
};

struct pg {
	unsigned long flags;
	union {
		struct {
			struct link lru;
			void *mapping;
		};
		struct {
			unsigned long head;
			uint8_t dtor; /* expect: MT001 'struct pg' lru.prev <- dtor order mapcount confidence=low evidence=alternatives */ /* expect: MT001 'struct pg' mm <- dtor order mapcount confidence=low evidence=alternatives */
			uint8_t order;
			uint32_t mapcount;
			uint32_t nr; /* expect: MT001 'struct pg' mapping <- nr confidence=low evidence=alternatives */
		};
		struct {
			uint32_t frag; /* expect: MT001 'struct pg' lru.next <- frag share confidence=low evidence=alternatives */ /* expect: MT002 'struct pg' head <- frag share confidence=low evidence=alternatives */
			uint32_t share;
			void *mm;
		};
	};
};

struct fol {
	union {
		struct {
			unsigned long flags;
			struct link lru;
			void *mapping;
		};
		struct pg page; /* expect: MT001 'struct fol' lru.prev <- page.dtor page.order page.mapcount confidence=low evidence=alternatives */ /* expect: MT001 'struct fol' mapping <- page.nr confidence=low evidence=alternatives */ /* expect: MT001 'struct fol' lru.next <- page.frag page.share confidence=low evidence=alternatives */
	};
};

struct fol2 {
	union {
		struct {
			unsigned long flags;
			struct link *next;
			uint32_t mlock; /* expect: MT001 'struct fol2' page.lru.prev <- mlock refs confidence=low evidence=alternatives */ /* expect: MT001 'struct fol2' page.mm <- mlock refs confidence=low evidence=alternatives */
			uint32_t refs;
		};
		struct pg page; /* expect: MT001 'struct fol2' next <- page.frag page.share confidence=low evidence=alternatives */ /* expect: MT002 'struct fol2' mlock <- page.dtor page.order confidence=low evidence=alternatives */
	};
};

struct two {
	union {
		uint64_t stamp;
		struct {
			union {
				uint32_t word; /* expect: MT002 'struct two' stamp <- hdr.word len confidence=medium evidence=view */
				uint16_t half[2]; /* expect: MT002 'struct two' hdr.word <- hdr.half[0] hdr.half[1] confidence=medium evidence=view */ /* expect: MT002 'struct two' stamp <- hdr.half[0] hdr.half[1] len confidence=medium evidence=view */
			} hdr;
			uint32_t len;
		};
	};
};

struct fol f;
struct fol2 f2;
struct two t;

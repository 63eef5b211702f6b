// SPDX-License-Identifier: MIT
/*
 * Overlays that the layout explains: a tag selects the alternative, the
 * union has three differently shaped members, the narrow side is reserved
 * padding, or one side is memory reused for an RCU callback.  Each is
 * reported with low confidence, and each names what it saw.
 */
#include <stdint.h>

/* a member of enum type beside the union says which member holds a value */
enum msg_kind { MSG_NUM, MSG_PAIR };
struct msg {
	enum msg_kind k;
	union {
		uint64_t num;
		struct {
			uint32_t a; /* expect: MT002 'struct msg' num <- pair.a pair.b confidence=low evidence=tag-enum */
			uint32_t b;
		} pair;
	};
};

/* three differently shaped members */
union three {
	uint64_t q;
	uint32_t w[2]; /* expect: MT002 'union three' q <- w[0] w[1] confidence=low evidence=alternatives */
	uint16_t h[4]; /* expect: MT002 'union three' q <- h[0] h[1] h[2] h[3] confidence=low evidence=alternatives */ /* expect: MT002 'union three' w[0] <- h[0] h[1] instances=2 confidence=low evidence=alternatives */
};

/* the narrow side is only reserved padding */
union regs {
	uint64_t value;
	struct {
		uint32_t __reserved0; /* expect: MT002 'union regs' value <- r.__reserved0 r.rsvd1 confidence=low evidence=padding */
		uint32_t rsvd1;
	} r;
};

/* the pointer is an RCU callback's once the object is dead */
struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
};
struct obj {
	union {
		struct callback_head rcu;
		struct {
			uint32_t refs; /* expect: MT001 'struct obj' rcu.next <- live.refs live.flags confidence=low evidence=reuse */
			uint32_t flags;
		} live;
	};
};

struct msg m;
union three t;
union regs r;
struct obj o;

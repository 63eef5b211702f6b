// SPDX-License-Identifier: MIT
/* Does not parse: an unknown type.  The source front end must say so and skip it. */
struct broken {
	undefined_type_t x;
};

// SPDX-License-Identifier: MIT
/*
 * The engine's node types, compiled with -g for mtcheck alone: the build
 * runs mtcheck on this object (for whatever target the engine is built for)
 * and turns its findings into maple_layout_asserts.h, which test_layout.c
 * runs.  One definition of each type keeps its full layout in the DWARF.
 */
#include "maple_tree.h"

struct maple_node maple_layout_node;
struct maple_range_64 maple_layout_range_64;
struct maple_arange_64 maple_layout_arange_64;
struct maple_alloc maple_layout_alloc;

// SPDX-License-Identifier: MIT
/*
 * A GCC plugin that does nothing, so that this miniature build compiles
 * with -fplugin= and -fplugin-arg- options in c_flags like a kernel with
 * GCC plugins, and its checker gets them too.  GCC needs only these two
 * symbols to load a plugin.
 */
int plugin_is_GPL_compatible;

struct plugin_name_args;
struct plugin_gcc_version;

int plugin_init(struct plugin_name_args *info, struct plugin_gcc_version *version);

int plugin_init(struct plugin_name_args *info, struct plugin_gcc_version *version)
{
	(void)info;
	(void)version;
	return 0;
}

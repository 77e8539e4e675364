/* A plugin built against winnow 0.1's plugin.h (ABI 1.1): its descriptor
 * has the 1.x layout (three header words, then kind) and its structs carry
 * no size. The loader must refuse it from the file alone: the constructor
 * below must never run. */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

/* The ABI 1.1 descriptor, as winnow 0.1's plugin.h declared it. */
typedef struct v1_plugin {
	uint32_t abi_major, abi_minor, struct_size;
	int kind;
	const char *name, *version, *description;
	const void *options;
	size_t state_size;
	const char *const *needs, *const *gives;
	int (*init)(const void *cx);
	void (*fini)(const void *cx);
	int (*next)(const void *cx, void *r);
	int (*process)(const void *cx, void *r);
	int (*batch)(const void *cx, void *const *recs, int *rcs, size_t n);
	int (*write)(const void *cx, void *r);
	int (*commit)(const void *cx);
} v1_plugin;

__attribute__((constructor)) static void announce(void)
{
	static const char msg[] = "old_abi1: constructor ran\n";
	if (write(2, msg, sizeof(msg) - 1) < 0)
		return;
}

static int never(const void *cx, void *r)
{
	(void)cx;
	(void)r;
	return 0;
}

__attribute__((visibility("default"))) const v1_plugin wn_plugin_old_abi1 = {
    1, 1, sizeof(v1_plugin), 2, "old_abi1", "1.0.0", "an ABI 1.1 transform", .process = never};

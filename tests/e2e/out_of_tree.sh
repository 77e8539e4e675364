# An out-of-tree plugin built with `pkg-config --cflags winnow-plugin`
# against the installed header loads and runs in a pipeline.
. "$(dirname "$0")/lib.sh"

prefix="$T/prefix"
check "cmake --install" cmake --install "$WN_BUILD" --prefix "$prefix" >/dev/null
pcdir=$(dirname "$(find "$prefix" -name winnow-plugin.pc | head -1)")
check "pkg-config file installed" test -f "$pcdir/winnow-plugin.pc"
check "header installed" test -f "$prefix/include/winnow/plugin.h"
cflags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags winnow-plugin)
incdir=$(printf '%s\n' $cflags | sed -n 's/^-I//p' | head -1)
check "cflags point at the installed header ($cflags)" test -f "$incdir/winnow/plugin.h"
mkdir -p "$T/plug"
cat >"$T/shout.c" <<'C'
#include <ctype.h>
#include <string.h>
#include <winnow/plugin.h>

/* Upper-cases the title: a user's own transform, built out of tree. */
static int shout(const wn_ctx *cx, wn_record *r)
{
	const char *t = cx->api->get_str(r, "title", NULL);
	if (!t)
		return WN_OK;
	char *u = cx->api->alloc(r, strlen(t) + 1);
	if (!u)
		return WN_ERROR;
	for (size_t i = 0; t[i]; i++)
		u[i] = (char)toupper((unsigned char)t[i]);
	cx->api->count(cx, "shouted", 1);
	return cx->api->set_str(r, "title", u);
}

static const char *const needs[] = {"title", NULL};

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_shout = {
    WN_PLUGIN_HEADER, WN_KIND_TRANSFORM, "shout", "0.1.0", "upper-cases titles",
    .needs = needs, .process = shout};
C
# shellcheck disable=SC2086
check "plugin builds" "${WN_CC:-cc}" $cflags -Wall -Werror -shared -o "$T/plug/shout.so" "$T/shout.c"
gen_config "$T/c.yaml" 5 "  - { id: loud, use: shout }"
sed -i "s|plugin_path: \[$TESTKIT\]|plugin_path: [$TESTKIT, $T/plug]|" "$T/c.yaml"
# The installed runner finds its installed plugins (export_json, export_csv).
WINNOW="$prefix/bin/winnow" run_w 0 run "$T/c.yaml"
has "$T/out/articles.jsonl" '"title":"ARTICLE 3"'
json "$T/out/run.json" "d['stages'][1]['plugin']=='shout' and d['stages'][1]['counters']=={'shouted':5}"
finish

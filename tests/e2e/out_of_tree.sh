# An out-of-tree plugin built with `pkg-config --cflags winnow-plugin`
# against the installed header loads and runs in a pipeline, using the
# ABI 2.0 sized structs: an option table (stride from WN_PLUGIN_HEADER)
# and an entity from WN_ENTITY_INIT.
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

typedef struct shout_state {
	const char *type;
} shout_state;

static const wn_option options[] = {
    {"type", WN_OPT_STR, "MISC", 0, offsetof(shout_state, type), "entity type", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

/* Upper-cases the title and tags its first word as an entity: a user's
 * own transform, built out of tree. */
static int shout(const wn_ctx *cx, wn_record *r)
{
	const shout_state *s = cx->state;
	const char *t = cx->api->get_str(r, "title", NULL);
	if (!t)
		return WN_OK;
	char *u = cx->api->alloc(r, strlen(t) + 1);
	if (!u)
		return WN_ERROR;
	for (size_t i = 0; t[i]; i++)
		u[i] = (char)toupper((unsigned char)t[i]);
	cx->api->count(cx, "shouted", 1);
	wn_entity e = WN_ENTITY_INIT;
	e.type = s->type;
	e.text = "ARTICLE";
	e.end = 7;
	int rc = cx->api->add_entity(r, &e);
	return rc != WN_OK ? rc : cx->api->set_str(r, "title", u);
}

static const char *const needs[] = {"title", NULL};

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_shout = {
    WN_PLUGIN_HEADER, WN_KIND_TRANSFORM, "shout", "0.1.0", "upper-cases titles",
    options, sizeof(shout_state), .needs = needs, .process = shout};
C
# shellcheck disable=SC2086
check "plugin builds" "${WN_CC:-cc}" $cflags -Wall -Werror -shared -o "$T/plug/shout.so" "$T/shout.c"
gen_config "$T/c.yaml" 5 "  - { id: loud, use: shout, with: { type: ORG } }"
sed -i "s|plugin_path: \[$TESTKIT\]|plugin_path: [$TESTKIT, $T/plug]|" "$T/c.yaml"
# The installed runner finds its installed plugins (export_json, export_csv).
WINNOW="$prefix/bin/winnow" run_w 0 run "$T/c.yaml"
has "$T/out/articles.jsonl" '"title":"ARTICLE 3"'
has "$T/out/articles.jsonl" '"type":"ORG","text":"ARTICLE"'
WINNOW="$prefix/bin/winnow" run_w 0 plugins --plugin-path "$T/plug" shout
has "$T/stdout" "shout 0.1.0 (transform, plugin ABI 2.0)"
json "$T/out/run.json" "d['stages'][1]['plugin']=='shout' and d['stages'][1]['counters']=={'shouted':5}"
finish

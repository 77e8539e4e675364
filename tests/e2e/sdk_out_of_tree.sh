# An out-of-tree plugin that uses lib/sdk (feedkit) builds with
# `pkg-config winnow-sdk` against the installed SDK, loads and runs.
. "$(dirname "$0")/lib.sh"

prefix="$T/prefix"
check "cmake --install" cmake --install "$WN_BUILD" --prefix "$prefix" >/dev/null
pcdir=$(dirname "$(find "$prefix" -name winnow-sdk.pc | head -1)")
check "winnow-sdk.pc installed" test -f "$pcdir/winnow-sdk.pc"
check "feedkit.h installed" test -f "$prefix/include/winnow/sdk/feedkit.h"
check "inputs.h installed" test -f "$prefix/include/winnow/sdk/inputs.h"
check "lib/core's jsonw.h installed" test -f "$prefix/include/winnow/core/jsonw.h"
mkdir -p "$T/plug"
cat >"$T/stamp.c" <<'C'
#include <feedkit.h>
#include <record_json.h> /* an SDK header on lib/core's jsonw.h */
#include <winnow/plugin.h>

/* Stamps a fixed feed date, normalised by the SDK, on every record. */
static int stamp(const wn_ctx *cx, wn_record *r)
{
	char iso[32];
	if (fk_date_iso("Tue, 30 Jan 2024 10:00:00 +0100", iso) != 0)
		return WN_ERROR;
	return cx->api->set_str(r, "published", iso);
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_stamp = {
    WN_PLUGIN_HEADER, WN_KIND_TRANSFORM, "stamp", "0.1.0", "stamps a date", .process = stamp};
C
export PKG_CONFIG_PATH="$pcdir"
cflags=$(pkg-config --cflags winnow-sdk)
libs=$(pkg-config --libs winnow-sdk)
# shellcheck disable=SC2086
check "plugin builds against the SDK ($cflags $libs)" \
	"${WN_CC:-cc}" $cflags -Wall -Werror -shared -o "$T/plug/stamp.so" "$T/stamp.c" $libs
gen_config "$T/c.yaml" 3 "  - { id: stamp, use: stamp }"
sed -i "s|plugin_path: \[$TESTKIT\]|plugin_path: [$TESTKIT, $T/plug]|" "$T/c.yaml"
WINNOW="$prefix/bin/winnow" run_w 0 run "$T/c.yaml"
has "$T/out/articles.jsonl" '"published":"2024-01-30T09:00:00Z"'
lines "$T/out/articles.jsonl" 3
finish

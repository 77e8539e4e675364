# scripts/check-includes: passes on a tree that keeps the layering of
# docs/architecture.md and names each planted bad #include edge.
. "$(dirname "$0")/lib.sh"

chk="$WN_SRC/scripts/check-includes"
r="$T/tree"
put() { mkdir -p "$(dirname "$r/$1")" && printf '%s\n' "${@:2}" >"$r/$1"; }
put lib/core/buf.h '#include <stddef.h>'
put lib/core/buf.c '#include "buf.h"' '#include <string.h>'
put lib/sdk/feedkit.h '#include <libxml/tree.h>' '#include <winnow/plugin.h>' '#include "buf.h"'
put pipeline/include/winnow/plugin.h '#include <stddef.h>'
put pipeline/src/util.h '#include "buf.h"'
put pipeline/src/engine.c '#include "util.h"' '#include "feedkit.h"' '#include "winnow/plugin.h"'
put plugins/a/a_int.h '#include <winnow/plugin.h>'
put plugins/a/a.c '#include "a_int.h"' '#include "feedkit.h"' '#include "generated.h"'
put plugins/a/tests/test_a.c '#include "a_int.h"' '#include "check.h"'
put plugins/b/b.c '#include "buf.h"'
put tests/unit/check.h '#include <stdio.h>'

"$chk" "$r" 2>"$T/err"
check "a clean tree passes" test $? = 0

# plant FILE LINE WHAT: appending LINE to FILE must fail, naming WHAT.
plant() {
	cp "$r/$1" "$T/saved"
	echo "$2" >>"$r/$1"
	if "$chk" "$r" 2>"$T/err"; then bad "$1 with $2 passed"; else ok; fi
	has "$T/err" "$1:"
	has "$T/err" "$3"
	cp "$T/saved" "$r/$1"
}
plant lib/core/buf.c '#include <winnow/plugin.h>' 'pipeline/include'
plant lib/core/buf.c '#include "util.h"' 'pipeline/src'
plant lib/core/buf.h '#include "feedkit.h"' 'lib/sdk'
plant lib/sdk/feedkit.h '#include "util.h"' 'pipeline/src'
plant plugins/b/b.c '#include "a_int.h"' 'plugins/a'
plant plugins/b/b.c '#include "../a/a_int.h"' 'plugins/a'
plant plugins/a/a.c '#include "util.h"' 'pipeline/src'
plant pipeline/src/engine.c '#include "a_int.h"' 'plugins/a'
plant pipeline/include/winnow/plugin.h '#include "buf.h"' 'lib/core'
plant plugins/a/a.c '#include "check.h"' 'tests/unit'

"$chk" "$r" 2>"$T/err"
check "restored tree passes" test $? = 0
# The real tree keeps the rules too (CI also runs the script directly).
check "this tree passes" "$chk" "$WN_SRC"
finish

# Ids of local files depend on the path under the source root, not on
# where the tree is: the same samples copied to two folders give the same
# ids, and the ids are those of the committed runs' docs (docs/schema.md).
. "$(dirname "$0")/lib.sh"

for d in a b/deeper; do
	mkdir -p "$T/$d"
	cp -r "$WN_SRC/samples/articles" "$T/$d/articles"
	"$WINNOW" try source_files --with "{paths: [$T/$d/articles]}" 2>/dev/null |
		python3 -c 'import json, sys; [print(json.loads(l)["id"], json.loads(l)["path"]) for l in sys.stdin]' \
			>"$T/ids.$(basename "$d")"
done
check "ids listed" test "$(wc -l <"$T/ids.a")" -gt 10
check "same ids in both folders" cmp -s "$T/ids.a" "$T/ids.deeper"
check "id = sha256(file:articles/PATH)[:16]" python3 - "$T/ids.a" <<'PY'
import hashlib, sys
for line in open(sys.argv[1]):
    i, p = line.split()
    if hashlib.sha256(f"file:articles/{p}".encode()).hexdigest()[:16] != i:
        sys.exit(1)
PY
finish

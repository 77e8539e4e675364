# The default job (configs/default.yaml over samples/): exit 0, the
# promised files, cleaned articles with metadata, joinable entities, the
# same bytes with one worker or two, and (outside sanitizer builds) no
# leak or memory error under valgrind.
. "$(dirname "$0")/lib.sh"

cfg="$WN_SRC/configs/default.yaml"
run_w 0 run "$cfg" --set run.output_dir="$T/w2" --set run.workers=2
check "default run is silent" test ! -s "$T/err"
for f in articles.jsonl articles.csv entities.csv run.json dead_letter.jsonl; do
	check "$f written" test -f "$T/w2/$f"
done
json "$T/w2/run.json" "d['status']=='ok' and d['records']['read']>=10 and d['records']['exported']>=8"
check "articles have title, text, lang" python3 - "$T/w2/articles.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ok = rows and all(r.get("title") and len(r.get("text", "")) > 200 and r.get("lang") for r in rows)
langs = {r["lang"] for r in rows}
sys.exit(0 if ok and {"en", "fr", "de"} <= langs else 1)
PY
check "entities join articles on id" python3 - "$T/w2" <<'PY'
import csv, sys
d = sys.argv[1]
ids = {r["id"] for r in csv.DictReader(open(f"{d}/articles.csv", newline=""))}
ents = list(csv.DictReader(open(f"{d}/entities.csv", newline="")))
types = {e["type"] for e in ents}
sys.exit(0 if ents and all(e["article_id"] in ids for e in ents)
         and {"PERSON", "ORG", "MONEY", "PERCENT", "DATE"} <= types else 1)
PY
run_w 0 run "$cfg" --set run.output_dir="$T/w1" --set run.workers=1
for f in articles.jsonl articles.csv entities.csv; do
	check "$f identical with 1 and 2 workers" cmp "$T/w1/$f" "$T/w2/$f"
done
if [ "${WN_SANITIZE:-OFF}" != ON ] && command -v valgrind >/dev/null; then
	check "valgrind: no leaks, no errors" valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		"$WINNOW" run "$cfg" --set run.output_dir="$T/vg"
fi
finish

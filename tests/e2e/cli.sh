# The command line: --version, --help everywhere, plugins, check.
. "$(dirname "$0")/lib.sh"

run_w 0 --version
has "$T/stdout" "plugin ABI 2.0)"
run_w 0 --help
has "$T/stdout" "exit codes"
for cmd in run check plugins; do
	run_w 0 "$cmd" --help
	has "$T/stdout" "usage: winnow $cmd"
done
run_w 64 frobnicate
has "$T/err" "unknown command 'frobnicate'"
run_w 64 rnu
has "$T/err" "did you mean 'run'"
run_w 64 run
run_w 64 run a.yaml --limit zero

run_w 0 plugins
for p in export_json export_csv; do has "$T/stdout" "$p"; done
lacks "$T/stdout" "test_gen"
run_w 0 plugins export_json
has "$T/stdout" "format"
has "$T/stdout" "jsonl|array"
run_w 78 plugins no_such_plugin
has "$T/err" "no plugin named 'no_such_plugin'"
run_w 0 plugins --plugin-path "$TESTKIT" test_pass
has "$T/stdout" "fail_every"

gen_config "$T/c.yaml" 5 "  - { id: p, use: test_pass }"
run_w 0 check "$T/c.yaml"
has "$T/stdout" "sources:"
has "$T/stdout" "test_gen"
has "$T/stdout" "sinks:"
check "check writes nothing" test ! -e "$T/out/articles.jsonl"
# winnow try: one plugin alone on JSON Lines.
run_w 0 try --plugin-path "$TESTKIT" test_gen --with '{count: 3, size: 64}'
lines "$T/stdout" 3
has "$T/stdout" '"url":"https://gen.example/2"'
printf '%s\n' '{"n": 4, "text": "a"}' '{"n": 5, "text": "b"}' |
	"$WINNOW" try --plugin-path "$TESTKIT" test_pass --with '{fail_every: 5, tag: t}' >"$T/stdout" 2>"$T/err"
check "try exits 2 when a record fails" test $? = 2
has "$T/stdout" '{"n":4,"text":"a","tag":"t"}'
has "$T/stdout" '"_outcome":"error","_code":"bad_record"'
printf '%s\n' '{"id": "a1", "title": "=1+1"}' | "$WINNOW" try export_csv --output "$T/try-out" >/dev/null 2>&1
check "try a sink writes its outputs" grep -q "'=1+1" "$T/try-out/articles.csv"
echo 'not json' | "$WINNOW" try --plugin-path "$TESTKIT" test_pass >/dev/null 2>"$T/err"
has "$T/err" "stdin:1:"
# Bytes that are not UTF-8 travel as base64 through a pipe of trys.
printf 'caf\351 \222quoted\222\n' >"$T/cp1252.txt"
"$WINNOW" try source_files --with "{paths: [$T/cp1252.txt]}" >"$T/src.jsonl"
has "$T/src.jsonl" '"raw":{"base64":"Y2Fm6SCScXVvdGVkkgo="}'
"$WINNOW" try clean_text <"$T/src.jsonl" >"$T/clean.jsonl"
has "$T/clean.jsonl" '"text":"café ’quoted’"'
run_w 78 try --plugin-path "$TESTKIT" test_gen --with '{cuont: 3}'
has "$T/err" "did you mean 'count'"
run_w 64 try
finish

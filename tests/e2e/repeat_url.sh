# One fetch per URL a run: when two sources list the same page (a feed and
# a sitemap, two URL lists), the later listing is dropped before any work
# with reason "repeat", and the page is fetched and exported once.
. "$(dirname "$0")/lib.sh"
. "$WN_SRC/tests/http/lib_http.sh"

start_server
printf '%s\n' "$BASE/page/a" "$BASE/page/b" "$BASE/page/c" >"$T/one.txt"
# The same pages, spelt as other URLs with the same canonical form.
printf '%s\n' "$BASE/page/b#top" "$BASE/page/c" "$BASE/page/d" >"$T/two.txt"
cat >"$T/c.yaml" <<YAML
version: 1
run: { output_dir: out }
sources:
  - { id: one, use: source_urls, with: { file: one.txt } }
  - { id: two, use: source_urls, with: { file: two.txt } }
pipeline:
  - { id: fetch, use: fetch_http, with: { trusted: true } }
sinks:
  - { id: json, use: export_json }
YAML
run_w 0 run "$T/c.yaml"
lines "$T/out/articles.jsonl" 4
json "$T/out/run.json" "d['records']['read']==6 and d['records']['exported']==4 and d['records']['dropped']==2"
check "two repeats in dropped.jsonl" test "$(grep -c '"code":"repeat"' "$T/out/dropped.jsonl")" = 2
stats "all(s['paths'].get('/page/' + p) == 1 for p in 'abcd')"
finish

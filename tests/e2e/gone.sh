# A page that is gone for good stops paging: 410 is remembered as gone at
# once, 404 after run.gone_after committed runs; gone pages are dropped
# ("gone"), not dead-lettered, and later runs do not ask for them again.
. "$(dirname "$0")/lib.sh"
. "$WN_SRC/tests/http/lib_http.sh"

start_server
printf '%s\n' "$BASE/page/ok" "$BASE/status/404" "$BASE/status/410" >"$T/urls.txt"
cat >"$T/c.yaml" <<YAML
version: 1
run: { output_dir: out, state: state.db, gone_after: 2, retry_backoff: 0 }
http: { retries: 0 }
sources:
  - { id: urls, use: source_urls, with: { file: urls.txt } }
pipeline:
  - { id: fetch, use: fetch_http, with: { trusted: true } }
sinks:
  - { id: json, use: export_json }
YAML
# Run 1: the 410 is gone at once; the 404 is a dead letter (exit 2).
run_w 2 run "$T/c.yaml"
has "$T/out/dead_letter.jsonl" '"code":"http_404"'
has "$T/out/dropped.jsonl" '"code":"gone"'
# Run 2: the 404 a second time: now gone too, and the run is clean.
run_w 0 run "$T/c.yaml"
check "no dead letter once the 404 is gone" test ! -s "$T/out/dead_letter.jsonl"
has "$T/out/dropped.jsonl" 'gone: http_404 in 2 run(s)'
# Run 3: neither is asked for again.
run_w 0 run "$T/c.yaml"
json "$T/out/run.json" "d['records']['seen']==3 and d['records']['dead_lettered']==0"
stats "s['paths'].get('/status/404') == 2 and s['paths'].get('/status/410') == 1"
finish

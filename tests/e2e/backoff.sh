# A record that fails is tried again by later runs with a backoff across
# runs (run.retry_backoff, doubling per failure): the run right after a
# failure leaves it ("deferred", a drop: quiet, exit 0) instead of paging
# again; once the wait is over it is tried again; --reprocess tries it now.
. "$(dirname "$0")/lib.sh"
. "$WN_SRC/tests/http/lib_http.sh"

start_server
printf '%s\n' "$BASE/page/ok" "$BASE/status/500" >"$T/urls.txt"
cat >"$T/c.yaml" <<YAML
version: 1
run: { output_dir: out, state: state.db, retry_backoff: 1h }
http: { retries: 0 }
sources:
  - { id: urls, use: source_urls, with: { file: urls.txt } }
pipeline:
  - { id: fetch, use: fetch_http, with: { trusted: true } }
sinks:
  - { id: json, use: export_json }
YAML
run_w 2 run "$T/c.yaml"
has "$T/out/dead_letter.jsonl" '"code":"http_500"'
# Within the hour: deferred, not asked for, and the run is clean.
run_w 0 run "$T/c.yaml"
has "$T/out/dropped.jsonl" '"code":"deferred"'
has "$T/out/dropped.jsonl" 'failed in 1 earlier run(s)'
stats "s['paths'].get('/status/500') == 1"
# Once the wait is over it is tried again (a 1 s backoff, 2 s later: a
# slower machine only makes the wait longer over).
sleep 2
run_w 2 run "$T/c.yaml" --set run.retry_backoff=1s
stats "s['paths'].get('/status/500') == 2"
# Two failures now: deferred again, and the reason counts them.
run_w 0 run "$T/c.yaml"
has "$T/out/dropped.jsonl" 'failed in 2 earlier run(s)'
# --reprocess tries everything now.
run_w 2 run "$T/c.yaml" --reprocess
stats "s['paths'].get('/status/500') == 3"
finish

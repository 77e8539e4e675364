# The HTTP service's limits hold across worker threads and batches:
# per-host and total concurrency (counted as TCP connections by the
# server), the per-host delay between requests, robots.txt fetched once.
. "$(dirname "$0")/lib.sh"
. "$WN_SRC/tests/http/lib_http.sh"

# limits_config FILE HTTP_YAML: 40 held requests, 4 workers, small batches.
limits_config() {
	for i in $(seq 1 40); do echo "$BASE/hold?ms=60&i=$i"; done >"$T/urls.txt"
	cat >"$1" <<YAML
version: 1
run: { name: limits, output_dir: out, workers: 4, batch_size: 5 }
http: $2
sources:
  - { id: urls, use: source_urls, with: { file: urls.txt } }
pipeline:
  - { id: fetch, use: fetch_http }
sinks:
  - { id: json, use: export_json }
YAML
}

# per_host: 2 -> the server never sees a third connection, however many
# service threads there are (a host stays on one).
start_server
limits_config "$T/a.yaml" "{ per_host: 2, concurrency: 16, threads: 4 }"
run_w 0 run "$T/a.yaml"
lines "$T/out/articles.jsonl" 40
stats "s['max_conns']==2 and s['paths']['/hold']==40 and s['paths']['/robots.txt']==1"
stop_servers

# concurrency: 3 with no per-host limit -> at most 3.
start_server
limits_config "$T/b.yaml" "{ per_host: 0, concurrency: 3 }"
run_w 0 run "$T/b.yaml"
stats "s['max_conns']<=3 and s['max_conns']>=2 and s['paths']['/hold']==40"
stop_servers

# delay: 300ms between request starts on one host, checked as a lower
# bound with room for the server's own latency (a slow machine cannot
# break it).
start_server --no-robots
for i in $(seq 1 6); do echo "$BASE/page/d$i"; done >"$T/urls.txt"
cat >"$T/c.yaml" <<YAML
version: 1
run: { name: delay, output_dir: out, workers: 2, batch_size: 3 }
http: { per_host: 1, delay: 300ms }
sources:
  - { id: urls, use: source_urls, with: { file: urls.txt } }
pipeline:
  - { id: fetch, use: fetch_http }
sinks:
  - { id: json, use: export_json }
YAML
run_w 0 run "$T/c.yaml"
lines "$T/out/articles.jsonl" 6
stats "s['max_conns']==1 and s['min_gap_ms']>=200 and s['paths']['/robots.txt']==1"
stop_servers

# block_private: 127.0.0.1 is refused unless the stage trusts its URLs.
start_server
echo "$BASE/page/p" >"$T/urls.txt"
sed 's/per_host: 1, delay: 300ms/block_private: true/' "$T/c.yaml" >"$T/d.yaml"
run_w 0 run "$T/d.yaml"
json "$T/out/run.json" "d['stages'][1]['drops']=={'blocked':1}"
sed 's/use: fetch_http }/use: fetch_http, with: { trusted: true } }/' "$T/d.yaml" >"$T/e.yaml"
run_w 0 run "$T/e.yaml"
lines "$T/out/articles.jsonl" 1

# Config errors in http: are located, with a did-you-mean.
sed 's/block_private: true/per_hots: 2, timeout: soon/' "$T/d.yaml" >"$T/f.yaml"
run_w 78 run "$T/f.yaml"
has "$T/err" "f.yaml:3:9: error: unknown key 'per_hots' in http (did you mean 'per_host'?)"
has "$T/err" "f.yaml:3:31: error: http.timeout must be a duration like 250ms, 20s, 5m, 1h or 2d, not 'soon'"

# A failed run stores no validators (they are written only after the
# outputs are committed): the next run asks unconditionally.
stop_servers
start_server --no-robots
echo "$BASE/page/v1" >"$T/urls.txt"
cat >"$T/g.yaml" <<YAML
version: 1
run: { name: validators, output_dir: out, state: state.db, on_change: update, plugin_path: [$TESTKIT] }
sources:
  - { id: urls, use: source_urls, with: { file: urls.txt } }
pipeline:
  - { id: fetch, use: fetch_http }
  - { id: fail, use: test_pass, with: { fail_every: 1, crash_at: -5, fatal_at: -5 }, on_error: fail }
sinks:
  - { id: json, use: export_json }
YAML
run_w 1 run "$T/g.yaml"
sed '/id: fail/d' "$T/g.yaml" >"$T/h.yaml"
run_w 0 run "$T/h.yaml"
stats "s['conditional']==0 and s['paths']['/page/v1']==2"
run_w 0 run "$T/h.yaml"
stats "s['conditional']==1 and s['not_modified']==1"
json "$T/out/run.json" "d['stages'][1]['drops']=={'not_modified':1}"

# file:// only with allow_file.
echo "file://$T/urls.txt" >"$T/urls.txt"
sed 's/^run: { name: validators, output_dir: out, state: state.db, on_change: update/http: { allow_file: true, accept: [text\/*, application\/octet-stream] }\nrun: { name: f, output_dir: out/' "$T/h.yaml" >"$T/i.yaml"
run_w 0 run "$T/i.yaml"
lines "$T/out/articles.jsonl" 1
has "$T/out/articles.jsonl" "\"final_url\":\"file://$T/urls.txt\""

finish

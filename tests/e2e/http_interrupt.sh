# SIGINT/SIGTERM cut the HTTP service's waits short: a run waiting out a
# long Retry-After, or in the middle of a slow body, stops within a
# second or so, commits what was done, counts the interrupted fetch as
# unfinished (not a dead letter: a later run fetches it again) and exits 2
# like any interrupted run, with "interrupted": true in run.json.
. "$(dirname "$0")/lib.sh"
. "$WN_SRC/tests/http/lib_http.sh"

start_server --no-robots

# interrupt SIGNAL PATH: starts a run over /page/a and $BASE$PATH, sends
# SIGNAL once the server has seen PATH, and checks the run's end.
interrupt() {
	local sig=$1 path=$2
	printf '%s\n%s\n' "$BASE/page/a-$sig" "$BASE$path" >"$T/urls.txt"
	cat >"$T/i.yaml" <<YAML
version: 1
run: { name: interrupt, output_dir: out-$sig, workers: 1, batch_size: 1 }
http: { retries: 3, max_backoff: 120s, timeout: 120s, low_speed_time: 120s }
sources:
  - { id: urls, use: source_urls, with: { file: urls.txt } }
pipeline:
  - { id: fetch, use: fetch_http }
sinks:
  - { id: json, use: export_json, with: { fields: [url] } }
YAML
	"$WINNOW" run "$T/i.yaml" >"$T/stdout" 2>"$T/err" &
	local pid=$! p=${path%%\?*}
	for _ in $(seq 1 100); do
		python3 - "$BASE" "$p" <<'PY' && break
import json, sys, urllib.request
o = urllib.request.build_opener(urllib.request.ProxyHandler({}))
sys.exit(0 if json.load(o.open(sys.argv[1] + "/stats"))["paths"].get(sys.argv[2]) else 1)
PY
		sleep 0.1
	done
	sleep 0.5 # into the wait (or the body)
	local code
	kill -"$sig" "$pid"
	wait "$pid"
	code=$?
	# The fetch would take 60 s: that it ended as unfinished, not fetched,
	# is what shows the stop did not wait for it (no clock is read).
	check "SIG$sig: exit 2 (got $code)" test "$code" = 2
	has "$T/out-$sig/articles.jsonl" "\"url\":\"$BASE/page/a-$sig\""
	check "SIG$sig: the interrupted fetch is no dead letter" test ! -s "$T/out-$sig/dead_letter.jsonl"
	json "$T/out-$sig/run.json" "d['records']['exported']==1 and d['records']['dead_lettered']==0 and d['records']['unfinished']==1 and d['interrupted']"
	has "$T/err" "1 unfinished record(s) left for the next run"
}

# A 503 asking to come back in 60s (under max_backoff, so it is waited).
interrupt INT "/flaky/kint?fail=1&code=503&after=60" before
stats "s['paths']['/flaky/kint']==1"
# A body sent one byte a second for 60s.
interrupt TERM "/slow?secs=60" while

finish

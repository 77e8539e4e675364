# fetch_http through whole runs against tests/http/server.py: every case
# ends exported, dropped with its reason, or dead-lettered with status and
# reason after retries; per-host limits hold; a second run asks
# conditionally and skips unchanged pages.
. "$(dirname "$0")/lib.sh"
. "$WN_SRC/tests/http/lib_http.sh"

start_server

# One URL per case; the expected outcome is in the checks below.
cat >"$T/urls.txt" <<URLS
$BASE/page/a
$BASE/page/b
$BASE/redirect/r1
$BASE/gzip
$BASE/charset/wrong
$BASE/charset/none
$BASE/flaky/k503?fail=1&code=503&after=1
$BASE/flaky/k429?fail=1&code=429&after=1
$BASE/flaky/kbackoff?fail=2&code=500
$BASE/loop/a
$BASE/status/404
$BASE/status/410
$BASE/flaky/kdead?fail=99&code=503
$BASE/flaky/klong?fail=1&code=503&after=3600
$BASE/slow?secs=8
$BASE/stall
$BASE/reset
$BASE/big?mb=3
$BASE/bigchunked?mb=3
$BASE/pdf
$BASE/private/x
file:///etc/hostname
URLS
cat >"$T/fetch.yaml" <<YAML
version: 1
run: { name: fetch, output_dir: out, state: state/state.db, workers: 2, batch_size: 8, on_change: update }
http:
  user_agent: "winnow-test/1.0 (+mailto:t@example.org)"
  timeout: 3s
  connect_timeout: 2s
  low_speed_time: 1s
  low_speed_limit: 1
  max_body: 1MB
  max_redirects: 3
  per_host: 4
  retries: 2
  backoff: 20ms
  max_backoff: 5s
sources:
  - { id: urls, use: source_urls, with: { file: urls.txt } }
pipeline:
  - { id: fetch, use: fetch_http }
sinks:
  - { id: json, use: export_json, with: { fields: [url, final_url, http_status, content_type, etag, raw] } }
YAML
run_w 2 run "$T/fetch.yaml"
A="$T/out/articles.jsonl"
D="$T/out/dead_letter.jsonl"
R="$T/out/run.json"

# Exported: plain pages, a redirect (final URL kept), gzip decoded,
# charsets as sent, 503 and 429 with Retry-After retried, 500 backed off.
lines "$A" 9
has "$A" "\"url\":\"$BASE/redirect/r1\",\"final_url\":\"$BASE/page/r1\",\"http_status\":200"
has "$A" '"raw":"<html><body><p>compressed page</p></body></html>"'
has "$A" "\"url\":\"$BASE/charset/wrong\""
has "$A" '"content_type":"text/html"'
has "$A" 'flaky k503 ok after 1'
has "$A" 'flaky k429 ok after 1'
has "$A" 'flaky kbackoff ok after 2'
has "$A" '"etag":"\"'

# Dead letters: status and reason, transient ones after 3 attempts. A 410
# is gone for good: dropped (remembered) rather than dead-lettered.
lines "$D" 8
has "$D" '"code":"too_many_redirects"'
has "$D" '"code":"http_404","reason":"HTTP 404 from '
has "$T/out/dropped.jsonl" '"code":"gone"'
has "$D" "\"code\":\"http_503\",\"reason\":\"HTTP 503 from $BASE/flaky/kdead?fail=99&code=503 (attempts: 3)\""
has "$D" 'Retry-After 3600s is over http.max_backoff (attempts: 1)'
has "$D" "\"url\":\"$BASE/slow?secs=8\",\"code\":\"timeout\""
has "$D" "\"url\":\"$BASE/stall\",\"code\":\"timeout\""
has "$D" "\"url\":\"$BASE/reset\",\"code\":\"network\""
has "$D" '"code":"bad_url","reason":"scheme file is not allowed (http, https; file:// needs http.allow_file)'

# Dropped by policy, counted by reason.
json "$R" "[s for s in d['stages'] if s['id']=='fetch'][0]['drops']=={'too_large':2,'content_type':1,'robots':1,'gone':1}"
json "$R" "[d['records'][k] for k in ('read','exported','dropped','dead_lettered')]==[22,9,5,8]"
stats "s['agents']==['winnow-test/1.0 (+mailto:t@example.org)'] or 'winnow-test/1.0 (+mailto:t@example.org)' in s['agents']"
stats "s['paths']['/robots.txt']==1 and '/private/x' not in s['paths']"
stats "s['paths']['/flaky/kdead']==3 and s['paths']['/flaky/k503']==2 and s['paths']['/flaky/klong']==1"
stats "s['conditional']==0"

# Second run, same state, run.on_change: update (seen pages go through
# the pipeline again): known pages are asked for conditionally and the
# unchanged ones are dropped as not_modified; a page without validators
# is fetched again and, its bytes unchanged, not exported again (seen).
# (No backoff across runs here: the failed ones are tried again at once.)
run_w 2 run "$T/fetch.yaml" --set run.retry_backoff=0
json "$R" "[s for s in d['stages'] if s['id']=='fetch'][0]['drops'].get('not_modified')==3"
lacks "$A" "$BASE/page/a"
lacks "$A" "$BASE/redirect/r1"
lacks "$A" "$BASE/gzip"
stats "s['conditional']==3 and s['not_modified']==3 and s['paths']['/gzip']==2"

# A killed or failed run stores no validators: a run that fails
# (on_error: fail) leaves the state as it was.
check "state has validators" test -s "$T/state/state.db"

finish

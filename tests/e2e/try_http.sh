# `winnow try` gives plugins that fetch an HTTP service, as a run does:
# fetch_http fetches a page, obeys robots.txt by default, takes --http
# options; source_rss reads a feed over HTTP; a bad --http is a usage
# error with the place named.
. "$(dirname "$0")/lib.sh"
. "$WN_SRC/tests/http/lib_http.sh"

mkdir -p "$T/site"
start_server --root "$T/site"
cat >"$T/site/feed.rss" <<RSS
<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>$BASE/page/t1</link><guid>g-1</guid></item>
<item><title>Two</title><link>$BASE/page/t2</link><guid>g-2</guid></item>
</channel></rss>
RSS

# fetch_http on two URLs: the page arrives, the robots-disallowed one is
# dropped with its reason.
printf '{"url": "%s/page/a"}\n{"url": "%s/private/x"}\n' "$BASE" "$BASE" >"$T/urls.jsonl"
HTTP_OPTS='{block_private: false}'
"$WINNOW" try fetch_http --http "$HTTP_OPTS" <"$T/urls.jsonl" >"$T/out.jsonl" 2>"$T/err"
check "try fetch_http exits 2 (one record dropped)" test $? = 2
check "the page is fetched" python3 -c "
import json, sys
r = [json.loads(l) for l in open('$T/out.jsonl')]
sys.exit(0 if len(r) == 2 and r[0].get('http_status') == 200 and r[0].get('raw') and '_outcome' not in r[0] else 1)"
check "robots.txt is obeyed" python3 -c "
import json, sys
r = [json.loads(l) for l in open('$T/out.jsonl')][1]
sys.exit(0 if r.get('_outcome') == 'drop' and 'robots' in r.get('_reason', '') else 1)"

# --http options reach the service: with robots off, both pages arrive.
"$WINNOW" try fetch_http --http '{block_private: false, respect_robots: false}' \
	<"$T/urls.jsonl" >"$T/out2.jsonl" 2>"$T/err"
check "try fetch_http with robots off exits 0" test $? = 0
check "both pages fetched" python3 -c "
import json, sys
r = [json.loads(l) for l in open('$T/out2.jsonl')]
sys.exit(0 if [x.get('http_status') for x in r] == [200, 200] else 1)"

# Without --http the service has a run's defaults (robots.txt on).
run_w 2 try fetch_http <"$T/urls.jsonl"
check "defaults: page fetched, disallowed page dropped" python3 -c "
import json, sys
r = [json.loads(l) for l in open('$T/stdout')]
sys.exit(0 if r[0].get('http_status') == 200 and r[1].get('_code') == 'robots' else 1)"

# A source that fetches: source_rss over HTTP.
run_w 0 try source_rss --http "$HTTP_OPTS" --with "{urls: [\"$BASE/files/feed.rss\"]}"
check "the feed's two items" python3 -c "
import json, sys
r = [json.loads(l) for l in open('$T/stdout')]
sys.exit(0 if [x.get('title') for x in r] == ['One', 'Two'] and r[0]['url'].endswith('/page/t1') else 1)"

# A bad --http: exit 78, the option and the key named.
run_w 78 try fetch_http --http '{delai: 1s}'
has "$T/err" "--http"
has "$T/err" "delay"

finish

# Feeds through whole runs: RSS and Atom read over HTTP, their pages
# fetched; a second run with the same state sends only conditional
# requests and exports nothing; a changed feed exports only its new item.
. "$(dirname "$0")/lib.sh"
. "$WN_SRC/tests/http/lib_http.sh"

mkdir -p "$T/site"
start_server --root "$T/site"

# write_rss N: a feed with items 1..N linking to /page/fN.
write_rss() {
	{
		echo '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
		for i in $(seq 1 "$1"); do
			echo "<item><title>Item $i</title><link>$BASE/page/f$i</link><guid>g-$i</guid>"
			echo "<pubDate>Mon, 0$i Jan 2024 10:00:00 +0000</pubDate></item>"
		done
		echo '</channel></rss>'
	} >"$T/site/feed.rss"
}
write_rss 3
cat >"$T/site/feed.atom" <<ATOM
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>
<entry><title>Atom one</title><link href="/page/a1"/><id>urn:a:1</id><updated>2024-02-01T00:00:00Z</updated></entry>
<entry><title>Atom two</title><link href="$BASE/page/a2"/><id>urn:a:2</id><updated>2024-02-02T00:00:00Z</updated></entry>
</feed>
ATOM
cat >"$T/feeds.yaml" <<YAML
version: 1
run: { name: feeds, output_dir: out, state: state/state.db, workers: 2 }
http: { per_host: 2, retries: 1, backoff: 10ms }
sources:
  - { id: rss, use: source_rss, with: { urls: ["$BASE/files/feed.rss", "$BASE/files/feed.atom"] } }
pipeline:
  - { id: fetch, use: fetch_http }
sinks:
  - { id: json, use: export_json }
YAML

run_w 0 run "$T/feeds.yaml"
A="$T/out/articles.jsonl"
lines "$A" 5
has "$A" "\"url\":\"$BASE/page/a1\"" # relative Atom link made absolute
has "$A" '"title":"Item 2"'
has "$A" '"published":"2024-01-02T10:00:00Z"'
has "$A" "\"feed_url\":\"$BASE/files/feed.atom\""
has "$A" '"http_status":200'
stats "s['conditional']==0 and s['requests']==8" # robots, 2 feeds, 5 pages

# Same state, nothing changed: two conditional feed requests, both 304,
# no page asked for, nothing exported (robots.txt is read once a run).
run_w 0 run "$T/feeds.yaml"
lines "$A" 0
json "$T/out/run.json" "d['stages'][0]['counters']=={'feeds_not_modified':2} and d['records']['read']==0"
stats "s['requests']==11 and s['paths']['/robots.txt']==2 and s['conditional']==2 and s['not_modified']==2"

# A new item: the changed feed is read again; its items an earlier run
# exported are skipped as seen without a request, the new one exported.
write_rss 4
run_w 0 run "$T/feeds.yaml"
lines "$A" 1
has "$A" "\"url\":\"$BASE/page/f4\""
json "$T/out/run.json" "[d['records'][k] for k in ('read','exported','seen','dead_lettered')]==[4,1,3,0]"
stats "s['requests']==15 and s['paths']['/page/f1']==1 and s['conditional']==4 and s['not_modified']==3"

# With run.on_change: update, seen items go on to fetch_http, which asks
# for them conditionally: unchanged pages answer 304 and are dropped as
# not_modified; only the new item is exported.
write_rss 5
run_w 0 run "$T/feeds.yaml" --set run.on_change=update
lines "$A" 1
has "$A" "\"url\":\"$BASE/page/f5\""
json "$T/out/run.json" "d['stages'][1]['drops']=={'not_modified':4} and d['records']['exported']==1"
stats "s['requests']==23 and s['conditional']==10 and s['not_modified']==8 and s['paths']['/page/f1']==2"

# --reprocess asks for the feeds and pages unconditionally and exports
# every item again (nothing comes back 304).
run_w 0 run "$T/feeds.yaml" --reprocess
json "$T/out/run.json" "d['records']['exported']==7 and d['records']['seen']==0 and d['records']['dropped']==0"
stats "s['conditional']==10"

# A feed that is not there: one dead letter, the other feed still read.
sed "s|feed.rss|missing.rss|" "$T/feeds.yaml" >"$T/missing.yaml"
sed -i "s|state/state.db|state/other.db|" "$T/missing.yaml"
run_w 2 run "$T/missing.yaml"
lines "$T/out/articles.jsonl" 2
has "$T/out/dead_letter.jsonl" '"code":"http_404"'
has "$T/out/dead_letter.jsonl" "\"url\":\"$BASE/files/missing.rss\""

# configs/news-feeds.yaml works as shipped, pointed at the local feed:
# the whole pipeline runs, and the next run finds the feed unchanged.
NF="$WN_SRC/configs/news-feeds.yaml"
set_local() {
	run_w 0 run "$NF" --set "feeds.urls=[$BASE/files/feed.rss]" --set run.output_dir="$T/news" \
		--set run.state="$T/news-state.db" --set http.block_private=false --set http.delay=0
}
set_local
json "$T/news/run.json" "d['records']['read']==5 and d['stages'][1]['ok']==5 and d['status']=='ok'"
set_local
json "$T/news/run.json" "d['records']['read']==0 and d['stages'][0]['counters']=={'feeds_not_modified':1}"

finish

# Redirects are followed by the HTTP service hop by hop, each hop as a job
# of its own host: the target host's robots.txt is read (once) and obeyed,
# its per-host limit and delay hold, relative Locations resolve, loops and
# too many hops end with a reason, a redirect cannot lead to another
# scheme, and trust (no block_private) does not follow a redirect to
# another host. Two servers on two ports are two hosts (origins).
. "$(dirname "$0")/lib.sh"
. "$WN_SRC/tests/http/lib_http.sh"

start_server
A=$BASE
start_server
B=$BASE
PB=$PORT

# stats_of URL PYEXPR: stats() against another server.
stats_of() {
	local keep=$BASE
	BASE=$1
	stats "$2"
	BASE=$keep
}

cat >"$T/urls.txt" <<URLS
$B/page/d1
$A/goto?to=$B/page/d2
$B/page/d3
$A/goto?to=$B/page/d4
$A/goto?to=$B/page/x
$A/goto?to=$B/private/y
$A/goto?to=../page/rel
$A/loop/a
$A/chain?n=2
$A/chain?n=3
$A/goto?to=ftp://example.org/f
$A/goto?to=file:///etc/hostname
URLS
cat >"$T/r.yaml" <<YAML
version: 1
run: { name: redirect, output_dir: out, workers: 2, batch_size: 4 }
http: { max_redirects: 3, per_host: 1, delay: 300ms, retries: 0, threads: 2, allow_file: true }
sources:
  - { id: urls, use: source_urls, with: { file: urls.txt } }
pipeline:
  - { id: fetch, use: fetch_http }
sinks:
  - { id: json, use: export_json, with: { fields: [url, final_url, http_status] } }
YAML
run_w 2 run "$T/r.yaml"
J="$T/out/articles.jsonl"
D="$T/out/dead_letter.jsonl"
P="$T/out/dropped.jsonl"

# Exported with the final URL, the asked one kept as url.
lines "$J" 7
has "$J" "\"url\":\"$A/goto?to=$B/page/x\",\"final_url\":\"$B/page/x\",\"http_status\":200"
has "$J" "\"url\":\"$A/goto?to=$B/page/d2\",\"final_url\":\"$B/page/d2\""
has "$J" "\"url\":\"$A/goto?to=../page/rel\",\"final_url\":\"$A/page/rel\""
has "$J" "\"url\":\"$A/chain?n=2\",\"final_url\":\"$A/page/chain\""

# The target's robots.txt was read, once, and its Disallow obeyed: the
# page is dropped with a reason naming the target and the URL asked.
has "$P" "\"code\":\"robots\",\"reason\":\"robots.txt of http://127.0.0.1:$PB disallows /private/y (redirected from $A/goto?to=$B/private/y)"
stats_of "$B" "s['paths']['/robots.txt']==1 and '/private/y' not in s['paths']"
stats_of "$A" "s['paths']['/robots.txt']==1"

# The target's own politeness: one connection at a time and 300ms between
# request starts on B, whether a request came direct or by redirect.
stats_of "$B" "s['max_conns']==1 and s['min_gap_ms']>=200 and all(s['paths']['/page/d%d'%i]==1 for i in range(1,5))"

# A loop is seen as one (each URL asked once), a longer chain is cut at
# max_redirects (chain?n=N takes N+1), and a redirect cannot leave
# http(s) even with allow_file.
has "$D" "\"code\":\"too_many_redirects\",\"reason\":\"redirect loop: $A/loop/b leads back to $A/loop/a"
stats_of "$A" "s['paths']['/loop/a']==1 and s['paths']['/loop/b']==1"
has "$D" "\"url\":\"$A/chain?n=3\",\"code\":\"too_many_redirects\",\"reason\":\"more than 3 redirects (the next to $A/page/chain)"
stats_of "$A" "s['paths']['/chain']==7 and s['paths']['/page/chain']==1"
has "$D" '"code":"bad_url","reason":"scheme ftp is not allowed (http, https) in a redirect to ftp://example.org/f'
has "$D" '"code":"bad_url","reason":"scheme file is not allowed (http, https) in a redirect to file:///etc/hostname'
lines "$D" 4

# block_private: a trusted URL's redirect on its own host stays trusted;
# one to another host (localhost, not 127.0.0.1) is checked and refused.
cat >"$T/urls.txt" <<URLS
$A/goto?to=http://localhost:$PORT/page/z
$A/redirect/r1
URLS
cat >"$T/b.yaml" <<YAML
version: 1
run: { name: redirect_private, output_dir: out }
http: { block_private: true }
sources:
  - { id: urls, use: source_urls, with: { file: urls.txt } }
pipeline:
  - { id: fetch, use: fetch_http, with: { trusted: true } }
sinks:
  - { id: json, use: export_json, with: { fields: [url, final_url] } }
YAML
run_w 0 run "$T/b.yaml"
lines "$J" 1
has "$J" "\"final_url\":\"$A/page/r1\""
# The untrusted hop is refused before anything is sent to it, its
# robots.txt included (nothing may reach a private address).
has "$P" "\"code\":\"blocked\",\"reason\":\"refused: http://localhost:$PORT/robots.txt resolves to a private, loopback or link-local address (http.block_private)"
has "$P" "(redirected from $A/goto?to=http://localhost:$PORT/page/z)"
stats_of "$B" "'/page/z' not in s['paths']"

finish

# http.block_private holds for robots.txt too (the audit's blind SSRF):
# nothing at all is sent to a refused address, robots.txt included, and a
# trusted host's robots.txt that redirects to another host is checked at
# that hop and refused. A host that is down is a failure of the source
# (dead letter "unreachable", exit 2), never a drop by robots.txt.
. "$(dirname "$0")/lib.sh"
. "$WN_SRC/tests/http/lib_http.sh"

start_server # M: stands for a private service (cloud metadata, an admin port)
M=$BASE
PM=$PORT
start_server --robots-redirect "http://localhost:$PM/latest/meta-data/iam/" # a hostile public host
H=$BASE

conf() { # FILE TRUSTED
	cat >"$1" <<YAML
version: 1
run: { name: ssrf, output_dir: out }
http: { block_private: true }
sources:
  - { id: urls, use: source_urls, with: { file: urls.txt } }
pipeline:
  - { id: fetch, use: fetch_http, with: { trusted: $2 } }
sinks:
  - { id: json, use: export_json }
YAML
}

# 1. An untrusted page on a private address: refused, and not even its
#    robots.txt is asked for.
echo "http://localhost:$PM/page/a" >"$T/urls.txt"
conf "$T/u.yaml" false
run_w 0 run "$T/u.yaml"
has "$T/out/dropped.jsonl" '"code":"blocked"'
stats_of() { local keep=$BASE; BASE=$1; stats "$2"; BASE=$keep; }
stats_of "$M" "s['requests'] == 0"

# 2. A trusted page whose host's robots.txt redirects to another host: the
#    redirect hop is checked like a page and refused; M sees nothing.
echo "$H/page/b" >"$T/urls.txt"
conf "$T/t.yaml" true
"$WINNOW" run "$T/t.yaml" >"$T/stdout" 2>"$T/err"
stats_of "$M" "s['requests'] == 0"
stats_of "$H" "s['paths'].get('/robots.txt') == 1"
check "the page is not exported" test ! -s "$T/out/articles.jsonl"

# 3. A host that is down: dead-lettered as unreachable, exit 2, no robots drop.
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1]); s.close()")
echo "http://127.0.0.1:$port/page/c" >"$T/urls.txt"
conf "$T/d.yaml" true
run_w 2 run "$T/d.yaml" --set http.retries=0
has "$T/out/dead_letter.jsonl" '"code":"unreachable"'
check "no robots drop for a host that is down" sh -c "! grep -q '\"code\":\"robots\"' '$T/out/dropped.jsonl'"
finish

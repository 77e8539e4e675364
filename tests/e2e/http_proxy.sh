# block_private through a proxy: curl connects only to the proxy, so the
# service checks the target host names itself. The test server doubles as
# the proxy on 127.0.0.1 (a loopback proxy must not refuse everything); a
# public literal address goes through it, loopback, private and
# unresolvable targets are refused before any request reaches it.
. "$(dirname "$0")/lib.sh"
. "$WN_SRC/tests/http/lib_http.sh"

start_server
export http_proxy="http://127.0.0.1:$PORT"
unset no_proxy NO_PROXY

cat >"$T/urls.txt" <<URLS
http://93.184.216.34/page/pub
http://127.0.0.1:9/page/lo
http://localhost:9/page/lh
http://10.1.2.3/page/ten
http://no-such-host.invalid/page/nx
URLS
cat >"$T/p.yaml" <<YAML
version: 1
run: { name: proxy, output_dir: out }
http: { block_private: true, respect_robots: false, retries: 0 }
sources:
  - { id: urls, use: source_urls, with: { file: urls.txt } }
pipeline:
  - { id: fetch, use: fetch_http }
sinks:
  - { id: json, use: export_json, with: { fields: [url, final_url] } }
YAML
run_w 0 run "$T/p.yaml"
lines "$T/out/articles.jsonl" 1
has "$T/out/articles.jsonl" '"final_url":"http://93.184.216.34/page/pub"'
json "$T/out/run.json" "d['stages'][1]['drops']=={'blocked':4}"
P="$T/out/dropped.jsonl"
has "$P" '"reason":"refused: http://127.0.0.1:9/page/lo resolves to a private'
has "$P" '"reason":"refused: http://localhost:9/page/lh resolves to a private'
has "$P" '"reason":"refused: http://10.1.2.3/page/ten resolves to a private'
has "$P" '"reason":"refused: http://no-such-host.invalid/page/nx cannot be checked, its host does not resolve here (http.block_private through a proxy)'
stats "s['proxied']==['http://93.184.216.34/page/pub']"

# Without block_private everything goes to the proxy.
sed -i 's/block_private: true/block_private: false/' "$T/p.yaml"
run_w 0 run "$T/p.yaml"
lines "$T/out/articles.jsonl" 5
stats "len(s['proxied'])==6"

finish

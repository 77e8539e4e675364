# ABI 2.0: every exchanged struct says its size. One case per struct
# (tests/bad_plugins): the option table's stride in the descriptor,
# wn_entity through add_entity, wn_http_req and wn_http_resp through
# http_fetch; plus a plugin built for ABI 1.1, refused from the file
# before any of its code (its constructor) runs. Each asserts the exact
# outcome: exit code, message, what reached the outputs.
. "$(dirname "$0")/lib.sh"

# stage_config FILE STAGE_YAML [HTTP_YAML]: test_gen -> STAGE -> export_json
stage_config() {
	cat >"$1" <<YAML
version: 1
run: { output_dir: out, plugin_path: [$TESTKIT, $BAD] }
${3:-}
sources:
  - { id: gen, use: test_gen, with: { count: 3, size: 64 } }
pipeline:
  - $2
sinks:
  - { id: json, use: export_json }
YAML
}

# --- ABI 1.x: refused with the file, both ABIs and what to do ----------
stage_config "$T/v1.yaml" "{ id: old, use: old_abi1 }"
run_w 78 check "$T/v1.yaml"
has "$T/err" "plugin 'old_abi1' ($BAD/old_abi1.so) was built for plugin ABI 1.1, but this winnow"
has "$T/err" "speaks ABI 2.0: ABI 1.x structs carry no size, so they cannot be read safely: rebuild the plugin against this winnow's plugin.h"
lacks "$T/err" "constructor ran"
run_w 78 run "$T/v1.yaml"
lacks "$T/err" "constructor ran"
check "nothing written" test ! -e "$T/out/articles.jsonl"

# --- wn_option: the table's stride (descriptor option_size) -------------
stage_config "$T/opt.yaml" "{ id: opt, use: option_size_zero }"
run_w 78 check "$T/opt.yaml"
has "$T/err" "plugin 'option_size_zero' ($BAD/option_size_zero.so): its option_size is 0, but a wn_option of plugin ABI 2.0 is"
has "$T/err" "set the size with WN_PLUGIN_HEADER"

# --- wn_entity: add_entity reads the plugin's size ----------------------
stage_config "$T/ent.yaml" "{ id: ent, use: entity_size }"
run_w 0 run "$T/ent.yaml"
has "$T/out/articles.jsonl" '"type":"ORG","text":"Acme"'
lines "$T/out/articles.jsonl" 3
for size in 0 40 4096; do
	stage_config "$T/ent$size.yaml" "{ id: ent, use: entity_size, with: { size: $size } }"
	run_w 2 run "$T/ent$size.yaml" # a partial run: the stage stopped
	has "$T/err" "stage stopped (fatal error) at record"
	has "$T/err" "add_entity: wn_entity.size is $size, but a wn_entity of plugin ABI 2.0 is"
	has "$T/err" "set the size with WN_ENTITY_INIT"
	json "$T/out/run.json" "d['stages'][1]['ok']==0 and d['records']['exported']==0"
done

# --- wn_http_req and wn_http_resp: http_fetch reads and writes by size --
printf 'hello abi\n' >"$T/page.txt"
url="file://$T/page.txt"
HTTP="http: { allow_file: true }"
stage_config "$T/http.yaml" "{ id: get, use: http_size, with: { url: \"$url\" } }" "$HTTP"
run_w 0 run "$T/http.yaml"
has "$T/out/articles.jsonl" '"body_len":10'
has "$T/out/articles.jsonl" '"rcs":"0,0"'
has "$T/out/articles.jsonl" '"canary":1'
http_case() { # WITH MESSAGE
	stage_config "$T/h.yaml" "{ id: get, use: http_size, with: { url: \"$url\", $1 } }" "$HTTP"
	run_w 2 run "$T/h.yaml"
	has "$T/err" "$2"
	lacks "$T/out/articles.jsonl" '"rcs"'
}
http_case "req_size: 0" "http_fetch: reqs[0].size is 0, but a wn_http_req of plugin ABI 2.0 is"
has "$T/err" "set the size with WN_HTTP_REQ_INIT"
http_case "req_size: 8" "http_fetch: reqs[0].size is 8, but a wn_http_req"
http_case "resp_size: 0" "http_fetch: resps[0].size is 0, but a wn_http_resp of plugin ABI 2.0 is"
has "$T/err" "set the size with WN_HTTP_RESP_INIT"
http_case "resp_size: 64" "http_fetch: resps[0].size is 64, but a wn_http_resp"
http_case "resp_size: 1024" "http_fetch: resps[0].size is 1024, but a wn_http_resp"
http_case "mismatch: true" "http_fetch: reqs[1].size is"
has "$T/err" "every element must have the same size"
finish

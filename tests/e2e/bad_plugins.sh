# Deliberately bad plugins: each gets its own clear message and the right
# exit code; a crashing plugin is named with its stage and record.
. "$(dirname "$0")/lib.sh"

bad_config() { # FILE USE
	cat >"$1" <<YAML
version: 1
run: { output_dir: out, plugin_path: [$TESTKIT, $BAD] }
sources:
  - { id: gen, use: test_gen, with: { count: 10 } }
pipeline:
  - { id: bad, use: $2 }
sinks:
  - { id: json, use: export_json }
YAML
}

bad_config "$T/major.yaml" wrong_major
run_w 78 run "$T/major.yaml"
has "$T/err" "was built for plugin ABI 3.0, but this winnow"
has "$T/err" "upgrade winnow, or rebuild the plugin"
# Refused from the file, before dlopen: its constructor never ran.
lacks "$T/err" "constructor ran"

bad_config "$T/minor.yaml" newer_minor
run_w 78 run "$T/minor.yaml"
has "$T/err" "newer than this winnow"

bad_config "$T/nodesc.yaml" no_descriptor
run_w 78 run "$T/nodesc.yaml"
has "$T/err" "does not export wn_plugin_no_descriptor"

bad_config "$T/name.yaml" name_mismatch
run_w 78 run "$T/name.yaml"
has "$T/err" "its descriptor is named 'some_other_name'"

bad_config "$T/nocb.yaml" no_callback
run_w 78 run "$T/nocb.yaml"
has "$T/err" "is a transform but has no process or batch callback"

bad_config "$T/tiny.yaml" tiny_symbol
run_w 78 run "$T/tiny.yaml"
has "$T/err" "not a winnow descriptor"

# A plugin path given directly.
bad_config "$T/path.yaml" "$BAD/wrong_major.so"
run_w 78 check "$T/path.yaml"
has "$T/err" "wrong_major"

# A plugin that segfaults on one record: the runner says where, dies by
# the same signal, and commits nothing.
gen_config "$T/crash.yaml" 50 "  - { id: crashy, use: test_pass, with: { crash_at: 17 } }"
"$WINNOW" run "$T/crash.yaml" >"$T/out.txt" 2>"$T/err"
code=$?
check "killed by SIGSEGV (exit $code)" test "$code" = 139
has "$T/err" "crashed (SIGSEGV) in stage 'crashy' (plugin test_pass 1.0.0) on record"
id=$(python3 -c "import hashlib;print(hashlib.sha256(b'https://gen.example/17').hexdigest()[:16])")
has "$T/err" "on record $id"
check "nothing committed" test ! -e "$T/out/articles.jsonl"

# The same for an abort() (SIGABRT), on another worker count.
gen_config "$T/abort.yaml" 50 "  - { id: aborts, use: test_pass, with: { abort_at: 33 } }" ", workers: 1"
"$WINNOW" run "$T/abort.yaml" >"$T/out.txt" 2>"$T/err"
code=$?
check "killed by SIGABRT (exit $code)" test "$code" = 134
has "$T/err" "crashed (SIGABRT) in stage 'aborts' (plugin test_pass 1.0.0) on record"
check "nothing committed" test ! -e "$T/out/articles.jsonl"
finish

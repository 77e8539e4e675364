# Config errors: file:line:col, did-you-mean, exit 78, nothing run.
. "$(dirname "$0")/lib.sh"

cat >"$T/typo.yaml" <<YAML
version: 1
run: { output_dir: out, plugin_path: [$TESTKIT] }
sources:
  - id: gen
    use: test_gen
    with:
      cuont: 5
sinks:
  - { id: json, use: export_json }
YAML
run_w 78 run "$T/typo.yaml"
has "$T/err" "typo.yaml:7:7: error:"
has "$T/err" "did you mean 'count'"
check "nothing written" test ! -e "$T/out/articles.jsonl"

# An unknown run key, with its suggestion.
sed 's/output_dir: out/output_dir: out, wrokers: 2/' "$T/typo.yaml" | sed 's/cuont/count/' >"$T/runkey.yaml"
run_w 78 check "$T/runkey.yaml"
has "$T/err" "runkey.yaml:2:"
has "$T/err" "did you mean 'workers'"

# An unknown plugin.
sed 's/use: test_gen/use: test_gne/; s/cuont/count/' "$T/typo.yaml" >"$T/noplug.yaml"
run_w 78 run "$T/noplug.yaml"
has "$T/err" "noplug.yaml:4:"
has "$T/err" "no plugin named 'test_gne'"

# A plugin in the wrong section.
cat >"$T/kind.yaml" <<YAML
version: 1
run: { plugin_path: [$TESTKIT] }
sources:
  - { id: gen, use: test_gen }
pipeline:
  - { id: j, use: export_json }
sinks:
  - { id: json, use: export_json }
YAML
run_w 78 check "$T/kind.yaml"
has "$T/err" "plugin 'export_json' is a sink and cannot be used in pipeline"

# A bad engine value; then bad option types and an enum choice, all
# reported in one go.
cat >"$T/workers.yaml" <<YAML
version: 1
run: { plugin_path: [$TESTKIT], workers: many }
sources:
  - { id: gen, use: test_gen }
sinks:
  - { id: json, use: export_json }
YAML
run_w 78 check "$T/workers.yaml"
has "$T/err" "workers.yaml:2:"
cat >"$T/types.yaml" <<YAML
version: 1
run: { plugin_path: [$TESTKIT] }
sources:
  - { id: gen, use: test_gen, with: { count: lots } }
sinks:
  - { id: json, use: export_json, with: { format: xml } }
YAML
run_w 78 check "$T/types.yaml"
has "$T/err" "types.yaml:4:"
has "$T/err" "types.yaml:6:"
has "$T/err" "2 errors"

# Engine keys and plugin options are kept apart.
cat >"$T/apart.yaml" <<YAML
version: 1
run: { plugin_path: [$TESTKIT] }
sources:
  - { id: gen, use: test_gen }
sinks:
  - { id: json, use: export_json, path: x.jsonl }
YAML
run_w 78 check "$T/apart.yaml"
has "$T/err" "with:"

# A misspelt --set option is caught the same way.
sed 's/cuont/count/' "$T/typo.yaml" >"$T/good.yaml"
run_w 0 check "$T/good.yaml"
run_w 78 check "$T/good.yaml" --set gen.cuont=3
has "$T/err" "did you mean 'count'"

# ${VAR} and ${VAR:-default}.
cat >"$T/vars.yaml" <<YAML
version: 1
run: { output_dir: "\${WN_TEST_OUT:-fallback}", plugin_path: [$TESTKIT] }
sources:
  - { id: gen, use: test_gen, with: { count: 3 } }
sinks:
  - { id: json, use: export_json }
YAML
run_w 0 run "$T/vars.yaml"
check "default used" test -s "$T/fallback/articles.jsonl"
WN_TEST_OUT="$T/fromenv" run_w 0 run "$T/vars.yaml"
check "env used" test -s "$T/fromenv/articles.jsonl"
finish

# Helpers for the end-to-end tests. Each test sources this file, gets a
# fresh $T folder (removed on exit) and reports "N passed, N failed".
set -u
: "${WINNOW:?}" "${WN_BUILD:?}" "${WN_SRC:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/wn-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
TESTKIT="$WN_BUILD/testkit"
BAD="$WN_BUILD/bad_plugins"
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
	local what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}

# run_w CODE ARGS...: runs winnow with ARGS, stdout to $T/stdout, stderr to
# $T/err, and checks the exit code.
run_w() {
	local want=$1
	shift
	"$WINNOW" "$@" >"$T/stdout" 2>"$T/err"
	local got=$?
	if [ "$got" = "$want" ]; then ok; else
		bad "winnow $* exited $got, expected $want"
		sed 's/^/  stderr: /' "$T/err" | head -20 >&2
	fi
}

# has FILE TEXT: FILE contains TEXT (fixed string).
has() {
	if grep -qF -- "$2" "$1"; then ok; else
		bad "$1 lacks: $2"
		sed 's/^/  | /' "$1" | head -20 >&2
	fi
}

# lacks FILE TEXT
lacks() {
	if grep -qF -- "$2" "$1"; then bad "$1 should not contain: $2"; else ok; fi
}

# json FILE PYEXPR: a Python expression over `d` (the parsed JSON) is true.
json() {
	if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; then
		ok
	else
		bad "$1: $2"
	fi
}

# lines FILE N: FILE has exactly N lines.
lines() {
	local n
	n=$(wc -l <"$1")
	if [ "$n" = "$2" ]; then ok; else bad "$1 has $n lines, expected $2"; fi
}

# A config over the synthetic source: gen_config FILE COUNT PIPELINE_YAML [RUN_EXTRA]
gen_config() {
	cat >"$1" <<YAML
version: 1
run: { output_dir: out, plugin_path: [$TESTKIT] ${4:-} }
sources:
  - { id: gen, use: test_gen, with: { count: $2, size: 512 } }
pipeline:
$3
sinks:
  - { id: json, use: export_json }
  - { id: csv, use: export_csv }
YAML
}

finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
}

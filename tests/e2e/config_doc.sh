# The engine's config keys: docs/config.md holds exactly the tables
# `winnow help config SECTION --markdown` prints from the key tables
# (pipeline/src/config_keys.c; scripts/config-doc regenerates them), every
# section has its block, and `winnow help config` shows every key with
# its type, default and range.
. "$(dirname "$0")/lib.sh"

doc="$WN_SRC/docs/config.md"
run_w 0 help config
cp "$T/stdout" "$T/all"
sections=$(sed -n 's/^\([a-z_]*\): .*/\1/p' "$T/all")
check "help config names the sections" test "$(echo $sections)" = "run http stage dead_letter dedup"
for s in $sections; do
	sed -n "/^<!-- BEGIN winnow help config $s -->/,/^<!-- END winnow help config $s -->/p" \
		"$doc" | sed '1d;$d' >"$T/doc.$s"
	check "docs/config.md has a block for $s" test -s "$T/doc.$s"
	run_w 0 help config "$s" --markdown
	if cmp -s "$T/stdout" "$T/doc.$s"; then ok; else
		bad "docs/config.md drifted from the $s table: run scripts/config-doc"
		diff "$T/doc.$s" "$T/stdout" | head -20 >&2
	fi
done

# Every key with type, default and range, as the tables say.
grep -qE '^  workers +int +2 +1\.\.256 +transform threads' "$T/all" && ok || bad "workers row"
grep -qE '^  timeout +duration +30s +1ms\.\.1099511627776ms +whole transfer' "$T/all" && ok ||
	bad "http timeout row"
grep -qE '^  threshold +real +0\.8 +\(0\.\.1\] ' "$T/all" && ok || bad "dedup threshold row"
grep -qE '^  on_error +enum +dead_letter +dead_letter\|drop\|skip\|fail ' "$T/all" && ok ||
	bad "on_error row"
grep -qE '^  retry\.max +int +3 +0\.\.100 ' "$T/all" && ok || bad "retry.max row"
grep -qE '^  max_record_size +size +64MiB +1KiB\.\. ' "$T/all" && ok || bad "max_record_size row"
# Every key the runner accepts is printed: one line per key.
for k in name output_dir state lock workers batch_size queue time_budget max_record_size \
	plugin_path gone_after retry_backoff record_timeout keep on_change latest metrics \
	user_agent connect_timeout low_speed_limit low_speed_time max_body max_redirects \
	concurrency threads per_host delay retries backoff max_backoff respect_robots accept \
	allow_file verify_tls block_private use id with when retry retry.backoff \
	retry.max_backoff path drops exact near shingle field; do
	grep -qE "^  $k " "$T/all" && ok || bad "help config lacks $k"
done

# One section, and the errors.
run_w 0 help config http
has "$T/stdout" "http: the HTTP service"
lacks "$T/stdout" "dedup:"
run_w 64 help config htpp
has "$T/err" "did you mean 'http'"
run_w 64 help config run --bogus
has "$T/err" "unexpected argument"

# The generator rewrites only the blocks: on a copy with a changed row it
# restores the page.
mkdir -p "$T/src/docs" "$T/src/scripts"
cp "$WN_SRC/scripts/config-doc" "$T/src/scripts/"
sed 's/^| `workers` | int | `2` |/| `workers` | int | `3` |/' "$doc" >"$T/src/docs/config.md"
if cmp -s "$doc" "$T/src/docs/config.md"; then bad "the sed did not change the copy"; else ok; fi
sh "$T/src/scripts/config-doc" "$WINNOW"
check "scripts/config-doc regenerates docs/config.md" cmp -s "$doc" "$T/src/docs/config.md"
finish

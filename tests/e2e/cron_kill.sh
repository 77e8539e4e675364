# Kill safety across runs, as a reader sees it: runs over 2,000 records
# are SIGKILLed at random moments and at every step of the commit
# (WINNOW_CRASH_AT), then run to the end; after every kill each visible
# output set is complete and consistent, and across the committed runs
# every record is exported exactly once, and the databases the runs
# accumulate, SQLite (export_sqlite) and PostgreSQL (export_postgres, on a
# private server this test starts), hold each article at most once and
# exactly what the committed runs exported. Both layouts: a folder per run
# and one fixed folder. WN_KILLS sets the kills per layout (default 24, half
# of them at a commit step, so each of the 9 steps, 7 without PostgreSQL,
# is hit at least once;
# tests/stress/kill-loop runs hundreds). Without the PostgreSQL server
# binaries or the plugin, the PostgreSQL part is skipped with a message
# (the Makefile installs them, so CI runs it).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.bash"

kills=${WN_KILLS:-24}
if pg_bin && pg_plugin; then
	pg_init
	export WN_PSQL="$pg_bin/psql"
else
	echo "SKIP (PostgreSQL part only): needs postgresql (initdb, pg_ctl) and the export_postgres plugin (libpq-dev)"
fi
for layout in per-run fixed; do
	mkdir -p "$T/$layout"
	db=kill_${layout%-run}
	[ -z "${WN_PSQL:-}" ] || q "CREATE DATABASE $db"
	check "$layout: complete sets, exactly once" env PGDATABASE=$db \
		python3 "$WN_SRC/tests/e2e/kill_check.py" "$WINNOW" "$TESTKIT" "$T/$layout" "$layout" "$kills" 7
done
d="$T/per-run"
cat >"$d/check.py" <<'PY'
import os, sys
d = sys.argv[1]
names = [x for x in os.listdir(d) if not x.startswith(".")]
sys.exit(0 if all(os.path.exists(os.path.join(d, x, "run.json")) for x in names) else 1)
PY
check "latest points at a committed run" test -f "$d/out/latest/run.json"
check "only committed run folders are visible" python3 "$d/check.py" "$d/out"
check "no staging left beside the folders" sh -c "! ls -a '$d/out' | grep -q '\.winnow\.'"
check "no staging left in the fixed folder" test "$(ls "$T/fixed/out/.winnow" | grep -c '^gen\.')" = 1
"$WINNOW" runs "$d/c.yaml" >"$T/runs.txt"
has "$T/runs.txt" "committed"
has "$T/runs.txt" "killed"
finish

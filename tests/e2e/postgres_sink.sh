# export_postgres against a private PostgreSQL server this test starts
# (initdb + pg_ctl in its temp folder, Unix socket only) and stops: typed
# tables, a full-text column with its GIN index, the run's drops in
# `dropped`, a rerun is idempotent, a schema already present is used, a run
# killed before the sink's COMMIT (or after it, before the run committed)
# leaves each article at most once, a server that goes away mid-run gives
# exit 1 with a clear error and nothing half-written, and a password in the
# config is refused. Skips (77) without the server binaries or the plugin.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.bash"

if ! pg_bin || ! pg_plugin; then
	echo "SKIP: needs postgresql (initdb, pg_ctl) and the export_postgres plugin (libpq-dev)"
	exit 77
fi
pg_init

cat >"$T/c.yaml" <<EOF
version: 1
run: { name: t, output_dir: out, state: state.db }
sources:
  - { id: s, use: source_files, with: { paths: ["$WN_SRC/samples/articles"] } }
pipeline:
  - { id: html, use: clean_html }
  - { id: text, use: clean_text }
  - { id: quality, use: filter_quality, with: { min_words: 260 } }
  - { id: entities, use: extract_entities }
sinks:
  - { id: json, use: export_json, with: { path: articles.jsonl } }
  - { id: pg, use: export_postgres }
EOF

# a schema already present: a runs table made by hand, and an articles
# table of an older winnow that lacks some catalogue columns
q "CREATE TABLE runs (run_id text PRIMARY KEY, started_at timestamptz, committed_at timestamptz NOT NULL, articles bigint NOT NULL, entities bigint NOT NULL)"
q "CREATE TABLE articles (id text PRIMARY KEY, url text, title text, run_id text NOT NULL)"
run_w 0 run "$T/c.yaml" --limit 5
first=$(q 'SELECT count(*) FROM articles')
check "first run: its articles ($first of 5 read)" test "$first" -gt 0 -a "$first" = "$(wc -l <"$T/out/articles.jsonl")"
check "missing catalogue columns added" test "$(q "SELECT count(*) FROM information_schema.columns WHERE table_name = 'articles' AND column_name IN ('page_type', 'text', 'published')")" = 3
check "typed columns" test "$(q "SELECT string_agg(data_type, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'articles' AND column_name IN ('published', 'word_count', 'lang_confidence')")" = "double precision,timestamp with time zone,bigint"
check "entity offsets in code points" \
	test "$(q 'SELECT count(*) FROM entities e JOIN articles a ON a.id = e.article_id WHERE substr(a.text, (e.start + 1)::int, (e."end" - e.start)::int) <> e.text')" = 0
check "entities written" test "$(q 'SELECT count(*) FROM entities')" -gt 0
check "full-text column with a GIN index" test "$(q "SELECT count(*) FROM pg_indexes WHERE tablename = 'articles' AND indexdef LIKE '%USING gin (fts)%'")" = 1
w=$(q "SELECT lower(split_part(title, ' ', 1)) FROM articles WHERE title ~ '^[A-Za-z]{4,} ' LIMIT 1")
check "full-text search finds a title word ($w)" test "$(q "SELECT count(*) FROM articles WHERE fts @@ plainto_tsquery('simple', '$w')")" -ge 1
check "full-text search uses the index" sh -c "'$pg_bin/psql' -XAtqc \"SET enable_seqscan = off; EXPLAIN SELECT id FROM articles WHERE fts @@ plainto_tsquery('simple', 'news')\" | grep -q articles_fts"
snap() { q "SELECT count(*), md5(string_agg(id || coalesce(title, '') || run_id, '' ORDER BY id)) FROM articles"; q 'SELECT count(*) FROM entities'; q 'SELECT count(*) FROM runs'; q 'SELECT count(*) FROM dropped'; }
snap >"$T/before"

WINNOW_CRASH_AT=postgres:written sh -c '"$0" run "$1" --limit 5 2>/dev/null' "$WINNOW" "$T/c.yaml"
check "kill before the sink commits: exit 137" test $? = 137
snap >"$T/after"
check "kill before the sink commits: nothing changed" cmp -s "$T/before" "$T/after"

WINNOW_CRASH_AT=commit:prepared sh -c '"$0" run "$1" --limit 5 2>/dev/null' "$WINNOW" "$T/c.yaml"
check "kill after the sink commits: exit 137" test $? = 137
run_w 0 run "$T/c.yaml"
n=$(q 'SELECT count(*) FROM articles')
check "every article once ($n)" test "$n" -gt 6 -a "$n" = "$(q 'SELECT count(DISTINCT id) FROM articles')"
check "the rerun re-exported the killed run's articles" test "$(wc -l <"$T/out/articles.jsonl")" = "$((n - first))"
check "the run's drops in dropped" test "$(q 'SELECT count(*) FROM dropped')" -gt 0
check "dropped rows name their run, stage and code" test "$(q "SELECT count(*) FROM dropped d JOIN runs r USING (run_id) WHERE d.stage IS NOT NULL AND d.code IS NOT NULL")" = "$(q 'SELECT count(*) FROM dropped')"
check "runs.dropped counts them" test "$(q 'SELECT sum(dropped) FROM runs')" = "$(q 'SELECT count(*) FROM dropped')"
rid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' "$T/out/run.json")
check "dropped holds the last run's dropped.jsonl" test "$(q "SELECT count(*) FROM dropped WHERE run_id = '$rid'")" = "$(grep -c . "$T/out/dropped.jsonl")"

# a rerun of everything is idempotent
snap >"$T/before"
run_w 0 run "$T/c.yaml" --reprocess
check "rerun: same articles and entities" \
	test "$(sed -n 1,2p "$T/before" | cut -d'|' -f1)" = "$(snap | sed -n 1,2p | cut -d'|' -f1)"

# the server goes away mid-run: the run stops at record 30 (a gate), the
# server is stopped, the run goes on and must fail cleanly
cat >"$T/g.yaml" <<EOF
version: 1
run: { name: g, output_dir: gout, plugin_path: ["$WN_BUILD/testkit"] }
sources:
  - { id: gen, use: test_gen, with: { count: 200 } }
pipeline:
  - { id: gate, use: test_pass, with: { gate_at: 30, gate_file: "$T/gate" } }
sinks:
  - { id: pg, use: export_postgres }
EOF
before=$(q 'SELECT count(*) FROM articles')
"$WINNOW" run "$T/g.yaml" >"$T/g.out" 2>"$T/g.err" &
wpid=$!
for _ in $(seq 600); do # the run's connection is up (its COPY is open)
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY articles_in%'")" -ge 1 ] && break
	sleep 0.1
done
pg_stop immediate
touch "$T/gate"
wait "$wpid"
check "server gone: exit 1" test $? = 1
has "$T/g.err" "postgres: COPY"
has "$T/g.err" "failed run g"
pg_start
check "server gone: nothing of that run" test "$(q 'SELECT count(*) FROM articles')" = "$before"
check "server gone: no run row" test "$(q "SELECT count(*) FROM runs WHERE articles = 200")" = 0
check "server gone: no output committed" test ! -e "$T/gout/run.json"

# no password in the config
sed 's|use: export_postgres }|use: export_postgres, with: { conninfo: "dbname=postgres password=secret" } }|' \
	"$T/c.yaml" >"$T/pw.yaml"
run_w 1 run "$T/pw.yaml"
has "$T/err" "PGPASSWORD"
finish

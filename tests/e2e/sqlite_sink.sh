# export_sqlite in whole runs: the database accumulates across runs with
# each article once (upsert by id), a run killed before the sink commits
# leaves it byte-for-byte as it was, a run killed after the sink committed
# but before the run did is exported again by the next run without
# duplicates, the drop logs of committed runs end in the dropped table once
# (a run killed after its commit gets them imported by the next run), and
# `../winnow.db` beside per-run folders lands beside them.
# Kills are at named commit steps (WINNOW_CRASH_AT), never timed.
. "$(dirname "$0")/lib.sh"

cat >"$T/c.yaml" <<EOF
version: 1
run: { name: t, output_dir: out, state: state.db }
sources:
  - { id: s, use: source_files, with: { paths: ["$WN_SRC/samples/articles"] } }
pipeline:
  - { id: html, use: clean_html }
  - { id: text, use: clean_text }
  - { id: quality, use: filter_quality, with: { min_words: 250 } }
  - { id: entities, use: extract_entities }
sinks:
  - { id: json, use: export_json, with: { path: articles.jsonl } }
  - { id: db, use: export_sqlite, with: { path: winnow.db } }
EOF
db="$T/out/winnow.db"

# dump DB: the database's content as text (schema and rows, runs included)
dump() {
	python3 -c 'import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for line in c.iterdump(): print(line)' "$1"
}
# q SQL: one value from the database
q() {
	python3 -c 'import sqlite3, sys
print(sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True).execute(sys.argv[2]).fetchone()[0])' "$db" "$1"
}

run_w 0 run "$T/c.yaml" --limit 6
a1=$(wc -l <"$T/out/articles.jsonl")
d1=$(wc -l <"$T/out/dropped.jsonl")
check "first run: its articles ($a1)" test "$(q 'SELECT count(*) FROM articles')" = "$a1"
check "first run: its drops ($d1) in the dropped table" test "$d1" -gt 0 -a "$(q 'SELECT count(*) FROM dropped')" = "$d1"
check "entities written" test "$(q 'SELECT count(*) FROM entities')" -gt 0
dump "$db" >"$T/before"

# killed with every row written, before the sink's COMMIT: nothing changes
WINNOW_CRASH_AT=sqlite:written sh -c '"$0" run "$1" --limit 6 2>/dev/null' "$WINNOW" "$T/c.yaml"
check "kill before the sink commits: exit 137" test $? = 137
dump "$db" >"$T/after"
check "kill before the sink commits: database unchanged" cmp -s "$T/before" "$T/after"

# killed after the sink committed, before the run committed (outputs and
# ledger): the database has the rows, the next run exports them again
WINNOW_CRASH_AT=commit:prepared sh -c '"$0" run "$1" --limit 6 2>/dev/null' "$WINNOW" "$T/c.yaml"
check "kill after the sink commits: exit 137" test $? = 137
a2=$(q 'SELECT count(*) FROM articles')
check "its rows are in ($a2)" test "$a2" -gt "$a1"
run_w 0 run "$T/c.yaml"
n=$(q 'SELECT count(*) FROM articles')
check "every article once after the rerun ($n)" test "$n" -gt "$a2" -a "$n" = "$(q 'SELECT count(DISTINCT id) FROM articles')"
check "the last run exported the killed run's articles again" \
	test "$(wc -l <"$T/out/articles.jsonl")" = "$((n - a1))"
d3=$(wc -l <"$T/out/dropped.jsonl")
check "dropped: the committed runs' drop logs ($d1 + $d3)" \
	test "$(q 'SELECT count(*) FROM dropped')" = "$((d1 + d3))"
check "runs table: the 3 runs whose sink committed" test "$(q 'SELECT count(*) FROM runs')" = 3
# killed after the run committed, before the sink's fini imported its drop
# log: the next run imports it first
WINNOW_CRASH_AT=commit:ledger sh -c '"$0" run "$1" 2>/dev/null' "$WINNOW" "$T/c.yaml"
check "kill after the run committed: exit 137" test $? = 137
d4=$(wc -l <"$T/out/dropped.jsonl")
run_w 0 run "$T/c.yaml"
d5=$(wc -l <"$T/out/dropped.jsonl")
check "dropped: the killed committed run's drops imported by the next ($d4 + $d5)" \
	test "$(q 'SELECT count(*) FROM dropped')" = "$((d1 + d3 + d4 + d5))"
check "no entity without its article" \
	test "$(q 'SELECT count(*) FROM entities WHERE article_id NOT IN (SELECT id FROM articles)')" = 0
check "entity offsets in code points" test "$(q 'SELECT count(*) FROM entities e JOIN articles a ON a.id = e.article_id WHERE substr(a.text, e.start + 1, e."end" - e.start) != e.text')" = 0
check "FTS5 index answers" test "$(q "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'the'")" -gt 0

# a folder per run: ../winnow.db is one database beside the run folders
sed -e 's|output_dir: out|output_dir: "per/${RUN_ID}"|' -e 's|path: winnow.db|path: ../winnow.db|' \
	-e 's|state: state.db|state: per.db|' "$T/c.yaml" >"$T/p.yaml"
run_w 0 run "$T/p.yaml" --limit 3
run_w 0 run "$T/p.yaml" --limit 3
db="$T/per/winnow.db"
check "per-run folders share ../winnow.db" \
	test "$(q 'SELECT count(*) FROM articles')" = "$(cat "$T"/per/2*/articles.jsonl | wc -l)"
check "with the drops of both runs" \
	test "$(q 'SELECT count(*) FROM dropped')" = "$(cat "$T"/per/2*/dropped.jsonl | wc -l)"
check "two runs recorded" test "$(q 'SELECT count(*) FROM runs')" = 2
finish

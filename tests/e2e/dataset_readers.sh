# The default run through an analyst's readers: pandas (JSON Lines, CSV,
# SQLite), sqlite3 and DuckDB (@duckdb/node-api: JSON Lines, CSV) agree on
# row counts and column types (the field catalogue's), and text[start:end]
# is the entity for every entity in every reader (dataset_check.py).
# Skips (77) when pandas, node or the DuckDB package is missing; `make
# test-deps` installs them.
. "$(dirname "$0")/lib.sh"

py=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null && "$p" -c 'import pandas' 2>/dev/null; then py=$p; break; fi
done
readers="$WN_SRC/tests/readers"
if [ -z "$py" ] || ! command -v node >/dev/null || [ ! -d "$readers/node_modules/@duckdb/node-api" ]; then
	echo "SKIP: needs python3-pandas, node and tests/readers/node_modules (make test-deps)"
	exit 77
fi
run_w 0 run "$WN_SRC/configs/default.yaml" --set run.output_dir="$T/out"
check "DuckDB reads the run" sh -c 'node "$1/duckdb_read.mjs" "$2" >"$3"' sh "$readers" "$T/out" "$T/duck.json"
check "pandas, sqlite3 and DuckDB agree with the catalogue" \
	"$py" "$WN_SRC/tests/e2e/dataset_check.py" "$WINNOW" "$T/out" "$T/duck.json"
finish

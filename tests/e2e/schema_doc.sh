# The data dictionary: docs/schema.md holds exactly the tables `winnow
# schema --markdown` prints from the field catalogue (scripts/schema-doc
# regenerates them), and `winnow schema` lists every core field.
. "$(dirname "$0")/lib.sh"

doc="$WN_SRC/docs/schema.md"
sed -n '/^<!-- BEGIN winnow schema/,/^<!-- END winnow schema/p' "$doc" | sed '1d;$d' >"$T/doc"
run_w 0 schema --markdown
if cmp -s "$T/stdout" "$T/doc"; then ok; else
	bad "docs/schema.md drifted from the catalogue: run scripts/schema-doc"
	diff "$T/doc" "$T/stdout" | head -20 >&2
fi
run_w 0 schema
for f in id url published published_precision published_offset word_count text fetched_at; do
	check "winnow schema lists $f" grep -q "^$f " "$T/stdout"
done
run_w 64 schema --bogus
has "$T/err" "unknown argument"
finish

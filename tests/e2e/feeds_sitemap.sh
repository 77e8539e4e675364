# Sitemaps through whole runs: an index over HTTP whose children are
# gzipped, a lastmod cut-off on children and entries, exclude patterns.
. "$(dirname "$0")/lib.sh"
. "$WN_SRC/tests/http/lib_http.sh"

mkdir -p "$T/site"
start_server --root "$T/site"

cat >"$T/site/index.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>$BASE/files/news.xml.gz</loc><lastmod>2024-03-01</lastmod></sitemap>
  <sitemap><loc>$BASE/files/pages.xml.gz</loc></sitemap>
  <sitemap><loc>$BASE/files/archive.xml.gz</loc><lastmod>2019-01-01</lastmod></sitemap>
</sitemapindex>
XML
urlset() { # urlset LOC:LASTMOD...
	echo '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
	for e in "$@"; do
		echo "<url><loc>$BASE${e%%@*}</loc><lastmod>${e#*@}</lastmod></url>"
	done
	echo '</urlset>'
}
urlset /news/1@2024-03-01 /news/2@2024-02-20 /news/old@2023-06-01 | gzip >"$T/site/news.xml.gz"
urlset /about@2024-03-02 /tag/x@2024-03-02 | gzip >"$T/site/pages.xml.gz"
urlset /archive/1@2019-01-01 | gzip >"$T/site/archive.xml.gz"

cat >"$T/sm.yaml" <<YAML
version: 1
run: { name: sitemap, output_dir: out }
sources:
  - id: sm
    use: source_sitemap
    with: { urls: ["$BASE/files/index.xml"], lastmod_after: "2024-01-01", exclude: ["/tag/"] }
sinks:
  - { id: json, use: export_json }
YAML
run_w 0 run "$T/sm.yaml"
A="$T/out/articles.jsonl"
lines "$A" 3
has "$A" "\"url\":\"$BASE/news/1\",\"lastmod\":\"2024-03-01T00:00:00Z\",\"feed_url\":\"$BASE/files/news.xml.gz\""
has "$A" "\"url\":\"$BASE/about\""
lacks "$A" "/news/old"
lacks "$A" "/tag/x"
json "$T/out/run.json" "d['stages'][0]['counters']=={'indexes':1,'sitemaps':2,'sitemaps_old':1,'old':1,'excluded':1}"
stats "'/files/archive.xml.gz' not in s['paths']"

# block_private: children named by an index are untrusted.
sed -i 's|run: { name: sitemap, output_dir: out }|run: { name: sitemap, output_dir: out }\nhttp: { block_private: true }|' "$T/sm.yaml"
run_w 0 run "$T/sm.yaml"
lines "$A" 0
json "$T/out/run.json" "d['stages'][0]['drops']=={'blocked':2}"

finish

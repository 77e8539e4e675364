# report.html: one self-contained page (no script, no external reference)
# with every chart the run report promises, each drawn from the run's own
# numbers: the records through the stages, drops by reason, dead letters
# by code with examples, records per source and per site, languages, text
# lengths, top entities by type, duplicate clusters, time per stage, and
# the change against the previous run. The job is the default pipeline
# over the samples plus a second source that holds copies of three samples
# (duplicates) and one file over its max_size (a dead letter); it runs
# twice, so the second report compares with the first. When Debian's
# chromium is there, the page is rendered headless: every chart has its
# bars laid out with a size, and there is no console error.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/copies"
for f in baywire-drone-delivery circuit-ledger-chip-deal meridian-battery-plant; do
	cp "$WN_SRC/samples/articles/html/$f.html" "$T/copies/copy-of-$f.html"
done
python3 -c 'print("<html><body><p>" + "big page " * 40000 + "</p></body></html>")' >"$T/copies/huge.html"
sed -e 's|paths: \[../samples/articles\]|paths: ["'"$WN_SRC"'/samples/articles"]|' \
	-e 's|^sources:|sources:\n  - { id: copies, use: source_files, with: { paths: ["'"$T"'/copies"], max_size: 100KB } }|' \
	"$WN_SRC/configs/default.yaml" >"$T/c.yaml"
run_w 2 run "$T/c.yaml" --set run.output_dir="$T/out" # partial: one dead letter
cp "$T/out/run.json" "$T/first.json"
run_w 2 run "$T/c.yaml" --set run.output_dir="$T/out"
page="$T/out/report.html"
check "report.html written" test -s "$page"

# The charts, read back from the page: {title: [(label, value), ...]}.
cat >"$T/charts.py" <<'PY'
import html as H, re, xml.etree.ElementTree as ET
NS = "{http://www.w3.org/2000/svg}"

def charts(page):
    out = {}
    for sec in re.findall(r"<section>(.*?)</section>", page, re.S):
        title = H.unescape(re.search(r"<h2>(.*?)</h2>", sec).group(1))
        svg = re.search(r"<svg .*?</svg>", sec, re.S)
        if not svg:
            out[title] = None
            continue
        root = ET.fromstring(svg.group(0))
        texts = [t.text or "" for t in root.findall(f"{NS}text")]
        bars = [(texts[i], int(texts[i + 1])) for i in range(0, len(texts), 2)]
        assert len(root.findall(f"{NS}rect")) == len(bars), title
        out[title] = bars
    return out
PY
check "self-contained page, every chart there with the run's numbers" \
	python3 - "$page" "$T/out/run.json" "$T/first.json" "$T/charts.py" <<'PY'
import json, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
run, first = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
exec(open(sys.argv[4]).read())
assert page.startswith("<!DOCTYPE html>"), "doctype"
for bad in ("<script", "<link", "src=", "href=", "@import", "url("):
    assert bad not in page, bad
c = charts(page)
rec = run["records"]
stages = {s["id"]: s for s in run["stages"]}

def chart(title):
    assert c.get(title), f"no chart with bars: {title} ({sorted(c)})"
    return dict(c[title])

f = chart("Records through the stages")
assert f["read by the sources"] == rec["read"] and f["exported"] == rec["exported"], f
assert f["after quality"] == stages["quality"]["ok"] + stages["quality"]["skipped"], f
drops = chart("Drops by reason")
for sid, s in stages.items():
    for code, n in s["drops"].items():
        assert drops[f"{sid}: {code}"] == n, (sid, code, drops)
assert rec["duplicates"] == 3 and drops["dedup: duplicate"] == 3, (rec, drops)
dead = chart("Dead letters by code")
assert dead == {"too_large": 1} and rec["dead_lettered"] == 1, dead
assert "huge.html" in page and "over max_size" in page, "no dead-letter example"
src = chart("Records per source")
assert src == {"samples (source_files)": 15, "copies (source_files)": 4}, src
assert sum(chart("Sites").values()) == rec["exported"]
assert sum(chart("Languages").values()) == rec["exported"]
assert sum(chart("Text length").values()) == rec["exported"]
assert chart("Published, by month (UTC)")
assert chart("Entities by type")
assert [t for t in c if t.startswith("Top ") and c[t]], "no top-entity chart"
dups = chart("Duplicate clusters (copies dropped, by the id kept)")
assert sum(dups.values()) == 3 and len(dups) == 3, dups
for line in open(sys.argv[2].replace("run.json", "dropped.jsonl")):
    d = json.loads(line)
    if d.get("duplicate_of"):
        assert d["url"].rsplit("/", 1)[1] in page, ("no duplicate example", d["url"])
times = chart("Time per stage (ms, summed over workers)")
assert set(times) == {f'{s["id"]} ({s["plugin"]})' for s in run["stages"]}, times
ch = re.search(r"<h2>Change against the previous run</h2>(.*?)</section>", page, re.S).group(1)
assert first["run_id"] in ch, "the previous run is not named"
row = re.search(r"<tr><td>exported</td><td>(\d+)</td><td>(\d+)</td><td>([+-]\d+)</td>", ch)
assert row and int(row.group(1)) == rec["exported"] and int(row.group(2)) == first["records"]["exported"], ch
PY

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
	chrome() {
		timeout 120 "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$T/chrome" \
			--enable-logging=stderr --v=0 --virtual-time-budget=5000 "$@"
	}
	# --dump-dom prints the DOM after load; console messages go to stderr
	chrome --dump-dom "file://$page" >"$T/dom.html" 2>"$T/console.txt"
	check "chromium: no console error" sh -c "! grep -E 'CONSOLE|Uncaught' '$T/console.txt'"
	# A copy of the page with a probe appended (the report itself has no
	# script): the laid-out size of every chart and of each of its bars.
	cp "$page" "$T/probe.html"
	cat >>"$T/probe.html" <<'JS'
<script>
const out = [...document.querySelectorAll("section")].map(s => {
  const svg = s.querySelector("svg"), box = svg ? svg.getBoundingClientRect() : null;
  const bars = svg ? [...svg.querySelectorAll("rect")] : [];
  return {title: s.querySelector("h2").textContent, svg: !!svg,
          w: box ? box.width : 0, h: box ? box.height : 0, bars: bars.length,
          drawn: bars.filter(r => { const b = r.getBoundingClientRect();
            return b.width > 0 && b.height > 0 && getComputedStyle(r).fill !== "none"; }).length};
});
const pre = document.createElement("pre");
pre.id = "probe";
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>
JS
	chrome --dump-dom "file://$T/probe.html" >"$T/probe-dom.html" 2>/dev/null
	check "chromium: every chart laid out with its bars drawn" \
		python3 - "$T/probe-dom.html" "$page" "$T/charts.py" <<'PY'
import html as H, json, re, sys
dom, page = open(sys.argv[1]).read(), open(sys.argv[2], encoding="utf-8").read()
exec(open(sys.argv[3]).read())
m = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
assert m, "the probe did not run"
probe = {p["title"]: p for p in json.loads(H.unescape(m.group(1)))}
want = {t: bars for t, bars in charts(page).items() if bars}
assert len(want) >= 12, sorted(want)
for t, bars in want.items():
    p = probe.get(t)
    assert p and p["svg"] and p["w"] > 0 and p["h"] > 0, (t, p)
    assert p["bars"] == len(bars), (t, p)
    # a bar of value 0 has no width; every other one is drawn
    assert p["drawn"] == sum(1 for _, v in bars if v > 0), (t, p, bars)
print(f"{len(want)} charts drawn")
PY
else
	echo "chromium not installed: the headless render check is skipped"
fi
finish

# report.html of the default run: one self-contained page (no script, no
# external reference), every chart well-formed SVG with its bars, the
# second run compared with the first; when Debian's chromium is there,
# rendered headless with its charts drawn and no console error.
. "$(dirname "$0")/lib.sh"

cfg="$WN_SRC/configs/default.yaml"
run_w 0 run "$cfg" --set run.output_dir="$T/out"
run_w 0 run "$cfg" --set run.output_dir="$T/out"
page="$T/out/report.html"
check "report.html written" test -s "$page"
check "self-contained page, well-formed charts" python3 - "$page" <<'PY'
import re, sys, xml.etree.ElementTree as ET
html = open(sys.argv[1], encoding="utf-8").read()
assert html.startswith("<!DOCTYPE html>"), "doctype"
for bad in ("<script", "<link", "src=", "href=", "@import", "url("):
    assert bad not in html, bad
svgs = re.findall(r"<svg .*?</svg>", html, re.S)
assert len(svgs) >= 6, len(svgs)
ns = "{http://www.w3.org/2000/svg}"
for s in svgs:
    root = ET.fromstring(s)            # well-formed
    assert root.findall(f"{ns}rect"), "a chart without bars"
titles = re.findall(r"<h2>(.*?)</h2>", html)
for t in ("Languages", "Sites", "Text length", "Published, by month (UTC)", "Entities by type"):
    assert t in titles, t
assert "previous run exported</td><td>" in html, "no comparison with the first run"
PY
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
	# --dump-dom prints the DOM after load; console messages go to stderr
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$T/chrome" \
		--enable-logging=stderr --v=0 \
		--dump-dom "file://$page" >"$T/dom.html" 2>"$T/console.txt"
	check "chromium: the charts are in the rendered DOM" \
		test "$(grep -o '<rect ' "$T/dom.html" | wc -l)" -gt 20
	check "chromium: no console error" sh -c "! grep -E 'CONSOLE|Uncaught' '$T/console.txt'"
else
	echo "chromium not installed: the headless render check is skipped"
fi
finish

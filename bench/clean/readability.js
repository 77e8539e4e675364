// The peer side of bench/clean: Mozilla Readability on jsdom, all pages in
// one process. Pages are read into memory first; only parse + extract is
// timed (process CPU time, as bench_clean times thread CPU). Usage: node readability.js OUT_DIR FILE.html...
// PEER_PROGRESS=1 adds per-page progress lines (see wcxb_peers.py).
// Prints one line: "pages N seconds S". With a third argument BLOCKS_DIR it
// also writes a variant (untimed) where block elements end with a newline
// before textContent, since plain textContent glues "</p><p>" words together.
"use strict";
const fs = require("fs");
const path = require("path");
const { JSDOM, VirtualConsole } = require("jsdom");
const { Readability } = require("@mozilla/readability");

const [outDir, ...rest] = process.argv.slice(2);
const blocksDir = process.env.READABILITY_BLOCKS_DIR || "";
const files = rest;
const BLOCKS = "p,div,h1,h2,h3,h4,h5,h6,li,blockquote,pre,tr,td,th,section,article,br,figure,table,ul,ol";
const pages = files.map((f) => ({ id: path.basename(f).replace(/\.html$/, ""), buf: fs.readFileSync(f) }));
const quiet = new VirtualConsole(); // jsdom's CSS parse errors are noise
// PEER_PROGRESS=1 (wcxb_peers.py): "start ID" / "done ID SECONDS" per page, written
// synchronously so that a watchdog knows which page a stuck or dead process was on.
const progress = process.env.PEER_PROGRESS === "1";
let total = 0n;
for (const p of pages) {
  if (progress) fs.writeSync(1, `start ${p.id}\n`);
  const t0 = process.cpuUsage();
  let text = "", html = "", byline = "";
  try {
    const dom = new JSDOM(p.buf, { virtualConsole: quiet });
    const art = new Readability(dom.window.document).parse();
    text = art && art.textContent ? art.textContent : "";
    byline = art && art.byline ? art.byline : "";
    html = art && art.content ? art.content : "";
    dom.window.close();
  } catch (e) {
    text = "";
  }
  const dt = process.cpuUsage(t0);
  total += BigInt(dt.user + dt.system) * 1000n; // CPU time, as bench_clean
  fs.writeFileSync(path.join(outDir, p.id + ".txt"), text);
  if (blocksDir) {
    const w = new JSDOM(html, { virtualConsole: quiet }).window, d = w.document;
    for (const el of d.querySelectorAll(BLOCKS)) el.append("\n");
    fs.writeFileSync(path.join(blocksDir, p.id + ".txt"), d.body ? d.body.textContent : "");
    w.close(); // else the windows pile up and a few hundred big pages exhaust the heap
  }
  // the byline it found, for the author score (untimed)
  fs.writeFileSync(path.join(blocksDir || outDir, p.id + ".author"), byline.trim());
  if (progress) fs.writeSync(1, `done ${p.id} ${(Number(BigInt(dt.user + dt.system)) / 1e6).toFixed(6)}\n`);
}
console.log(`pages ${pages.length} seconds ${(Number(total) / 1e9).toFixed(6)}`);

// The second peer of bench/clean: defuddle (npm) on jsdom, all pages in one
// process. Pages are read into memory first; only parse + extract is timed.
// Usage: node defuddle.js OUT_DIR FILE.html...   Prints "pages N seconds S".
// The text written is the extracted HTML's text with a newline after every
// block element (so paragraphs are not glued).
"use strict";
const fs = require("fs");
const path = require("path");
const { JSDOM, VirtualConsole } = require("jsdom");
let Defuddle; // ESM-only entry: loaded with import() below

const BLOCKS = "p,div,h1,h2,h3,h4,h5,h6,li,blockquote,pre,tr,td,th,section,article,br,figure,table,ul,ol";
const [outDir, ...files] = process.argv.slice(2);
const quiet = new VirtualConsole();
(async () => {
  ({ Defuddle } = await import("defuddle/node"));
  // PEER_PROGRESS=1 (wcxb_peers.py): "start ID" / "done ID SECONDS" per page, written
  // synchronously so that a watchdog knows which page a stuck or dead process was on.
  const progress = process.env.PEER_PROGRESS === "1";
  let total = 0n;
  for (const f of files) {
    const id = path.basename(f).replace(/\.html$/, "");
    if (progress) fs.writeSync(1, `start ${id}\n`);
    const buf = fs.readFileSync(f);
    let html = "", author = "";
    const t0 = process.cpuUsage();
    try {
      const dom = new JSDOM(buf, { virtualConsole: quiet, url: "https://example.org/" });
      const r = await Defuddle(dom, "https://example.org/", {});
      html = r && r.content ? r.content : "";
      author = r && r.author ? String(r.author) : "";
      dom.window.close();
    } catch (e) {
      html = "";
    }
    const dt = process.cpuUsage(t0);
    total += BigInt(dt.user + dt.system) * 1000n; // CPU time, as bench_clean
    const w = new JSDOM(html, { virtualConsole: quiet }).window, d = w.document;
    for (const el of d.querySelectorAll(BLOCKS)) el.append("\n");
    fs.writeFileSync(path.join(outDir, id + ".txt"), d.body ? d.body.textContent : "");
    w.close();
    fs.writeFileSync(path.join(outDir, id + ".author"), author.trim()); // the author score's
    if (progress) fs.writeSync(1, `done ${id} ${(Number(BigInt(dt.user + dt.system)) / 1e6).toFixed(6)}\n`);
  }
  console.log(`pages ${files.length} seconds ${(Number(total) / 1e9).toFixed(6)}`);
})();

// The peer side of bench/clean: Mozilla Readability on jsdom, all pages in
// one process. Pages are read into memory first; only parse + extract is
// timed. Usage: node readability.js OUT_DIR FILE.html...
// Prints one line: "pages N seconds S".
"use strict";
const fs = require("fs");
const path = require("path");
const { JSDOM, VirtualConsole } = require("jsdom");
const { Readability } = require("@mozilla/readability");

const [outDir, ...files] = process.argv.slice(2);
const pages = files.map((f) => ({ id: path.basename(f).replace(/\.html$/, ""), buf: fs.readFileSync(f) }));
const quiet = new VirtualConsole(); // jsdom's CSS parse errors are noise
let total = 0n;
for (const p of pages) {
  const t0 = process.hrtime.bigint();
  let text = "";
  try {
    const dom = new JSDOM(p.buf, { virtualConsole: quiet });
    const art = new Readability(dom.window.document).parse();
    text = art && art.textContent ? art.textContent : "";
    dom.window.close();
  } catch (e) {
    text = "";
  }
  total += process.hrtime.bigint() - t0;
  fs.writeFileSync(path.join(outDir, p.id + ".txt"), text);
}
console.log(`pages ${pages.length} seconds ${(Number(total) / 1e9).toFixed(6)}`);

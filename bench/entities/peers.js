// Peers for bench/entities/run, on the same texts and scorers as winnow:
//   compromise               people / places / organizations -> PERSON / GPE / ORG
//   wink-nlp + eng-lite-web  DATE / MONEY / PERCENT entities
//
//   node peers.js seeds OUT_DIR TEXT.txt...   one {"body","entities"} JSON per text
//   node peers.js gmb DEV.bio                 exact-span P/R/F1 (PER/ORG/LOC) and tokens/s
//   node peers.js table DEV.bio...            one row per file: micro P/R/F1, F1 per type
//   node peers.js speed SECONDS TEXT.txt...   wink-nlp entities: CPU seconds per pass over
//                                             the texts (after one warm-up pass)
'use strict';
const fs = require('fs');
const path = require('path');
const nlp = require('compromise');
const winkNLP = require('wink-nlp');
const model = require('wink-eng-lite-web-model');
const wink = winkNLP(model);
const its = wink.its;

// Trims what the gold conventions leave out: a leading "the", a trailing
// possessive or punctuation.
function trim(text, start) {
  let t = text, s = start;
  const lead = t.match(/^(the|The|Mr\.|Mrs\.|Ms\.|Dr\.|President|Prime Minister)\s+/);
  if (lead) { s += lead[0].length; t = t.slice(lead[0].length); }
  t = t.replace(/(['’]s)?[\s.,;:!?"“”)(]*$/u, '');
  const l = t.match(/^[\s"“(]*/u)[0].length;
  return { text: t.slice(l), start: s + l };
}

function compromiseEntities(text) {
  const doc = nlp(text);
  const out = [];
  for (const [kind, type] of [['people', 'PERSON'], ['places', 'GPE'], ['organizations', 'ORG']]) {
    for (const m of doc[kind]().json({ offset: true })) {
      const t = trim(m.text, m.offset ? m.offset.start : -1);
      if (t.text) out.push({ type, text: t.text, start: t.start });
    }
  }
  return out;
}

function winkEntities(text) {
  const doc = wink.readDoc(text);
  const out = [];
  doc.entities().each((e) => {
    const type = e.out(its.type);
    if (type === 'DATE' || type === 'MONEY' || type === 'PERCENT')
      out.push({ type, text: trim(e.out(), 0).text });
  });
  return out;
}

function seeds(outDir, files) {
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of files) {
    const body = fs.readFileSync(f, 'utf8');
    const entities = compromiseEntities(body).concat(winkEntities(body));
    const stem = path.basename(f).replace(/\.txt$/, '');
    fs.writeFileSync(path.join(outDir, stem + '.json'), JSON.stringify({ title: null, body, entities }));
  }
}

// Reads a BIO file into sentences joined by spaces, with gold char spans.
function readBio(file) {
  const sents = [];
  let toks = [], tags = [];
  const flush = () => { if (toks.length) sents.push({ toks, tags }); toks = []; tags = []; };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('-DOCSTART-')) { flush(); continue; }
    const [tok, tag] = line.split('\t');
    toks.push(tok); tags.push(tag || 'O');
  }
  flush();
  return sents;
}

function gmb(file, noWink) {
  const sents = readBio(file);
  const map = { PER: 'PERSON', ORG: 'ORG', LOC: 'GPE' };
  // ten sentences a text, like winnow's pseudo-documents
  const texts = [];
  for (let i = 0; i < sents.length; i += 10) {
    let text = '';
    const gold = new Set();
    let ntok = 0;
    for (const s of sents.slice(i, i + 10)) {
      if (text) text += '\n';
      let cur = null;
      s.toks.forEach((tok, k) => {
        if (k) text += ' ';
        const tag = s.tags[k], start = text.length;
        text += tok;
        ntok++;
        const type = map[tag.slice(2)];
        if (tag.startsWith('B-') || (tag.startsWith('I-') && !cur)) {
          if (cur) gold.add(cur.join('|'));
          cur = type ? [type, start, text.length] : null;
        } else if (tag.startsWith('I-') && cur) {
          cur[2] = text.length;
        } else {
          if (cur) gold.add(cur.join('|'));
          cur = null;
        }
      });
      if (cur) gold.add(cur.join('|'));
    }
    texts.push({ text, gold, ntok });
  }
  const counts = {};
  for (const t of ['PERSON', 'ORG', 'GPE']) counts[t] = [0, 0, 0];
  let ntok = 0;
  const t0 = process.hrtime.bigint();
  for (const t of texts) {
    ntok += t.ntok;
    const pred = new Set();
    for (const e of compromiseEntities(t.text))
      if (e.start >= 0) pred.add([e.type, e.start, e.start + e.text.length].join('|'));
    for (const p of pred) {
      const type = p.split('|')[0];
      if (t.gold.has(p)) counts[type][0]++; else counts[type][1]++;
    }
    for (const g of t.gold) if (!pred.has(g)) counts[g.split('|')[0]][2]++;
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const f = (c) => {
    const p = c[0] + c[1] ? c[0] / (c[0] + c[1]) : 0, r = c[0] + c[2] ? c[0] / (c[0] + c[2]) : 0;
    return [p, r, p + r ? 2 * p * r / (p + r) : 0].map((x) => x.toFixed(3)).join(' ');
  };
  const micro = [0, 1, 2].map((k) => Object.values(counts).reduce((a, c) => a + c[k], 0));
  console.log(`compromise on ${path.basename(path.dirname(file))}/${path.basename(file)} (exact spans; P R F1)`);
  for (const [t, c] of Object.entries(counts)) console.log(`  ${t.padEnd(8)} ${f(c)}  (${c.join('/')})`);
  console.log(`  micro    ${f(micro)}  (${micro.join('/')})`);
  console.log(`  compromise throughput: ${Math.round(ntok / secs)} tokens/s (one core, ${ntok} tokens)`);
  if (noWink) return;
  const w0 = process.hrtime.bigint();
  for (const t of texts) winkEntities(t.text);
  const ws = Number(process.hrtime.bigint() - w0) / 1e9;
  console.log(`  wink-nlp entities throughput: ${Math.round(ntok / ws)} tokens/s`);
}

// CPU time (user + system) per pass of wink-nlp over the texts, the way
// ee-bench -s measures winnow, so that the two are compared per pass.
function speed(secs, files) {
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  for (const t of texts) winkEntities(t); // warm-up: JIT and model load
  const c0 = process.cpuUsage(), w0 = process.hrtime.bigint();
  let passes = 0, wall = 0;
  do {
    for (const t of texts) winkEntities(t);
    passes++;
    wall = Number(process.hrtime.bigint() - w0) / 1e9;
  } while (wall < secs);
  const c = process.cpuUsage(c0), cpu = (c.user + c.system) / 1e6;
  console.log(`wink-nlp per pass: ${(cpu / passes).toFixed(4)} s CPU (${passes} passes, ${wall.toFixed(2)} s wall)`);
}

// One row per dev split, in the columns of bench/entities/devscores:
// compromise's PER/ORG/LOC micro P/R/F1 and F1 per type (its places as LOC).
function table(files) {
  console.log(['compromise', 'P', 'R', 'F1', '', 'PER', 'ORG', 'LOC'].map((x) => x.padStart(6)).join(' '));
  for (const file of files) {
    const out = [];
    const log = console.log;
    console.log = (l) => out.push(l);
    try { gmb(file, true); } finally { console.log = log; }
    const f1 = (name) => {
      const l = out.find((x) => x.trim().startsWith(name));
      return l ? l.trim().split(/\s+/)[3] : '-';
    };
    const micro = out.find((x) => x.trim().startsWith('micro')).trim().split(/\s+/);
    console.log(['', micro[1], micro[2], micro[3], '', f1('PERSON'), f1('ORG'), f1('GPE')]
      .map((x) => x.padStart(6)).join(' '));
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'seeds') seeds(args[0], args.slice(1));
else if (mode === 'speed') speed(Number(args[0]), args.slice(1));
else if (mode === 'table') table(args);
else if (mode === 'gmb') for (const f of args) gmb(f);
else { console.error('usage: node peers.js seeds OUT_DIR TEXT... | gmb DEV.bio...'); process.exit(2); }

// Reads one winnow run folder with DuckDB, as an analyst would
// (read_json_auto, read_csv), and prints JSON for tests/e2e/dataset_check.py:
// row counts, column types, and entities whose text is not
// substring(text, start + 1, end - start) of their article.
//   node duckdb_read.mjs OUTDIR
import { DuckDBInstance } from '@duckdb/node-api';

const dir = process.argv[2];
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
const rows = async (sql) => (await c.runAndReadAll(sql)).getRowObjects();
const one = async (sql) => Number(Object.values((await rows(sql))[0])[0]);
const types = async (rel) =>
  Object.fromEntries((await rows(`DESCRIBE SELECT * FROM ${rel}`)).map((r) => [r.column_name, r.column_type]));

await c.run(`CREATE VIEW aj AS SELECT * FROM read_json_auto('${dir}/articles.jsonl')`);
await c.run(`CREATE VIEW ac AS SELECT * FROM read_csv('${dir}/articles.csv')`);
await c.run(`CREATE VIEW ec AS SELECT * FROM read_csv('${dir}/entities.csv', types = {'text': 'VARCHAR'})`);
await c.run(`CREATE VIEW ej AS SELECT a.text AS atext, unnest(a.entities, recursive := true) FROM aj a`);
// CSV neutralises formula-like cells with a leading ': such an entity
// matches without it (docs/schema.md, formula injection).
const same = (sub, txt) => `(${sub} = ${txt} OR (left(${txt}, 1) = '''' AND ${sub} = ${txt}[2:]))`;
const out = {
  jsonl: { articles: await one('SELECT count(*) FROM aj'), types: await types('aj'),
           entities: await one('SELECT count(*) FROM ej'),
           bad_entities: await one(`SELECT count(*) FROM ej WHERE substring(atext, "start" + 1, "end" - "start") != text`) },
  csv: { articles: await one('SELECT count(*) FROM ac'), types: await types('ac'),
         entities: await one('SELECT count(*) FROM ec'),
         bad_entities: await one(`SELECT count(*) FROM ec e JOIN ac a ON a.id = e.article_id
                                  WHERE NOT ${same('substring(a.text, e.start + 1, e."end" - e.start)', 'e.text')}`) },
  // non-null values per column, so all-empty columns can be told apart
  csv_nonnull: Object.fromEntries(await Promise.all(Object.keys(await types('ac')).map(
    async (k) => [k, await one(`SELECT count("${k}") FROM ac`)]))),
};
console.log(JSON.stringify(out));

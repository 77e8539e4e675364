/*
 * `winnow merge`: see merge.h and docs/scale-out.md.
 *
 * Four passes, none of which holds more than one partition in memory:
 *
 *  1. read   the shards' records.jsonl in global order (a heap over the
 *            shards by input index), sign each record's dedup text, and
 *            write to scratch files: the packed signature (fixed size, at
 *            record number * size), the id, one (content hash, number)
 *            entry into an exact partition and one (band key, number)
 *            entry per LSH band into a band partition;
 *  2. pair   sort each partition alone: equal content hashes make every
 *            later copy point at the first ("rep"); records sharing a
 *            band key are compared from their signatures' fine bins, and
 *            pairs at or above the threshold are written into range files
 *            by the later record's number;
 *  3. decide walk the records in order, one range file at a time, with
 *            one bit per record (kept or not): a record is dropped when it
 *            is a copy of a kept rep, or nearly the same text as a kept
 *            earlier record (the most similar; ties: the earliest) - the
 *            rule of a one-machine run, which checks each record against
 *            the records kept before it;
 *  4. write  read the records again in the same order and hand the kept
 *            ones to the config's sinks; the others go to the drop log
 *            with duplicate_of.
 *
 * Memory: the partitions are sized for about 8 MiB each, the bits are
 * 2 bits a record, the rest is per record. Disk: about 700 bytes of
 * signature and 230 bytes of band entries a record, removed at the end.
 */
#include "merge.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dedup.h"
#include "engine.h"
#include "ledger.h"
#include "loader.h"
#include "record.h"
#include "report.h"
#include "run.h"
#include "run_ident.h"
#include "shard.h"
#include "state.h"
#include "util.h"

#define EXIT_USAGE 64
#define PART_BYTES ((size_t)8 << 20) /* target size of one sorted partition */
#define MAX_PARTS 256
#define RANGE 65536 /* records per pair range file */
#define WINDOW 1000 /* earlier band members compared, as max_candidates */

enum { V_KEEP = 0, V_EXACT = 1, V_NEAR = 2 };

typedef struct exact_ent {
	uint64_t h0, h1;
	uint32_t i, pad;
} exact_ent;

typedef struct band_ent {
	uint64_t key;
	uint32_t i, pad;
} band_ent;

typedef struct pair_ent {
	uint32_t j, i;
	uint32_t kind, pad;
	double sim;
} pair_ent;

typedef struct verdict {
	uint32_t kind, of;
	double sim;
} verdict;

/* One shard's records.jsonl, read a line at a time. */
typedef struct reader {
	FILE *f;
	char *line;
	size_t cap;
	ssize_t len;
	int64_t unit;
	int shard;
} reader;

typedef struct merger {
	const char *workdir;
	wn_config *cfg;
	int shards;
	char *tmp;
	/* the global order */
	reader *rd;
	int *heap;
	int n_heap;
	uint64_t n;      /* records */
	uint64_t expect; /* records the shards' markers announce */
	/* dedup */
	wn_dedup *d;
	const wn_dedup_opts *o;
	size_t sig_size;
	FILE *sigs, *ids, *idx;
	FILE **xpart, **bpart, **range;
	int n_x, n_b, n_r;
	unsigned char *nonrep, *kept; /* bits */
	int64_t exact, near;
	/* sinks */
	wn_run run;
	wn_stage *sinks;
	size_t n_sinks;
	struct wn_output *drops;
	int64_t exported, dead;
	/* run.state: the merge is the store's one writer */
	int lock_fd;
	wn_state *state;
	wn_ledger *ledger;
	uint64_t prior;   /* records 0..prior-1: earlier runs' signatures */
	wn_dedup_sig ref; /* a signature of this config, to compare parameters */
	FILE **journal;   /* every shard's ledger journal */
	char *jline;
	size_t jcap;
} merger;

static int bit(const unsigned char *b, uint64_t i)
{
	return (b[i >> 3] >> (i & 7)) & 1;
}

static void set_bit(unsigned char *b, uint64_t i)
{
	b[i >> 3] |= (unsigned char)(1u << (i & 7));
}

/* --- reading the shards in global order --------------------------------- */

/* Reads the reader's next line and its input index; 0 at the end. */
static int reader_next(reader *r)
{
	r->len = getline(&r->line, &r->cap, r->f);
	if (r->len <= 0)
		return 0;
	const char *u = NULL;
	for (const char *p = r->line; (p = strstr(p, "\"u\":")); p += 4)
		u = p; /* shard_out writes "u" last */
	r->unit = u ? strtoll(u + 4, NULL, 10) : -1;
	return 1;
}

static int heap_less(const merger *m, int a, int b)
{
	return m->rd[a].unit < m->rd[b].unit;
}

static void heap_down(merger *m, int at)
{
	for (;;) {
		int l = 2 * at + 1, r = l + 1, best = at;
		if (l < m->n_heap && heap_less(m, m->heap[l], m->heap[best]))
			best = l;
		if (r < m->n_heap && heap_less(m, m->heap[r], m->heap[best]))
			best = r;
		if (best == at)
			return;
		int t = m->heap[at];
		m->heap[at] = m->heap[best];
		m->heap[best] = t;
		at = best;
	}
}

/* Opens every shard's records and builds the heap. 0 or -1. */
static wn_err order_open(merger *m)
{
	m->rd = wn_xcalloc((size_t)m->shards, sizeof(*m->rd));
	m->heap = wn_xcalloc((size_t)m->shards, sizeof(*m->heap));
	m->n_heap = 0;
	for (int k = 0; k < m->shards; k++) {
		char *dir = wn_shard_dir(m->workdir, k);
		char *path = wn_xasprintf("%s/records.jsonl", dir);
		m->rd[k].f = fopen(path, "r");
		m->rd[k].shard = k;
		if (!m->rd[k].f)
			wn_say("%s: %s", path, strerror(errno));
		free(path);
		free(dir);
		if (!m->rd[k].f)
			return WN_E_IO;
		if (reader_next(&m->rd[k]))
			m->heap[m->n_heap++] = k;
	}
	for (int i = m->n_heap / 2 - 1; i >= 0; i--)
		heap_down(m, i);
	return WN_E_OK;
}

/* The next line in global order (borrowed), or NULL at the end. A shard's
 * records of one input stay together and in their order. */
static reader *order_peek(merger *m)
{
	return m->n_heap ? &m->rd[m->heap[0]] : NULL;
}

static void order_pop(merger *m)
{
	reader *r = &m->rd[m->heap[0]];
	if (!reader_next(r))
		m->heap[0] = m->heap[--m->n_heap];
	heap_down(m, 0);
}

static void order_close(merger *m)
{
	for (int k = 0; m->rd && k < m->shards; k++) {
		if (m->rd[k].f)
			fclose(m->rd[k].f);
		free(m->rd[k].line);
	}
	free(m->rd);
	free(m->heap);
	m->rd = NULL;
	m->heap = NULL;
}

/* --- record values -------------------------------------------------------- */

static int unhex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A string value (JSON string or {"hex": ...}) into *out (heap, NUL
 * terminated) and *len. 0, or -1 when it is neither. */
static wn_err bytes_value(const json_t *v, char **out, size_t *len)
{
	if (json_is_string(v)) {
		*len = json_string_length(v);
		*out = wn_xmalloc(*len + 1);
		memcpy(*out, json_string_value(v), *len + 1);
		return WN_E_OK;
	}
	const json_t *h = json_object_get(v, "hex");
	if (!json_is_string(h) || json_string_length(h) % 2)
		return WN_E_FAIL;
	const char *s = json_string_value(h);
	*len = json_string_length(h) / 2;
	*out = wn_xmalloc(*len + 1);
	for (size_t i = 0; i < *len; i++) {
		int a = unhex(s[2 * i]), b = unhex(s[2 * i + 1]);
		if (a < 0 || b < 0) {
			free(*out);
			return WN_E_FAIL;
		}
		(*out)[i] = (char)(a * 16 + b);
	}
	(*out)[*len] = '\0';
	return WN_E_OK;
}

/* The field `name` of a parsed shard record, as bytes (heap) or NULL. */
static char *field_bytes(const json_t *rec, const char *name, size_t *len)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(rec, "f"), i, f)
	{
		const char *fname = json_string_value(json_array_get(f, 0));
		json_int_t type = json_integer_value(json_array_get(f, 1));
		char *out;
		if (fname && strcmp(fname, name) == 0 && (type == WN_T_STR || type == WN_T_BYTES) &&
		    bytes_value(json_array_get(f, 2), &out, len) == 0)
			return out;
	}
	return NULL;
}

/* A parsed shard record back into r. 0, or -1 when it is malformed. */
static wn_err record_fill(wn_record *r, const json_t *rec)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(rec, "f"), i, f)
	{
		const char *name = json_string_value(json_array_get(f, 0));
		json_int_t type = json_integer_value(json_array_get(f, 1));
		const json_t *v = json_array_get(f, 2);
		int rc = -1;
		if (!name)
			return WN_E_FAIL;
		if (type == WN_T_INT && json_is_integer(v)) {
			rc = wn_record_set_int(r, name, json_integer_value(v));
		} else if (type == WN_T_REAL && json_is_string(v)) {
			rc = wn_record_set_real(r, name, strtod(json_string_value(v), NULL));
		} else if (type == WN_T_STR || type == WN_T_BYTES) {
			char *b;
			size_t n;
			if (bytes_value(v, &b, &n) == 0) {
				rc = wn_record_set(r, name, (int)type, b, n);
				free(b);
			}
		}
		if (rc != WN_OK)
			return WN_E_FAIL;
	}
	json_array_foreach(json_object_get(rec, "e"), i, f)
	{
		char *s[5] = {NULL};
		size_t n;
		for (int k = 0; k < 5; k++)
			if (!json_is_null(json_array_get(f, (size_t)k)))
				bytes_value(json_array_get(f, (size_t)k), &s[k], &n);
		wn_entity e = {sizeof(wn_entity),
		               s[0],
		               s[1],
		               s[2],
		               s[3],
		               s[4],
		               json_integer_value(json_array_get(f, 5)),
		               json_integer_value(json_array_get(f, 6)),
		               strtod(json_string_value(json_array_get(f, 7)) ?: "0", NULL),
		               NULL};
		const char *stage = json_string_value(json_array_get(f, 8));
		int rc = wn_record_add_entity(r, &e, stage);
		for (int k = 0; k < 5; k++)
			free(s[k]);
		if (rc != WN_OK)
			return WN_E_FAIL;
	}
	return WN_E_OK;
}

/* --- scratch files -------------------------------------------------------- */

static FILE *scratch(merger *m, const char *name, int k)
{
	char *path = wn_xasprintf("%s/%s.%d", m->tmp, name, k);
	FILE *f = fopen(path, "w+");
	if (!f)
		wn_say("%s: %s", path, strerror(errno));
	else
		unlink(path); /* nameless: its space goes when it is closed */
	free(path);
	return f;
}

static wn_err scratch_set(merger *m, FILE ***v, int n, const char *name)
{
	*v = wn_xcalloc((size_t)n, sizeof(**v));
	for (int k = 0; k < n; k++)
		if (!((*v)[k] = scratch(m, name, k)))
			return WN_E_IO;
	return WN_E_OK;
}

static void scratch_close(FILE **v, int n)
{
	for (int k = 0; v && k < n; k++)
		if (v[k])
			fclose(v[k]);
	free(v);
}

/* The whole of a scratch file, read back into memory (heap). */
static void *load_part(FILE *f, size_t *bytes)
{
	fflush(f);
	struct stat sb;
	fstat(fileno(f), &sb);
	*bytes = (size_t)sb.st_size;
	void *b = wn_xmalloc(*bytes ? *bytes : 1);
	if (*bytes && pread(fileno(f), b, *bytes, 0) != (ssize_t)*bytes) {
		free(b);
		return NULL;
	}
	return b;
}

static size_t clamp_parts(uint64_t bytes)
{
	uint64_t n = bytes / PART_BYTES + 1;
	return n > MAX_PARTS ? MAX_PARTS : (size_t)n;
}

/* 64-bit key of LSH band b: its rows, the shingle size and b, so equal
 * rows of different bands or shingle sizes never meet. */
static uint64_t band_key(const wn_dedup_sig *s, int b, int rows)
{
	uint64_t h = 1469598103934665603ULL ^ ((uint64_t)s->k << 32 | (uint32_t)b);
	for (int r = 0; r < rows; r++)
		h = (h ^ s->lsh[b * rows + r]) * 1099511628211ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

/* --- pass 1: read, sign, partition ---------------------------------------- */

/* Appends code point cp (not a surrogate) as UTF-8. */
static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	o[0] = (char)(0xe0 | cp >> 12);
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* Decodes the JSON string body at p (after its opening quote), up to
 * end, into out; its length, or -1 for what this reader leaves to jansson
 * (a surrogate escape, no closing quote). */
static long unescape(const char *p, const char *end, char *out)
{
	size_t k = 0;
	while (p < end && *p != '"') {
		if (*p != '\\') {
			out[k++] = *p++;
			continue;
		}
		if (++p >= end)
			return -1;
		static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
		const char *at = *p ? strchr(from, *p) : NULL;
		if (at) {
			out[k++] = to[at - from];
			p++;
			continue;
		}
		unsigned cp = 0;
		for (int i = 1; i <= 4 && *p == 'u'; i++) {
			int h =
			    p + i < end ? unhex(p[i] >= 'A' && p[i] <= 'F' ? p[i] + 32 : p[i]) : -1;
			if (h < 0)
				return -1;
			cp = cp * 16 + (unsigned)h;
		}
		if (*p != 'u' || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		k += put_utf8(out + k, cp);
		p += 5;
	}
	return p < end ? (long)k : -1;
}

/* What scan_field found. */
typedef enum scan_res {
	SCAN_PARSE = -1, /* anything else: the caller parses the line with jansson */
	SCAN_ABSENT = 0, /* no such field */
	SCAN_FOUND = 1,  /* *out (heap) holds the decoded value */
} scan_res;

/* Pass 1's fast path: field `name`'s value in a shard_out line when it
 * is a plain string (type STR), decoded, without parsing the whole line
 * (jansson checks every byte and was half of the merge's time). */
static scan_res scan_field(const char *line, size_t len, const char *name, char **out, size_t *n)
{
	/* '["' and '],"e":' cannot occur inside a JSON string (its quotes are
	 * escaped), so they mark a field's start and the end of the fields. */
	const char *end = memmem(line, len, "],\"e\":", 6);
	if (!end || strpbrk(name, "\"\\"))
		return SCAN_PARSE;
	char pat[WN_DEDUP_MAX_ID + 8];
	int pn = snprintf(pat, sizeof pat, "[\"%s\",", name);
	if (pn <= 0 || (size_t)pn >= sizeof pat)
		return SCAN_PARSE;
	const char *p = memmem(line, (size_t)(end - line), pat, (size_t)pn);
	if (!p)
		return SCAN_ABSENT;
	p += pn;
	if (end - p < 3 || p[0] != '1' || p[1] != ',' || p[2] != '"')
		return SCAN_PARSE;
	p += 3;
	*out = wn_xmalloc((size_t)(end - p) + 1);
	long k = unescape(p, end, *out);
	if (k < 0) {
		free(*out);
		*out = NULL;
		return SCAN_PARSE;
	}
	(*out)[k] = '\0';
	*n = (size_t)k;
	return SCAN_FOUND;
}

/* The id and dedup text of a line: by the fast path, else by jansson. */
static wn_err read_fields(merger *m, reader *r, char **id, size_t *idn, char **text, size_t *n)
{
	*id = *text = NULL;
	scan_res a = scan_field(r->line, (size_t)r->len, "id", id, idn);
	scan_res b = a == SCAN_PARSE
	                 ? SCAN_PARSE
	                 : scan_field(r->line, (size_t)r->len, m->cfg->dedup.field, text, n);
	if (a != SCAN_PARSE && b != SCAN_PARSE)
		return WN_E_OK;
	free(*id);
	free(*text);
	json_error_t err;
	json_t *rec = json_loadb(r->line, (size_t)r->len, 0, &err);
	if (!rec) {
		wn_say("shard %05d, records.jsonl: %s", r->shard, err.text);
		return WN_E_FAIL;
	}
	*id = field_bytes(rec, "id", idn);
	*text = field_bytes(rec, m->cfg->dedup.field, n);
	json_decref(rec);
	return WN_E_OK;
}

/* Where pass 1 writes: the next record number and id offset. */
typedef struct cursor {
	merger *m;
	uint64_t i, id_off;
	unsigned char *pk;
} cursor;

/* Record c->i into the scratch files: its signature (zeros without one),
 * its id, and, with a signature, its exact and band entries. */
static void put_record(cursor *c, const char *id, size_t idn, const wn_dedup_sig *sig, int have)
{
	merger *m = c->m;
	uint64_t i = c->i++;
	memset(c->pk, 0, m->sig_size);
	if (have)
		wn_dedup_sig_pack(sig, c->pk, m->sig_size);
	fwrite(c->pk, 1, m->sig_size, m->sigs);
	fwrite(id ? id : "", 1, (id ? idn : 0) + 1, m->ids);
	fwrite(&c->id_off, sizeof c->id_off, 1, m->idx);
	c->id_off += (id ? idn : 0) + 1;
	if (have && m->cfg->dedup.exact) {
		exact_ent e = {sig->exact[0], sig->exact[1], (uint32_t)i, 0};
		fwrite(&e, sizeof e, 1, m->xpart[sig->exact[0] % (uint64_t)m->n_x]);
	}
	for (int b = 0; have && m->cfg->dedup.near && b < m->o->bands; b++) {
		band_ent e = {band_key(sig, b, m->o->rows), (uint32_t)i, 0};
		fwrite(&e, sizeof e, 1, m->bpart[e.key % (uint64_t)m->n_b]);
	}
}

static wn_err read_one(cursor *c, reader *r)
{
	size_t n = 0, idn = 0;
	char *id, *text;
	if (read_fields(c->m, r, &id, &idn, &text, &n))
		return WN_E_FAIL;
	wn_dedup_sig sig;
	memset(&sig, 0, sizeof sig);
	int rc = text ? wn_dedup_sign(c->m->d, text, n, &sig) : WN_DEDUP_EINVAL;
	if (rc == WN_DEDUP_ENOMEM)
		wn_oom(); /* dedup.c reports it as a code (util.h) */
	int have = rc == WN_DEDUP_OK && sig.k > 0;
	free(text);
	put_record(c, id, idn, &sig, have);
	free(id);
	return WN_E_OK;
}

/* Duplicates are looked for (else, as in a one-machine run, earlier
 * runs' signatures are not loaded and none are kept). */
static int dedup_on(const merger *m)
{
	return m->cfg->dedup.exact || m->cfg->dedup.near;
}

/* One signature an earlier run committed, as a record before the plan:
 * kept, never written, so later copies in the plan name it, as a
 * one-machine run that loads them into its index (history.c). One made
 * with other dedup settings cannot be compared and is left out, as
 * there. Counted in m->prior. */
static wn_err put_prior(const char *id, const void *blob, size_t n, void *arg)
{
	cursor *c = arg;
	merger *m = c->m;
	wn_dedup_sig sig;
	if (wn_dedup_sig_unpack(blob, n, &sig) || sig.params != m->ref.params ||
	    sig.num_perm != m->ref.num_perm || sig.confirm_bins != m->ref.confirm_bins ||
	    sig.k == 0 || strlen(id) > WN_DEDUP_MAX_ID)
		return WN_E_OK;
	if (c->i >= m->expect)
		return WN_E_FAIL;
	put_record(c, id, strlen(id), &sig, 1);
	m->prior++;
	return WN_E_OK;
}

static wn_err pass_read(merger *m)
{
	cursor c = {m, 0, 0, wn_xmalloc(m->sig_size)};
	if (m->ledger && dedup_on(m) && wn_ledger_each_signature(m->ledger, put_prior, &c)) {
		wn_say("state store: %s", wn_ledger_last_error());
		free(c.pk);
		return WN_E_FAIL;
	}
	if (order_open(m)) {
		free(c.pk);
		return WN_E_FAIL;
	}
	wn_err rc = WN_E_OK;
	for (reader *r; rc == 0 && (r = order_peek(m)); order_pop(m)) {
		if (c.i >= m->expect ||
		    c.i >= UINT32_MAX) { /* the scratch is sized by the markers */
			wn_say("the shards hold more records than their markers say (%llu); rerun "
			       "the shards",
			       (unsigned long long)(m->expect - m->prior));
			rc = WN_E_FAIL;
			break;
		}
		rc = read_one(&c, r);
	}
	free(c.pk);
	order_close(m);
	m->n = c.i;
	fflush(m->sigs);
	fflush(m->ids);
	fflush(m->idx);
	return rc;
}

/* --- pass 2: pairs ---------------------------------------------------------- */

static int cmp_exact(const void *a, const void *b)
{
	const exact_ent *x = a, *y = b;
	if (x->h0 != y->h0)
		return x->h0 < y->h0 ? -1 : 1;
	if (x->h1 != y->h1)
		return x->h1 < y->h1 ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int cmp_band(const void *a, const void *b)
{
	const band_ent *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void put_pair(merger *m, uint32_t j, uint32_t i, uint32_t kind, double sim)
{
	pair_ent p = {j, i, kind, 0, sim};
	fwrite(&p, sizeof p, 1, m->range[j / RANGE]);
}

static wn_err pass_exact(merger *m)
{
	for (int k = 0; k < m->n_x; k++) {
		size_t bytes;
		exact_ent *e = load_part(m->xpart[k], &bytes);
		if (!e)
			return WN_E_IO;
		size_t n = bytes / sizeof *e;
		qsort(e, n, sizeof *e, cmp_exact);
		for (size_t a = 0; a < n;) {
			size_t b = a + 1;
			for (; b < n && e[b].h0 == e[a].h0 && e[b].h1 == e[a].h1; b++) {
				set_bit(m->nonrep, e[b].i);
				put_pair(m, e[b].i, e[a].i, V_EXACT, 1.0);
			}
			a = b;
		}
		free(e);
	}
	return WN_E_OK;
}

/* Reads and unpacks record i's signature. 0 or -1. */
static wn_err sig_at(merger *m, uint32_t i, unsigned char *pk, wn_dedup_sig *s)
{
	if (pread(fileno(m->sigs), pk, m->sig_size, (off_t)i * (off_t)m->sig_size) !=
	    (ssize_t)m->sig_size)
		return WN_E_STORE;
	return wn_dedup_sig_unpack(pk, m->sig_size, s) == 0 ? WN_E_OK : WN_E_STORE;
}

/* One group of records sharing a band key: each against the WINDOW reps
 * before it in the group. */
static wn_err band_group(merger *m, const band_ent *g, size_t n, wn_dedup_sig *ring,
                         uint32_t *ring_i, unsigned char *pk)
{
	size_t filled = 0;
	for (size_t t = 0; t < n; t++) {
		if (bit(m->nonrep, g[t].i))
			continue;
		wn_dedup_sig *cur = &ring[filled % WINDOW];
		if (sig_at(m, g[t].i, pk, cur))
			return WN_E_IO;
		size_t from = filled > WINDOW - 1 ? filled - (WINDOW - 1) : 0;
		for (size_t x = from; x < filled; x++) {
			double sim = wn_dedup_similarity(&ring[x % WINDOW], cur);
			if (sim >= m->o->threshold)
				put_pair(m, g[t].i, ring_i[x % WINDOW], V_NEAR, sim);
		}
		ring_i[filled % WINDOW] = g[t].i;
		filled++;
	}
	return WN_E_OK;
}

static int pass_bands(merger *m)
{
	wn_dedup_sig *ring = wn_xmalloc(WINDOW * sizeof(*ring));
	uint32_t *ring_i = wn_xmalloc(WINDOW * sizeof(*ring_i));
	unsigned char *pk = wn_xmalloc(m->sig_size);
	int rc = 0;
	for (int k = 0; rc == 0 && k < m->n_b; k++) {
		size_t bytes;
		band_ent *e = load_part(m->bpart[k], &bytes);
		if (!e) {
			rc = -1;
			break;
		}
		fclose(m->bpart[k]); /* nameless: its space goes at once */
		m->bpart[k] = NULL;
		size_t n = bytes / sizeof *e;
		qsort(e, n, sizeof *e, cmp_band);
		for (size_t a = 0; rc == 0 && a < n;) {
			size_t b = a + 1;
			while (b < n && e[b].key == e[a].key)
				b++;
			if (b - a > 1)
				rc = band_group(m, e + a, b - a, ring, ring_i, pk);
			a = b;
		}
		free(e);
	}
	free(pk);
	free(ring_i);
	free(ring);
	return rc;
}

/* --- pass 3: decide ---------------------------------------------------------- */

static int cmp_pair(const void *a, const void *b)
{
	const pair_ent *x = a, *y = b;
	if (x->j != y->j)
		return x->j < y->j ? -1 : 1;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return x->kind < y->kind ? -1 : x->kind > y->kind;
}

/* The verdict of an earlier record: from the range in hand or the file. */
static verdict verdict_of(merger *m, FILE *vf, const verdict *cur, uint64_t base, uint32_t i)
{
	verdict v = {V_KEEP, 0, 0};
	if (i >= base)
		return cur[i - base];
	if (pread(fileno(vf), &v, sizeof v, (off_t)i * (off_t)sizeof v) != (ssize_t)sizeof v)
		v.kind = V_KEEP;
	(void)m;
	return v;
}

/* Decides record j from its pairs p[0..n) (sorted by i). */
static verdict decide(merger *m, FILE *vf, const verdict *cur, uint64_t base, uint32_t j,
                      const pair_ent *p, size_t n)
{
	verdict v = {V_KEEP, 0, 0};
	if (j < m->prior) { /* an earlier run's: kept, as in a one-machine index */
		set_bit(m->kept, j);
		return v;
	}
	if (bit(m->nonrep, j)) {
		for (size_t t = 0; t < n; t++)
			if (p[t].kind == V_EXACT) {
				if (bit(m->kept, p[t].i))
					return (verdict){V_EXACT, p[t].i, 1.0};
				/* its rep was dropped: so is this copy, for the same reason */
				verdict r = verdict_of(m, vf, cur, base, p[t].i);
				return r.kind == V_KEEP ? (verdict){V_EXACT, p[t].i, 1.0} : r;
			}
	}
	for (size_t t = 0; t < n; t++)
		if (p[t].kind == V_NEAR && (t == 0 || p[t].i != p[t - 1].i) &&
		    bit(m->kept, p[t].i) && (v.kind == V_KEEP || p[t].sim > v.sim))
			v = (verdict){V_NEAR, p[t].i, p[t].sim};
	if (v.kind == V_KEEP)
		set_bit(m->kept, j);
	return v;
}

static wn_err pass_decide(merger *m, FILE *vf)
{
	verdict *cur = wn_xmalloc(RANGE * sizeof(*cur));
	for (int r = 0; r < m->n_r; r++) {
		size_t bytes;
		pair_ent *p = load_part(m->range[r], &bytes);
		if (!p) {
			free(cur);
			return WN_E_IO;
		}
		fclose(m->range[r]);
		m->range[r] = NULL;
		size_t n = bytes / sizeof *p, at = 0;
		qsort(p, n, sizeof *p, cmp_pair);
		uint64_t base = (uint64_t)r * RANGE,
		         end = base + RANGE < m->n ? base + RANGE : m->n;
		for (uint64_t j = base; j < end; j++) {
			size_t from = at;
			while (at < n && p[at].j == j)
				at++;
			verdict v = decide(m, vf, cur, base, (uint32_t)j, p + from, at - from);
			cur[j - base] = v;
			m->exact += v.kind == V_EXACT;
			m->near += v.kind == V_NEAR;
		}
		free(p);
		if (end > base && fwrite(cur, sizeof *cur, end - base, vf) != end - base) {
			free(cur);
			return WN_E_IO;
		}
		fflush(vf);
	}
	free(cur);
	return WN_E_OK;
}

/* --- pass 4: write ------------------------------------------------------------ */

/* The id of record i (from the scratch files) into buf. */
static void id_at(merger *m, uint32_t i, char *buf, size_t cap)
{
	uint64_t off = 0;
	buf[0] = '\0';
	if (pread(fileno(m->idx), &off, sizeof off, (off_t)i * 8) != 8)
		return;
	ssize_t n = pread(fileno(m->ids), buf, cap - 1, (off_t)off);
	buf[n > 0 ? n : 0] = '\0';
}

static wn_err sinks_open(merger *m, const char *outdir, wn_diag *d)
{
	wn_config *cfg = m->cfg;
	const char *dir = cfg->doc ? cfg->doc->dir : ".";
	wn_run_init(&m->run, cfg->name, outdir, dir);
	m->run.max_record_bytes = (size_t)cfg->max_record_bytes;
	size_t first = cfg->n_sources + cfg->n_transforms;
	m->n_sinks = cfg->n_stages - first;
	m->sinks = wn_xcalloc(m->n_sinks ? m->n_sinks : 1, sizeof(*m->sinks));
	m->run.stages = m->sinks;
	char **search = wn_loader_search_path(cfg->plugin_path);
	int errors = 0;
	for (size_t s = 0; s < m->n_sinks && !errors; s++) {
		const wn_stage_cfg *sc = &cfg->stages[first + s];
		wn_loaded l;
		if (wn_loader_load(sc->use, search, &l, d, NULL, 0, 0)) {
			errors++;
			break;
		}
		errors += wn_stage_setup(&m->sinks[s], &m->run, (int)s, sc->id, &l, 1, sc, sc->with,
		                         dir, d);
		m->run.n_stages = s + 1;
	}
	wn_loader_free_path(search);
	wn_outputs_sweep(outdir);
	if (errors || wn_mkdirs(outdir, 0777) ||
	    wn_outputs_begin(&m->run, wn_output_dir_per_run(outdir)))
		return WN_E_PLUGIN;
	for (size_t s = 0; s < m->n_sinks; s++)
		if (wn_stage_init(&m->sinks[s]) != WN_OK)
			return WN_E_PLUGIN;
	if (cfg->drop_log && *cfg->drop_log)
		m->drops = wn_output_open(&m->run, NULL, cfg->drop_log);
	return cfg->drop_log && *cfg->drop_log && !m->drops ? WN_E_PLUGIN : WN_E_OK;
}

/* A kept record to every sink (*exported: all of them took it); a
 * dropped one to the drop log. */
static wn_err write_one(merger *m, wn_record *r, const verdict *v, struct wn_output *dead,
                        int *exported)
{
	*exported = 0;
	if (v->kind != V_KEEP) {
		char of[WN_DEDUP_MAX_ID + 2], msg[WN_DEDUP_MAX_ID + 64];
		id_at(m, v->of, of, sizeof of);
		r->duplicate_of = of;
		r->similarity = v->sim;
		r->reason_code = (char *)(v->kind == V_EXACT ? "duplicate" : "near_duplicate");
		snprintf(msg, sizeof msg, "%s of %s (similarity %.3f)",
		         v->kind == V_EXACT ? "exact duplicate" : "near duplicate", of, v->sim);
		r->reason = msg;
		char *line = m->drops ? wn_report_dead_letter_line(NULL, r) : NULL;
		int rc = line ? wn_output_write(m->drops, line, strlen(line)) : 0;
		free(line);
		r->duplicate_of = r->reason = r->reason_code = NULL;
		return rc == WN_OK ? WN_E_OK : WN_E_FAIL;
	}
	int ok = 1;
	for (size_t s = 0; s < m->n_sinks; s++) {
		wn_stage *st = &m->sinks[s];
		atomic_fetch_add(&st->in, 1);
		int rc = st->plugin.desc.write(&st->inst[0], r);
		if (rc == WN_FATAL)
			return WN_E_FAIL;
		if (rc == WN_OK) {
			atomic_fetch_add(&st->ok, 1);
			continue;
		}
		atomic_fetch_add(&st->errors, 1);
		char *line = wn_report_dead_letter_line(st, r);
		if (line && dead)
			wn_output_write(dead, line, strlen(line));
		free(line);
		ok = 0;
	}
	m->exported += ok;
	m->dead += !ok;
	*exported = ok;
	return WN_E_OK;
}

/* --- run.state: the ledger rows of the plan ----------------------------------- */

/* What journal_next read. */
typedef enum journal_res {
	JOURNAL_BAD = -1, /* a line that is not a ledger row (reported) */
	JOURNAL_END = 0,  /* the end of the journal */
	JOURNAL_ROW = 1,  /* *row holds the next row */
} journal_res;

/* The next line of shard k's ledger journal, parsed into *row. */
static journal_res journal_next(merger *m, int k, wn_ledger_row *row)
{
	if (getline(&m->jline, &m->jcap, m->journal[k]) <= 0)
		return JOURNAL_END;
	if (wn_ledger_journal_read(m->jline, row) == 0)
		return JOURNAL_ROW;
	wn_say("shard %05d, %s: not a ledger line", k, WN_SHARD_JOURNAL);
	return JOURNAL_BAD;
}

/* The content hash shard k noted when it exported `id` into hash[65]: the
 * shard's journal holds one "exported" row per record it wrote, in the
 * same order. Its other rows (drops by a rule, failures, gone,
 * quarantined) are this run's too, and noted on the way. 0 or -1. */
static wn_err shard_hash(merger *m, int k, const char *id, char hash[65])
{
	wn_ledger_row row;
	journal_res rc;
	while ((rc = journal_next(m, k, &row)) == JOURNAL_ROW) {
		if (row.failure || row.outcome != WN_OUTCOME_EXPORTED) {
			if (wn_ledger_replay(m->ledger, &row))
				return WN_E_CONFIG;
			continue;
		}
		if (strcmp(row.id, id) != 0)
			break;
		snprintf(hash, 65, "%s", row.hash);
		return WN_E_OK;
	}
	if (rc != JOURNAL_BAD)
		wn_say("shard %05d: %s does not match its records.jsonl at %s; run the shard again",
		       k, WN_SHARD_JOURNAL, id);
	return WN_E_CONFIG;
}

/* The rest of every journal (rows after the shard's last record). */
static wn_err journal_rest(merger *m)
{
	for (int k = 0; k < m->shards; k++) {
		wn_ledger_row row;
		journal_res rc;
		while ((rc = journal_next(m, k, &row)) == JOURNAL_ROW) {
			if (!row.failure && row.outcome == WN_OUTCOME_EXPORTED) {
				wn_say("shard %05d: %s names %s, which is not in its "
				       "records.jsonl; run the shard again",
				       k, WN_SHARD_JOURNAL, row.id);
				return WN_E_CONFIG;
			}
			if (wn_ledger_replay(m->ledger, &row))
				return WN_E_CONFIG;
		}
		if (rc == JOURNAL_BAD)
			return WN_E_CONFIG;
	}
	return WN_E_OK;
}

/* What a one-machine run notes of record i, written as r (history.c):
 * exported with its content hash and signature, or, dropped as a
 * duplicate, its outcome with the hash, so later runs skip it while it
 * is unchanged. 0 or -1. */
static wn_err note_record(merger *m, int k, const wn_record *r, uint64_t i, int kept, int exported)
{
	const char *id = wn_record_get_str(r, "id", NULL);
	char hash[65];
	if (!m->ledger || !id)
		return WN_E_OK;
	if (shard_hash(m, k, id, hash))
		return WN_E_STORE;
	wn_err rc = WN_E_OK;
	if (!kept && *hash)
		rc = wn_ledger_remember(m->ledger, id, hash, WN_OUTCOME_DUPLICATE);
	if (kept && exported) {
		unsigned char *pk = wn_xmalloc(m->sig_size);
		int have = dedup_on(m) &&
		           pread(fileno(m->sigs), pk, m->sig_size, (off_t)i * (off_t)m->sig_size) ==
		               (ssize_t)m->sig_size &&
		           pk[0];
		rc = wn_ledger_exported(m->ledger, id, hash, have ? pk : NULL,
		                        have ? m->sig_size : 0);
		free(pk);
	}
	if (rc)
		wn_say("state store: %s", wn_ledger_last_error());
	return rc;
}

static wn_err pass_write(merger *m, FILE *vf, struct wn_output *dead)
{
	if (order_open(m))
		return WN_E_FAIL;
	fseek(vf, (long)(m->prior * sizeof(verdict)), SEEK_SET); /* the plan's records */
	wn_record *r = wn_record_new((size_t)m->cfg->max_record_bytes);
	wn_err rc = WN_E_OK;
	uint64_t i = m->prior;
	for (reader *rd; rc == 0 && (rd = order_peek(m)); order_pop(m), i++) {
		verdict v;
		int exported = 0;
		json_error_t err;
		json_t *rec = json_loadb(rd->line, (size_t)rd->len, 0, &err);
		wn_record_reset(r);
		if (!rec || fread(&v, sizeof v, 1, vf) != 1 || record_fill(r, rec)) {
			wn_say("shard %05d, records.jsonl: a record does not read back", rd->shard);
			rc = WN_E_FAIL;
		} else {
			rc = write_one(m, r, &v, dead, &exported);
			if (rc == 0)
				rc = note_record(m, rd->shard, r, i, v.kind == V_KEEP, exported);
		}
		json_decref(rec);
	}
	wn_record_free(r);
	order_close(m);
	if (rc == 0 && m->ledger)
		rc = journal_rest(m);
	return rc;
}

/* --- the shards' own logs and counters ----------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every shard's `name` (a dead-letter or drop log) into out, lines sorted
 * so the file is the same whatever N was. */
static int append_logs(merger *m, const char *name, struct wn_output *out)
{
	char **lines = NULL;
	size_t n = 0, cap = 0;
	for (int k = 0; k < m->shards; k++) {
		char *dir = wn_shard_dir(m->workdir, k);
		char *path = wn_path_join(dir, name);
		FILE *f = fopen(path, "r");
		char *line = NULL;
		size_t lcap = 0;
		while (f && getline(&line, &lcap, f) > 0) {
			if (n == cap)
				lines = wn_xrealloc(lines, (cap = cap * 2 + 64) * sizeof(*lines));
			lines[n++] = wn_xstrdup(line);
		}
		free(line);
		if (f)
			fclose(f);
		free(path);
		free(dir);
	}
	if (n)
		qsort(lines, n, sizeof(*lines), cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (out && rc == 0)
			rc = wn_output_write(out, lines[i], strlen(lines[i])) == WN_OK ? 0 : -1;
		free(lines[i]);
	}
	free(lines);
	return rc;
}

/* dst += src: integers added, objects merged the same way, anything else
 * kept from the first shard. */
static void json_sum(json_t *dst, const json_t *src)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)src, key, v)
	{
		json_t *d = json_object_get(dst, key);
		if (!d)
			json_object_set(dst, key, v);
		else if (json_is_integer(d) && json_is_integer(v))
			json_integer_set(d, json_integer_value(d) + json_integer_value(v));
		else if (json_is_object(d) && json_is_object(v))
			json_sum(d, v);
	}
}

/* The shards' run.json records and stages (but shard_out), summed. */
static void shard_totals(merger *m, json_t **records, json_t **stages, int *worst)
{
	*records = json_object();
	*stages = json_array();
	for (int k = 0; k < m->shards; k++) {
		char *dir = wn_shard_dir(m->workdir, k);
		char *path = wn_xasprintf("%s/run.json", dir);
		json_t *rj = json_load_file(path, 0, NULL);
		free(path);
		free(dir);
		if (!rj)
			continue;
		json_int_t code = json_integer_value(json_object_get(rj, "exit_code"));
		*worst = code > *worst ? (int)code : *worst;
		json_sum(*records, json_object_get(rj, "records"));
		size_t i, at = 0;
		json_t *st;
		json_array_foreach(json_object_get(rj, "stages"), i, st)
		{
			if (!strcmp(json_string_value(json_object_get(st, "plugin")) ?: "",
			            "shard_out"))
				continue;
			json_t *d = json_array_get(*stages, at);
			if (d)
				json_sum(d, st);
			else
				json_array_append_new(*stages, json_deep_copy(st));
			at++;
		}
		json_decref(rj);
	}
}

static json_t *merge_json(merger *m, int code, int64_t started_ms)
{
	json_t *records, *stages;
	int worst = 0;
	shard_totals(m, &records, &stages, &worst);
	json_t *dropped = json_object_get(records, "dropped");
	json_integer_set(dropped, json_integer_value(dropped) + m->exact + m->near);
	json_object_set_new(records, "exported", json_integer(m->exported));
	json_object_set_new(records, "duplicates", json_integer(m->exact + m->near));
	json_t *dead = json_object_get(records, "dead_lettered");
	json_integer_set(dead, json_integer_value(dead) + m->dead);
	for (size_t s = 0; s < m->n_sinks; s++) {
		const wn_stage *st = &m->sinks[s];
		json_array_append_new(
		    stages, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "id", st->id, "plugin",
		                      st->plugin.desc.name, "version", st->plugin.desc.version,
		                      "kind", "sink", "in", (json_int_t)atomic_load(&st->in), "ok",
		                      (json_int_t)atomic_load(&st->ok), "errors",
		                      (json_int_t)atomic_load(&st->errors)));
	}
	char now[32];
	wn_iso_utc(wn_now_ms() / 1000, now);
	return json_pack(
	    "{s:s, s:s, s:s, s:i, s:s, s:s, s:I, s:s, s:{s:s, s:s}, s:i, s:o, "
	    "s:{s:I, s:I, s:I}, s:o}",
	    "name", m->run.name, "run_id", m->run.run_id, "status", code == 0 ? "ok" : "partial",
	    "exit_code", code, "started_at", m->run.started_at, "finished_at", now, "duration_ms",
	    (json_int_t)(wn_now_ms() - started_ms), "winnow_version", WN_VERSION, "config", "path",
	    m->cfg->doc->path, "sha256", m->cfg->doc->sha256, "shards", m->shards, "records",
	    records, "merge", "records_in", (json_int_t)m->n, "exact_duplicates",
	    (json_int_t)m->exact, "near_duplicates", (json_int_t)m->near, "stages", stages);
}

/* metrics.prom for the plan, from the totals in run.json o. */
static int write_metrics(merger *m, const json_t *o, int code, int64_t started_ms)
{
	const json_t *r = json_object_get(o, "records");
	wn_report rep;
	memset(&rep, 0, sizeof rep);
	atomic_store(&rep.read, json_integer_value(json_object_get(r, "read")));
	rep.exported = m->exported;
	rep.dropped = json_integer_value(json_object_get(r, "dropped"));
	rep.dead = json_integer_value(json_object_get(r, "dead_lettered"));
	rep.duplicates = m->exact + m->near;
	return wn_report_write_metrics(&m->run, m->cfg, &rep, code, wn_now_ms() - started_ms);
}

static wn_err write_report(merger *m, int code, int64_t started_ms)
{
	json_t *o = merge_json(m, code, started_ms);
	if (o && write_metrics(m, o, code, started_ms)) {
		json_decref(o);
		return WN_E_IO;
	}
	char *s = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return wn_report_save(&m->run, s);
}

/* --- the command ------------------------------------------------------------------ */

static const char usage_merge[] =
    "usage: winnow merge --workdir DIR [--output DIR]\n"
    "\n"
    "Merges the shards of the plan in DIR once every shard is done: records in\n"
    "the frozen list's order, duplicates across shards dropped (the first copy\n"
    "in that order survives, as in a one-machine run), the survivors written by\n"
    "the config's own sinks into its run.output_dir (or --output DIR), with\n"
    "dropped.jsonl (duplicate_of), dead letters and one run.json for the plan.\n"
    "The dataset is the same bytes whatever the number of shards. With run.state\n"
    "the merge is the store's one writer: earlier runs' articles count as kept\n"
    "before the plan, and the plan's outcomes are committed with the dataset\n"
    "(once per plan; shards only read the store).\n";

/* Every shard done, and how many records they wrote. -1 when not. */
static int64_t shards_done(const char *workdir, int shards)
{
	int64_t total = 0;
	int missing = 0;
	for (int k = 0; k < shards; k++) {
		if (wn_shard_state(workdir, k) != WN_SHARD_DONE) {
			if (missing++ < 5)
				wn_say("shard %05d of %s is not done", k, workdir);
			continue;
		}
		char *path = wn_shard_marker(workdir, k, "done");
		json_t *j = json_load_file(path, 0, NULL);
		total +=
		    json_integer_value(json_object_get(json_object_get(j, "records"), "exported"));
		json_decref(j);
		free(path);
	}
	if (missing)
		wn_say("%d shard%s not done: run them again (`winnow plan --workdir %s --status` "
		       "lists them; `winnow slurm` resubmits only those)",
		       missing, missing == 1 ? "" : "s", workdir);
	return missing ? -1 : total;
}

/* With run.state the merge writes the store, so it takes the config's
 * run lock as a one-machine run does: no run of the config is live while
 * it settles and commits. WN_EXIT_OK, _LOCKED or _FAILED. */
static int lock_take(merger *m)
{
	if (!m->cfg->state)
		return WN_EXIT_OK;
	char *dir = wn_dirname(m->cfg->lock);
	wn_mkdirs(dir, 0777);
	free(dir);
	m->lock_fd = open(m->cfg->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (m->lock_fd < 0) {
		wn_say("cannot open lock file %s: %s", m->cfg->lock, strerror(errno));
		return WN_EXIT_FAILED;
	}
	if (flock(m->lock_fd, LOCK_EX | LOCK_NB) == 0)
		return WN_EXIT_OK;
	wn_say("another run holds the lock %s; not merging (exit 75)", m->cfg->lock);
	close(m->lock_fd);
	m->lock_fd = -1;
	return WN_EXIT_LOCKED;
}

static wn_err count_sig(const char *id, const void *sig, size_t n, void *arg)
{
	(void)id, (void)sig, (void)n;
	++*(uint64_t *)arg;
	return WN_E_OK;
}

/* Every shard's ledger journal (shard.h): a shard of a config with
 * run.state writes one. 0, or -1 after printing why. */
static wn_err journals_open(merger *m)
{
	m->journal = wn_xcalloc((size_t)m->shards, sizeof(*m->journal));
	for (int k = 0; k < m->shards; k++) {
		char *dir = wn_shard_dir(m->workdir, k);
		char *path = wn_path_join(dir, WN_SHARD_JOURNAL);
		m->journal[k] = fopen(path, "r");
		if (!m->journal[k])
			fprintf(
			    stderr,
			    "winnow: %s: %s: shard %05d ran without the state store (by an older "
			    "winnow); run it again\n",
			    path, strerror(errno), k);
		free(path);
		free(dir);
		if (!m->journal[k])
			return WN_E_IO;
	}
	return WN_E_OK;
}

static void find_status(const wn_ledger_run *r, void *arg)
{
	char *want = arg; /* the run id, then its status */
	if (strcmp(r->run_id, want) == 0)
		snprintf(want, 64, "=%s", r->status);
}

/* A plan is merged into the store once: its records are known there
 * after that, so a second merge would find each one a duplicate of
 * itself and write an empty dataset. DIR/state/merge.run names the last
 * merge that began; when the store says it committed, this one is
 * refused, else (it failed, or was killed and settled) it is replaced by
 * this run's id. 0, or -1 after printing why. */
static wn_err merged_before(merger *m)
{
	char *path = wn_xasprintf("%s/state/merge.run", m->workdir);
	char id[64] = "";
	FILE *f = fopen(path, "r");
	if (f && !fgets(id, sizeof id, f))
		id[0] = '\0';
	if (f)
		fclose(f);
	id[strcspn(id, "\n")] = '\0';
	char status[64];
	snprintf(status, sizeof status, "%s", id);
	if (*id && wn_ledger_each_run(m->ledger, 0, find_status, status) == 0 &&
	    (!strcmp(status, "=committed") || !strcmp(status, "=pruned"))) {
		wn_say("the plan in %s was merged into the state store by run %s: its records are "
		       "known there now (a second merge would find each one a duplicate of "
		       "itself); plan new inputs in a new --workdir",
		       m->workdir, id);
		free(path);
		return WN_E_STORE;
	}
	char *tmp = wn_xasprintf("%s.tmp.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	int ok = f && fprintf(f, "%s\n", m->run.run_id) > 0;
	ok = f && fclose(f) == 0 && ok && rename(tmp, path) == 0;
	if (!ok) {
		wn_say("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	free(path);
	return ok ? WN_E_OK : WN_E_STORE;
}

/* With run.state: the store opened (earlier runs a process left
 * unfinished settled, under the lock), this merge begun as a run of the
 * history, *prior set to the earlier runs' signatures (an upper bound of
 * the records before the plan). 0, or -1 after printing why. */
static wn_err state_open(merger *m, uint64_t *prior)
{
	*prior = 0;
	if (!m->cfg->state)
		return WN_E_OK;
	char err[512];
	if (journals_open(m))
		return WN_E_STORE;
	m->state = wn_state_open(m->cfg->state, err, sizeof(err));
	if (m->state)
		m->ledger = wn_ledger_open(wn_state_db(m->state), 1, err, sizeof(err));
	if (!m->ledger) {
		wn_say("state store %s: %s", m->cfg->state, err);
		return WN_E_STORE;
	}
	int refused = merged_before(m);
	if (refused || (dedup_on(m) && wn_ledger_each_signature(m->ledger, count_sig, prior)) ||
	    wn_ledger_begin(m->ledger, m->run.run_id, m->run.name, m->run.started_at,
	                    m->run.output_dir, m->cfg->doc ? m->cfg->doc->sha256 : NULL)) {
		if (!refused)
			wn_say("state store %s: %s", m->cfg->state, wn_ledger_last_error());
		wn_ledger_close(m->ledger); /* not begun: nothing to abort */
		m->ledger = NULL;
		return WN_E_STORE;
	}
	return WN_E_OK;
}

/* Scratch files sized for `expect` records. 0 or -1. */
static wn_err merger_open(merger *m, uint64_t expect)
{
	wn_dedup_opts o = {.threshold = m->cfg->dedup.threshold, .shingle = m->cfg->dedup.shingle};
	m->d = wn_dedup_new(&o);
	if (!m->d)
		return WN_E_IO;
	m->o = wn_dedup_options(m->d);
	if (wn_dedup_sign(m->d, "winnow", 6, &m->ref)) /* for put_prior */
		return WN_E_IO;
	m->sig_size = WN_DEDUP_PACKED_SIZE(m->o->num_perm, m->o->confirm_bins);
	m->n_x = (int)clamp_parts(expect * sizeof(exact_ent));
	m->n_b = (int)clamp_parts(expect * (uint64_t)m->o->bands * sizeof(band_ent));
	m->n_r = (int)(expect / RANGE + 1);
	m->expect = expect;
	m->tmp = wn_xasprintf("%s/merge.tmp.%d", m->workdir, (int)getpid());
	if (wn_mkdirs(m->tmp, 0777)) {
		wn_say("%s: %s", m->tmp, strerror(errno));
		return WN_E_IO;
	}
	m->nonrep = wn_xcalloc(expect / 8 + 1, 1);
	m->kept = wn_xcalloc(expect / 8 + 1, 1);
	if (!(m->sigs = scratch(m, "sigs", 0)) || !(m->ids = scratch(m, "ids", 0)) ||
	    !(m->idx = scratch(m, "idx", 0)))
		return WN_E_IO;
	if (scratch_set(m, &m->xpart, m->n_x, "exact") ||
	    scratch_set(m, &m->bpart, m->n_b, "band") || scratch_set(m, &m->range, m->n_r, "pairs"))
		return WN_E_IO;
	return WN_E_OK;
}

static void merger_close(merger *m)
{
	scratch_close(m->xpart, m->n_x);
	scratch_close(m->bpart, m->n_b);
	scratch_close(m->range, m->n_r);
	if (m->sigs)
		fclose(m->sigs);
	if (m->ids)
		fclose(m->ids);
	if (m->idx)
		fclose(m->idx);
	free(m->nonrep);
	free(m->kept);
	wn_dedup_free(m->d);
	if (m->tmp)
		wn_rmtree(m->tmp);
	free(m->tmp);
	for (size_t s = 0; s < m->n_sinks; s++)
		if (m->sinks[s].inst)
			wn_stage_teardown(&m->sinks[s]);
	free(m->sinks);
	if (m->run.name)
		wn_run_destroy(&m->run);
	for (int k = 0; m->journal && k < m->shards; k++)
		if (m->journal[k])
			fclose(m->journal[k]);
	free(m->journal);
	free(m->jline);
	wn_ledger_close(m->ledger);
	wn_state_close(m->state);
	if (m->lock_fd >= 0)
		close(m->lock_fd);
}

/* The plan's counts, as a one-machine run keeps them in the store. */
static wn_ledger_counts ledger_counts(const merger *m, const json_t *rec)
{
	wn_ledger_counts c = {0};
	c.read = json_integer_value(json_object_get(rec, "read"));
	c.exported = m->exported;
	c.dropped = json_integer_value(json_object_get(rec, "dropped"));
	c.dead = json_integer_value(json_object_get(rec, "dead_lettered")) + m->dead;
	c.seen = json_integer_value(json_object_get(rec, "seen"));
	c.duplicates = m->exact + m->near;
	return c;
}

/* Pass 3 and 4, the shards' logs, the sinks' commit and run.json. */
static int finish(merger *m, int64_t started)
{
	FILE *vf = scratch(m, "verdicts", 0);
	struct wn_output *dead = m->cfg->dead_letter && *m->cfg->dead_letter
	                             ? wn_output_open(&m->run, NULL, m->cfg->dead_letter)
	                             : NULL;
	int rc = vf ? pass_decide(m, vf) : -1;
	if (rc == 0)
		rc = pass_write(m, vf, dead);
	if (vf)
		fclose(vf);
	if (rc == 0 && m->cfg->dead_letter && *m->cfg->dead_letter)
		rc = append_logs(m, m->cfg->dead_letter, dead);
	if (rc == 0 && m->drops)
		rc = append_logs(m, m->cfg->drop_log, m->drops);
	for (size_t s = 0; rc == 0 && s < m->n_sinks; s++)
		if (m->sinks[s].plugin.desc.commit &&
		    m->sinks[s].plugin.desc.commit(&m->sinks[s].inst[0]) != WN_OK)
			rc = -1;
	int worst = 0;
	json_t *r, *s;
	shard_totals(m, &r, &s, &worst);
	wn_ledger_counts c = ledger_counts(m, r);
	json_decref(r);
	json_decref(s);
	int code = worst == 0 && m->dead == 0 ? WN_EXIT_OK : WN_EXIT_PARTIAL;
	if (rc == 0)
		rc = write_report(m, code, started);
	/* The one-machine commit (ledger.h): rows prepared, outputs renamed
	 * (run.json, with this run's id, last), then the rows count. */
	if (rc == 0 && m->ledger && wn_ledger_prepare(m->ledger)) {
		wn_say("state store: %s", wn_ledger_last_error());
		rc = -1;
	}
	if (rc == 0)
		rc = wn_outputs_commit(&m->run);
	else
		wn_outputs_abort(&m->run);
	char now[32];
	wn_iso_utc(wn_now_ms() / 1000, now);
	if (m->ledger && rc != 0)
		wn_ledger_abort(m->ledger, "failed", WN_EXIT_FAILED, now, &c);
	if (m->ledger && rc == 0 && wn_ledger_commit(m->ledger, code, now, &c)) {
		/* The outputs are in place: the next run settles this one as
		 * committed from its run.json, nothing repeats. */
		wn_say("state store: cannot mark the merge committed: %s", wn_ledger_last_error());
		return WN_EXIT_FAILED;
	}
	return rc == 0 ? code : WN_EXIT_FAILED;
}

static int merge(const char *workdir, const char *output)
{
	int64_t started = wn_now_ms();
	wn_plan p;
	if (wn_plan_read(workdir, &p))
		return WN_EXIT_FAILED;
	int64_t expect = shards_done(workdir, p.shards);
	wn_config *cfg = expect >= 0 ? wn_plan_config(&p) : NULL;
	if (!cfg) {
		wn_plan_free(&p);
		return expect < 0 ? WN_EXIT_FAILED : WN_EXIT_CONFIG;
	}
	merger m = {.workdir = workdir, .cfg = cfg, .shards = p.shards, .lock_fd = -1};
	wn_diag d = {0};
	uint64_t prior = 0;
	int code = lock_take(&m);
	if (code != WN_EXIT_OK) {
		/* nothing was begun */
	} else if (sinks_open(&m, output ? output : cfg->output_dir, &d) == 0 &&
	           state_open(&m, &prior) == 0 && merger_open(&m, (uint64_t)expect + prior) == 0 &&
	           pass_read(&m) == 0 && pass_exact(&m) == 0 && pass_bands(&m) == 0) {
		code = finish(&m, started);
	} else {
		code = WN_EXIT_FAILED;
		if (m.run.name)
			wn_outputs_abort(&m.run);
		if (m.ledger) {
			char now[32];
			wn_iso_utc(wn_now_ms() / 1000, now);
			wn_ledger_abort(m.ledger, "failed", code, now, &(wn_ledger_counts){0});
		}
	}
	if (code == WN_EXIT_FAILED)
		wn_say("merge of %s failed; nothing was committed", workdir);
	merger_close(&m);
	wn_plan_config_free(cfg);
	wn_plan_free(&p);
	return code;
}

int wn_cmd_merge(int argc, char **argv)
{
	enum { O_WORKDIR = 256, O_OUTPUT };
	static const struct option opts[] = {{"workdir", required_argument, NULL, O_WORKDIR},
	                                     {"output", required_argument, NULL, O_OUTPUT},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *workdir = NULL, *output = NULL;
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(usage_merge, stdout);
			return 0;
		} else if (ch == O_WORKDIR) {
			workdir = optarg;
		} else if (ch == O_OUTPUT) {
			output = optarg;
		} else {
			fputs(usage_merge, stderr);
			return EXIT_USAGE;
		}
	}
	if (!workdir || optind < argc) {
		return wn_usage_error(usage_merge, "merge needs --workdir DIR and nothing else");
	}
	return merge(workdir, output);
}

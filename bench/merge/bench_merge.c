/*
 * bench/merge: the programs around `winnow merge` for bench/merge/run.
 *
 *   bench_merge gen DIR RECORDS SHARDS SEED CONFIG
 *       writes a work folder as `winnow plan` and SHARDS finished shards
 *       would leave it: RECORDS records (id, url, text) from bench/dedup's
 *       corpus, one input each, round-robin over the shards, with the
 *       corpus's planted copies thinned to 30% of the records (copies take
 *       a story of the last 1,000, so nearly all land in another shard).
 *   bench_merge inmem RECORDS SEED
 *       the peer: the one-machine way, one in-memory wn_dedup index over
 *       the same texts in the same order; prints records/s and peak RSS.
 *   bench_merge check DROPPED SAMPLE SEED
 *       precision and recall of the merge's duplicate verdicts (ids in the
 *       merged dropped.jsonl) on the first SAMPLE records, against brute
 *       force: each record's exact shingle Jaccard with every record kept
 *       before it, dropped at >= 0.8; prints both speeds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "corpus.h"
#include "dedup.h"

#define COPY_KEEP 0.524 /* 45% copies in the corpus -> 30% of the records */

static void die(const char *msg)
{
	fprintf(stderr, "bench_merge: %s\n", msg);
	exit(2);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The records: corpus documents, copies thinned by a hash of the index. */
typedef struct stream {
	corpus *c;
	size_t next, made, want;
	char *buf;
	size_t cap;
} stream;

static int thinned(size_t i)
{
	uint64_t h = (uint64_t)i * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 29;
	return (double)(h >> 11) / 9007199254740992.0 >= COPY_KEEP;
}

static void stream_open(stream *s, size_t records, uint64_t seed)
{
	memset(s, 0, sizeof *s);
	s->want = records;
	s->c = corpus_new((size_t)((double)records / 0.75) + 1000, seed);
	if (!s->c)
		die("out of memory");
}

/* The next record's text (borrowed) and whether the corpus planted it as a
 * copy; NULL after the last. */
static const char *stream_next(stream *s, size_t *len, int *copy)
{
	while (s->made < s->want && s->next < corpus_size(s->c)) {
		size_t i = s->next++;
		const corpus_doc *d = corpus_meta(s->c, i);
		if (d->is_copy && thinned(i))
			continue;
		*len = corpus_render(s->c, i, &s->buf, &s->cap);
		if (*len == (size_t)-1)
			die("out of memory");
		*copy = d->is_copy;
		s->made++;
		return s->buf;
	}
	return NULL;
}

static void stream_close(stream *s)
{
	corpus_free(s->c);
	free(s->buf);
}

static void json_text(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static FILE *open_in(const char *dir, const char *fmt, int k, const char *mode)
{
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/", dir);
	snprintf(path + n, sizeof path - (size_t)n, fmt, k);
	FILE *f = fopen(path, mode);
	if (!f)
		fprintf(stderr, "bench_merge: %s: %s\n", path, strerror(errno)), exit(2);
	return f;
}

static int gen(const char *dir, size_t records, int shards, uint64_t seed, const char *config)
{
	char path[4096];
	const char *subs[] = {"shards", "state", "logs"};
	mkdir(dir, 0777);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, subs[i]);
		mkdir(path, 0777);
	}
	for (int k = 0; k < shards; k++) {
		snprintf(path, sizeof path, "%s/shards/%05d", dir, k);
		mkdir(path, 0777);
	}
	FILE **out = calloc((size_t)shards, sizeof *out);
	size_t *count = calloc((size_t)shards, sizeof *count);
	if (!out || !count)
		die("out of memory");
	for (int k = 0; k < shards; k++)
		out[k] = open_in(dir, "shards/%05d/records.jsonl", k, "w");
	stream s;
	stream_open(&s, records, seed);
	size_t len, copies = 0;
	int copy;
	const char *text;
	for (size_t r = 0; (text = stream_next(&s, &len, &copy)); r++) {
		FILE *f = out[r % (size_t)shards];
		fprintf(f,
		        "{\"f\":[[\"id\",1,\"d%09zu\"],[\"url\",1,\"https://bench.example/d%zu\"],"
		        "[\"text\",1,",
		        r, r);
		json_text(f, text, len);
		fprintf(f, "]],\"e\":[],\"u\":%zu}\n", r);
		count[r % (size_t)shards]++;
		copies += copy;
	}
	stream_close(&s);
	for (int k = 0; k < shards; k++) {
		fclose(out[k]);
		FILE *f = open_in(dir, "shards/%05d/run.json", k, "w");
		fprintf(f,
		        "{\"exit_code\": 0, \"records\": {\"read\": %zu, \"exported\": %zu, "
		        "\"dropped\": 0, \"seen\": 0, \"duplicates\": 0, \"dead_lettered\": 0}, "
		        "\"stages\": []}\n",
		        count[k], count[k]);
		fclose(f);
		f = open_in(dir, "state/%05d.done", k, "w");
		fprintf(f, "{\"shard\": %d, \"exit_code\": 0, \"records\": {\"exported\": %zu}}\n",
		        k, count[k]);
		fclose(f);
	}
	FILE *f = open_in(dir, "plan.txt", 0, "w");
	fprintf(f,
	        "winnow-plan 1\nshards %d\ninputs %zu\nlist_sha256 %064d\nconfig %s\n"
	        "config_sha256 %064d\n",
	        shards, records, 0, config, 0);
	fclose(f);
	printf("%zu records in %d shards, %zu planted copies (%.1f%%)\n", s.made, shards, copies,
	       100.0 * (double)copies / (double)s.made);
	free(out);
	free(count);
	return 0;
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int inmem(size_t records, uint64_t seed)
{
	wn_dedup *d = wn_dedup_new(NULL);
	if (!d)
		die("out of memory");
	stream s;
	stream_open(&s, records, seed);
	long base = peak_rss_kb();
	size_t len, dups = 0, r = 0;
	int copy;
	const char *text;
	char id[32];
	double t0 = now_s();
	while ((text = stream_next(&s, &len, &copy))) {
		wn_dedup_sig sig;
		wn_dedup_match m;
		if (wn_dedup_check(d, text, len, &sig, &m))
			die("sign failed");
		snprintf(id, sizeof id, "d%09zu", r++);
		if (m.kind != WN_DEDUP_UNIQUE)
			dups++;
		else if (sig.k && wn_dedup_add(d, id, &sig))
			die("index full");
	}
	double t = now_s() - t0;
	printf("in-memory index: %zu records, %zu duplicates, %.0f records/s (text made on the "
	       "fly), peak RSS %.1f MiB (%.1f MiB before)\n",
	       r, dups, (double)r / t, (double)peak_rss_kb() / 1024, (double)base / 1024);
	stream_close(&s);
	wn_dedup_free(d);
	return 0;
}

typedef struct shingles {
	uint64_t *h;
	size_t n;
} shingles;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids in a drop log (sorted, heap). */
static char **dropped_ids(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die("cannot read the drop log");
	char *line = NULL, **ids = NULL;
	size_t cap = 0, m = 0;
	while (getline(&line, &cap, f) > 0) {
		char *p = strstr(line, "\"id\": \"");
		size_t skip = 7;
		if (!p)
			p = strstr(line, "\"id\":\""), skip = 6;
		if (!p)
			continue;
		p += skip;
		char *e = strchr(p, '"');
		if (!e)
			continue;
		ids = realloc(ids, (m + 1) * sizeof *ids);
		ids[m++] = strndup(p, (size_t)(e - p));
	}
	free(line);
	fclose(f);
	qsort(ids, m, sizeof *ids, cmp_str);
	*n = m;
	return ids;
}

static int check(const char *drop_log, size_t sample, uint64_t seed)
{
	wn_dedup *d = wn_dedup_new(NULL);
	const wn_dedup_opts *o = wn_dedup_options(d);
	stream s;
	stream_open(&s, sample, seed);
	shingles *kept = calloc(sample, sizeof *kept);
	char *brute = calloc(sample, 1);
	size_t n_kept = 0, len, r = 0;
	int copy;
	const char *text;
	double t0 = now_s();
	while ((text = stream_next(&s, &len, &copy))) {
		shingles sh;
		if (wn_dedup_shingles(d, text, len, &sh.h, &sh.n))
			die("out of memory");
		double best = 0;
		for (size_t k = 0; k < n_kept && sh.n; k++) {
			size_t a = sh.n,
			       b = kept[k].n; /* the length filter any exact method uses */
			if ((double)(a < b ? a : b) < o->threshold * (double)(a < b ? b : a))
				continue;
			double j = wn_dedup_jaccard(sh.h, sh.n, kept[k].h, kept[k].n);
			best = j > best ? j : best;
		}
		if (sh.n && best >= o->threshold) {
			brute[r] = 1;
			free(sh.h);
		} else {
			kept[n_kept++] = sh;
		}
		r++;
	}
	double t = now_s() - t0;
	size_t n_ids;
	char **ids = dropped_ids(drop_log, &n_ids);
	size_t both = 0, merge_n = 0, brute_n = 0;
	char id[32], *key = id;
	for (size_t i = 0; i < r; i++) {
		snprintf(id, sizeof id, "d%09zu", i);
		int m = bsearch(&key, ids, n_ids, sizeof *ids, cmp_str) != NULL;
		merge_n += m;
		brute_n += brute[i];
		both += m && brute[i];
	}
	double p = merge_n ? (double)both / (double)merge_n : 1;
	double rc = brute_n ? (double)both / (double)brute_n : 1;
	printf("sample of the first %zu records: brute force drops %zu, merge drops %zu, both %zu\n"
	       "  precision %.4f, recall %.4f (vs brute-force exact Jaccard >= %.2f)\n"
	       "  brute force: %.0f records/s on the sample\n",
	       r, brute_n, merge_n, both, p, rc, o->threshold, (double)r / t);
	for (size_t k = 0; k < n_kept; k++)
		free(kept[k].h);
	for (size_t i = 0; i < n_ids; i++)
		free(ids[i]);
	free(ids);
	free(kept);
	free(brute);
	stream_close(&s);
	wn_dedup_free(d);
	return p >= 0.95 && rc >= 0.95 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 7 && !strcmp(argv[1], "gen"))
		return gen(argv[2], strtoull(argv[3], NULL, 10), atoi(argv[4]),
		           strtoull(argv[5], NULL, 10), argv[6]);
	if (argc == 4 && !strcmp(argv[1], "inmem"))
		return inmem(strtoull(argv[2], NULL, 10), strtoull(argv[3], NULL, 10));
	if (argc == 5 && !strcmp(argv[1], "check"))
		return check(argv[2], strtoull(argv[3], NULL, 10), strtoull(argv[4], NULL, 10));
	fputs("usage: bench_merge gen DIR RECORDS SHARDS SEED CONFIG | inmem RECORDS SEED |\n"
	      "       check DROPPED SAMPLE SEED\n",
	      stderr);
	return 64;
}

/*
 * ee-bench: runs the extract_entities core outside the host, for the
 * bench (bench/entities/run).
 *
 *   ee-bench -m MODEL [-p PUBLISHED] -j OUT.json TEXT.txt
 *       entities of one text as {"title": null, "body": ..., "entities": [...]}
 *       (the form tools/seeds_score.py reads)
 *   ee-bench -m MODEL -g DEV.bio
 *       the whole stage (tagger plus the article-level rules) on a BIO file in
 *       pseudo-documents of 10 sentences: exact-span P/R/F1; with
 *       WN_BENCH_LINES=caps only the names on ALL-CAPS lines count; with
 *       WN_BENCH_WRAP=72 the sentences of a document form one paragraph
 *       hard-wrapped at 72 columns
 *       With WN_EE_SKIP=step,... the named post-processing steps are off
 *       (ablation; the names: wn_ee_skip_parse in core.h)
 *   ee-bench -m MODEL -s SECONDS TEXT.txt...
 *       throughput on one core: the whole stage (tokenize, gazetteers, rules,
 *       tagger, linking) over the texts repeatedly for about SECONDS, after
 *       one warm-up pass; prints model load time, tokens per second and CPU
 *       seconds per pass (peers.js speed measures wink-nlp the same way)
 */
#include "core.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of this thread: a fair "one core" figure on a shared machine. */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	size_t k;
	while (buf && (k = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += k;
		if (len + 1 == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	fclose(f);
	if (!buf) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	buf[len] = 0;
	*n = len;
	return buf;
}

static int write_json(const wn_ee_work *w, const char *text, size_t n, const char *out)
{
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "title", json_null());
	json_object_set_new(root, "body", json_stringn(text, n));
	for (size_t i = 0; i < w->ents.n; i++) {
		const wn_ent *e = &w->ents.v[i];
		json_t *o = json_object();
		json_object_set_new(o, "type", json_string(wn_etype_name(e->type)));
		json_object_set_new(o, "text", json_stringn(text + e->start, e->end - e->start));
		json_object_set_new(o, "start", json_integer(e->start));
		json_object_set_new(o, "end", json_integer(e->end));
		if (e->value[0])
			json_object_set_new(o, "value", json_string(e->value));
		if (e->canon)
			json_object_set_new(o, "canonical", json_stringn(e->canon, e->canon_len));
		json_object_set_new(o, "confidence", json_real(e->conf));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "entities", arr);
	int rc = json_dump_file(root, out, JSON_INDENT(1) | JSON_ENSURE_ASCII * 0);
	json_decref(root);
	return rc;
}

/* ------------------------------------------------------------ -g: stage on BIO */

typedef struct gspan {
	uint32_t a, b;
	int type; /* 0 PER 1 ORG 2 LOC 3 MISC */
} gspan;

static int type_of_tag(const char *tag)
{
	static const char *const names[] = {"PER", "ORG", "LOC", "MISC"};
	for (int k = 0; k < 4; k++)
		if (strcmp(tag + 2, names[k]) == 0)
			return k;
	return -1;
}

static int type_of_ent(int t)
{
	switch (t) {
	case WN_E_PERSON:
		return 0;
	case WN_E_ORG:
		return 1;
	case WN_E_GPE:
	case WN_E_LOC:
		return 2;
	case WN_E_MISC:
		return 3;
	default:
		return -1;
	}
}

static long g_tp[4], g_fp[4], g_fn[4];

/* The line around byte `at` has letters and none in lower case (an
 * ALL-CAPS headline or dateline). */
static int caps_line(const char *text, size_t n, size_t at)
{
	size_t a = at, b = at;
	while (a > 0 && text[a - 1] != '\n')
		a--;
	while (b < n && text[b] != '\n')
		b++;
	int upper = 0;
	for (size_t i = a; i < b; i++) {
		if (text[i] >= 'a' && text[i] <= 'z')
			return 0;
		upper |= text[i] >= 'A' && text[i] <= 'Z';
	}
	return upper;
}

/* WN_BENCH_LINES=caps scores only the names on ALL-CAPS lines, in their
 * documents (the rest of the article still informs the stage). */
static int counted(const char *text, size_t n, size_t at)
{
	const char *only = getenv("WN_BENCH_LINES");
	return !only || strcmp(only, "caps") != 0 || caps_line(text, n, at);
}

/* Scores one pseudo-document: the whole stage's entities against gold. */
static void score_doc(const wn_ee *ee, wn_ee_work *w, const char *text, size_t n, const gspan *gs,
                      size_t ng)
{
	wn_refdate ref = {0};
	if (wn_ee_run(ee, w, text, n, &ref, 1))
		return;
	for (size_t i = 0; i < ng; i++)
		g_fn[gs[i].type] += counted(text, n, gs[i].a);
	for (size_t i = 0; i < w->ents.n; i++) {
		int t = type_of_ent(w->ents.v[i].type);
		if (t < 0 || !counted(text, n, w->ents.v[i].start))
			continue;
		int hit = 0;
		for (size_t j = 0; j < ng && !hit; j++)
			hit = gs[j].a == w->ents.v[i].start && gs[j].b == w->ents.v[i].end &&
			      gs[j].type == t;
		if (hit)
			g_tp[t]++, g_fn[t]--;
		else
			g_fp[t]++;
		if (!hit && getenv("WN_BENCH_DUMP")) /* for error analysis */
			printf("FP\t%d\t%.*s\n", t, (int)(w->ents.v[i].end - w->ents.v[i].start),
			       text + w->ents.v[i].start);
	}
	for (size_t j = 0; j < ng && getenv("WN_BENCH_DUMP"); j++) {
		if (!counted(text, n, gs[j].a))
			continue;
		int hit = 0;
		for (size_t i = 0; i < w->ents.n && !hit; i++)
			hit = gs[j].a == w->ents.v[i].start && gs[j].b == w->ents.v[i].end &&
			      gs[j].type == type_of_ent(w->ents.v[i].type);
		if (!hit)
			printf("FN\t%d\t%.*s\n", gs[j].type, (int)(gs[j].b - gs[j].a),
			       text + gs[j].a);
	}
}

/* WN_BENCH_WRAP=W: the document's sentences run on as one paragraph,
 * hard-wrapped at W columns (a space becomes a line break, so offsets and
 * gold spans stay; a name may now cross a line). */
static void hard_wrap(char *text, size_t n)
{
	const char *e = getenv("WN_BENCH_WRAP");
	size_t width = e ? (size_t)atoi(e) : 0, col = 0, last_space = 0;
	if (!width)
		return;
	for (size_t i = 0; i < n; i++, col++) {
		if (text[i] == ' ')
			last_space = i;
		if (col >= width && last_space > i - col) {
			text[last_space] = '\n';
			col = i - last_space;
		}
	}
}

/* Runs the whole stage over a BIO file in pseudo-documents of 10
 * sentences (one a line) and prints exact-span P/R/F1. */
static void eval_bio(const wn_ee *ee, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	memset(g_tp, 0, sizeof g_tp), memset(g_fp, 0, sizeof g_fp), memset(g_fn, 0, sizeof g_fn);
	wn_ee_work w = {0};
	size_t cap = 1 << 20, n = 0, ng = 0, gcap = 4096;
	char *text = malloc(cap);
	gspan *gs = malloc(gcap * sizeof *gs);
	char line[4096];
	int sents = 0, in_sent = 0, cur = -1;
	while (text && gs) {
		char *got = fgets(line, sizeof line, f);
		if (got)
			line[strcspn(line, "\r\n")] = 0;
		int blank = !got || !line[0] || strncmp(line, "-DOCSTART-", 10) == 0;
		if (blank) {
			cur = -1;
			if (in_sent)
				sents++;
			in_sent = 0;
			if ((!got || sents >= 10 || (got && line[0] == '-')) && n) {
				text[n] = 0;
				hard_wrap(text, n);
				score_doc(ee, &w, text, n, gs, ng);
				n = ng = 0, sents = 0;
			}
			if (!got)
				break;
			continue;
		}
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		size_t l = strlen(line);
		if (n + l + 2 >= cap) {
			char *nt = realloc(text, cap *= 2);
			if (!nt)
				break;
			text = nt;
		}
		if (n)
			text[n++] = in_sent || getenv("WN_BENCH_WRAP") ? ' ' : '\n';
		int type = type_of_tag(tab + 1);
		if (tab[1] == 'I' && cur >= 0 && type == gs[cur].type) {
			gs[cur].b = (uint32_t)(n + l);
		} else if (type >= 0 && (tab[1] == 'B' || tab[1] == 'I')) {
			if (ng == gcap) {
				gspan *ng2 = realloc(gs, (gcap *= 2) * sizeof *gs);
				if (!ng2)
					break;
				gs = ng2;
			}
			gs[ng] = (gspan){(uint32_t)n, (uint32_t)(n + l), type};
			cur = (int)ng++;
		} else {
			cur = -1;
		}
		memcpy(text + n, line, l);
		n += l;
		in_sent = 1;
	}
	fclose(f);
	static const char *const names[] = {"PER", "ORG", "LOC", "MISC"};
	printf("whole stage on %s (exact spans; GPE and LOC count as LOC)\n", path);
	long mt = 0, mp = 0, mn = 0;
	for (int k = 0; k < 4; k++) {
		double p = g_tp[k] + g_fp[k] ? (double)g_tp[k] / (g_tp[k] + g_fp[k]) : 0;
		double r = g_tp[k] + g_fn[k] ? (double)g_tp[k] / (g_tp[k] + g_fn[k]) : 0;
		printf("  %-18s %.3f %.3f %.3f\n", names[k], p, r, p + r ? 2 * p * r / (p + r) : 0);
		if (k < 3)
			mt += g_tp[k], mp += g_fp[k], mn += g_fn[k];
	}
	double p = mt + mp ? (double)mt / (mt + mp) : 0, r = mt + mn ? (double)mt / (mt + mn) : 0;
	double f1 = p + r ? 2 * p * r / (p + r) : 0;
	printf("  %-18s %.3f %.3f %.3f (F1 %.4f; tp %ld fp %ld fn %ld)\n", "micro PER/ORG/LOC", p,
	       r, f1, f1, mt, mp, mn);
	free(text);
	free(gs);
	wn_ee_work_free(&w);
}

int main(int argc, char **argv)
{
	const char *model = NULL, *pub = NULL, *out = NULL, *bio = NULL;
	double secs = 0;
	int first = argc;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-m") && i + 1 < argc)
			model = argv[++i];
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			pub = argv[++i];
		else if (!strcmp(argv[i], "-j") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-g") && i + 1 < argc)
			bio = argv[++i];
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			secs = atof(argv[++i]);
		else {
			first = i;
			break;
		}
	}
	if ((first >= argc && !bio) || (!out && secs <= 0 && !bio)) {
		fprintf(stderr, "usage: ee-bench -m MODEL [-p DATE] -j OUT.json TEXT | -s SECONDS "
		                "TEXT...\n");
		return 2;
	}
	wn_ee ee;
	char err[512];
	double t0 = now();
	if (wn_ee_open(&ee, model, "/usr/share/iso-codes/json", "/usr/share/zoneinfo",
	               WN_GEONAMES_MO, NULL, err, sizeof err)) {
		fprintf(stderr, "ee-bench: %s\n", err);
		return 1;
	}
	double t_open = now() - t0;
	long skip = wn_ee_skip_parse(getenv("WN_EE_SKIP")); /* ablation: core.h */
	if (skip < 0) {
		fprintf(stderr, "ee-bench: WN_EE_SKIP: unknown step in '%s'\n",
		        getenv("WN_EE_SKIP"));
		return 2;
	}
	ee.skip = (unsigned)skip;
	wn_ner_model m;
	t0 = now();
	double t_model = -1;
	double t_touch = -1;
	if (model && wn_ner_load(&m, model, err, sizeof err) == 0) {
		t_model = now() - t0;
		/* and with every weight read once (page faults included) */
		volatile int64_t sum = 0;
		size_t nw = ((size_t)1 << m.bits) * WN_NLABELS;
		for (size_t k = 0; k < nw; k += 512)
			sum += m.w[k];
		t_touch = now() - t0;
		if (sum == INT64_MIN) /* keeps the reads */
			fprintf(stderr, "?\n");
		wn_ner_free(&m);
	}
	wn_ee_work w = {0};
	wn_refdate ref;
	wn_refdate_parse(pub, &ref);
	int rc = 0;
	if (bio) {
		eval_bio(&ee, bio);
	} else if (out) {
		size_t n;
		char *text = slurp(argv[first], &n);
		if (wn_ee_run(&ee, &w, text, n, &ref, 1) || write_json(&w, text, n, out))
			rc = 1;
		free(text);
	} else {
		int nt = argc - first;
		char **texts = malloc(nt * sizeof *texts);
		size_t *lens = malloc(nt * sizeof *lens);
		for (int i = 0; i < nt; i++)
			texts[i] = slurp(argv[first + i], &lens[i]);
		size_t toks = 0, bytes = 0, passes = 0;
		for (int i = 0; i < nt; i++) /* warm-up pass: page faults, caches */
			if (wn_ee_run(&ee, &w, texts[i], lens[i], &ref, 1))
				rc = 1;
		double start = now(), cstart = cpu_now(), el = 0;
		do {
			for (int i = 0; i < nt; i++) {
				if (wn_ee_run(&ee, &w, texts[i], lens[i], &ref, 1))
					rc = 1;
				toks += w.t.n, bytes += lens[i];
			}
			passes++;
			el = now() - start;
		} while (el < secs);
		printf("model load: %.2f ms (mmap + check), %.2f ms with every page read; stage "
		       "open incl. gazetteers: %.1f ms\n",
		       t_model * 1e3, t_touch * 1e3, t_open * 1e3);
		double cpu = cpu_now() - cstart;
		printf("throughput, one core, whole stage: %.0f tokens per CPU second (%.1f MB/s; "
		       "%zu tokens, %.2f s CPU, %.2f s wall: %.0f tokens/s wall)\n",
		       toks / cpu, bytes / cpu / 1e6, toks, cpu, el, toks / el);
		printf("winnow per pass: %.4f s CPU (%zu passes)\n", cpu / (double)passes, passes);
		for (int i = 0; i < nt; i++)
			free(texts[i]);
		free(texts), free(lens);
	}
	wn_ee_work_free(&w);
	wn_ee_close(&ee);
	return rc;
}

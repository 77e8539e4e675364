/*
 * winnow-train: trains the extract_entities tagger (an averaged
 * perceptron) from CoNLL-style BIO files and evaluates models.
 *
 *   winnow-train [-b BITS] [-i ITERS] [-d SENTS] [--no-gaz] [--no-classes] -o MODEL
 * TRAIN.bio[:N]... winnow-train -m MODEL [--no-gaz] [--vote] --eval DEV.bio...
 *
 * Each file is read as documents: "-DOCSTART-" lines where present, else
 * pseudo-documents of SENTS consecutive sentences (GMB has no document
 * boundaries; the document-evidence features need some context); FILE:N
 * reads a file N times (its weight in the mix). The
 * sentences are re-joined with spaces and re-tokenized by the stage's own
 * tokenizer, so training sees exactly the tokens the plugin will see; a
 * gold token the tokenizer splits passes its label on (B-X then I-X).
 * DATE labels become O: dates are found by rule. The word classes
 * (cluster.c) are learnt from the training files' text and saved in the
 * model; --no-classes leaves them out.
 *
 * Evaluation prints exact-span precision, recall and F1 per type and the
 * micro average over PER, ORG and LOC and over all four types; --vote adds
 * the scores after the stage's per-article type vote. WN_TRAIN_DUMP=1
 * prints token, gold and predicted label ids for error analysis.
 */
#include "cluster.h"
#include "gazetteer.h"
#include "lines.h"
#include "tagger.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct doc {
	char *text;
	wn_tokens t;
	uint8_t *gold, *gaz, *docf;
} doc;

typedef struct corpus {
	doc *d;
	size_t n, cap;
	size_t ntok;
} corpus;

static void die(const char *msg)
{
	fprintf(stderr, "winnow-train: %s\n", msg);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory");
	return q;
}

static int label_of(const char *tag)
{
	static const char *const types[] = {"PER", "ORG", "LOC", "MISC"};
	if ((tag[0] != 'B' && tag[0] != 'I') || tag[1] != '-')
		return WN_L_O;
	for (int k = 0; k < 4; k++)
		if (strcmp(tag + 2, types[k]) == 0)
			return 1 + 2 * k + (tag[0] == 'I');
	return WN_L_O; /* DATE and anything else */
}

/* Growing buffers for the document being read. */
typedef struct builder {
	char *text;
	size_t len, cap;
	uint32_t *gs, *ge; /* gold token spans */
	uint8_t *gl;
	size_t ng, gcap;
	int sents;
} builder;

static void b_append(builder *b, const char *s, size_t n)
{
	if (b->len + n + 2 > b->cap) {
		b->cap = (b->len + n + 2) * 2;
		b->text = xrealloc(b->text, b->cap);
	}
	memcpy(b->text + b->len, s, n);
	b->len += n;
	b->text[b->len] = 0;
}

/* The gazetteer bits and document evidence of a document's tokens. */
static void doc_features(doc *d, const wn_gaz *gz)
{
	memset(d->gaz, 0, d->t.n);
	if (gz) {
		wn_gaz_hit *h;
		size_t nh;
		if (wn_gaz_match(gz, d->text, &d->t, &h, &nh))
			die("out of memory");
		wn_gaz_token_flags(h, nh, d->t.n, d->gaz);
		free(h);
	}
	if (wn_ner_doc_flags(d->text, &d->t, d->docf))
		die("out of memory");
}

/* Tokenizes the built text, projects gold labels onto the tokens, adds
 * the document to the corpus, and resets the builder. */
static void b_finish(builder *b, corpus *c, const wn_gaz *gz)
{
	if (b->ng == 0) {
		b->len = 0, b->sents = 0;
		return;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->d = xrealloc(c->d, c->cap * sizeof *c->d);
	}
	doc *d = &c->d[c->n++];
	memset(d, 0, sizeof *d);
	d->text = xrealloc(NULL, b->len + 1);
	memcpy(d->text, b->text, b->len + 1);
	if (wn_tokenize(d->text, b->len, &d->t))
		die("out of memory");
	d->gold = xrealloc(NULL, d->t.n);
	d->gaz = xrealloc(NULL, d->t.n);
	d->docf = xrealloc(NULL, d->t.n);
	size_t g = 0;
	for (size_t i = 0; i < d->t.n; i++) {
		while (g + 1 < b->ng && b->ge[g] <= d->t.v[i].start)
			g++;
		int l = b->gl[g];
		if (l != WN_L_O && (l & 1) && d->t.v[i].start > b->gs[g])
			l++; /* continuation of a split B- token */
		d->gold[i] = (uint8_t)l;
	}
	(void)gz; /* features come with prepare_corpus */
	c->ntok += d->t.n;
	b->len = 0, b->ng = 0, b->sents = 0;
}

static void read_bio(const char *path, int doc_sents, corpus *c, const wn_gaz *gz)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	builder b = {0};
	char line[4096];
	int in_sent = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (strncmp(line, "-DOCSTART-", 10) == 0) {
			b_finish(&b, c, gz);
			in_sent = 0;
			continue;
		}
		if (!line[0]) {
			if (in_sent && ++b.sents >= doc_sents && doc_sents > 0)
				b_finish(&b, c, gz);
			in_sent = 0;
			continue;
		}
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		if (b.len)
			b_append(&b, in_sent ? " " : "\n", 1);
		if (b.ng == b.gcap) {
			b.gcap = b.gcap ? b.gcap * 2 : 4096;
			b.gs = xrealloc(b.gs, b.gcap * 4);
			b.ge = xrealloc(b.ge, b.gcap * 4);
			b.gl = xrealloc(b.gl, b.gcap);
		}
		b.gs[b.ng] = (uint32_t)b.len;
		b_append(&b, line, strlen(line));
		b.ge[b.ng] = (uint32_t)b.len;
		b.gl[b.ng++] = (uint8_t)label_of(tab + 1);
		in_sent = 1;
	}
	b_finish(&b, c, gz);
	fclose(f);
	free(b.text), free(b.gs), free(b.ge), free(b.gl);
}

/* ------------------------------------------------------------ training */

typedef struct trainer {
	uint32_t bits;
	wn_ner_words words; /* the word classes, saved with the model */
	int32_t *w;
	int64_t *acc;
	uint32_t *ts;
	uint32_t clock;
} trainer;

static void upd(trainer *tr, const uint32_t *f, size_t nf, int l, int delta)
{
	for (size_t j = 0; j < nf; j++) {
		size_t k = (size_t)f[j] * WN_NLABELS + (size_t)l;
		tr->acc[k] += (int64_t)(tr->clock - tr->ts[k]) * tr->w[k];
		tr->ts[k] = tr->clock;
		tr->w[k] += delta;
	}
}

static void score_train(const void *ctx, const uint32_t *f, size_t nf, int64_t *sc)
{
	const trainer *tr = ctx;
	for (size_t j = 0; j < nf; j++) {
		const int32_t *row = tr->w + (size_t)f[j] * WN_NLABELS;
		for (int l = 0; l < WN_NLABELS; l++)
			sc[l] += row[l];
	}
}

/* Adds delta to every feature of path `lab` over [s0, s0 + n). */
static void upd_path(trainer *tr, const wn_ner_input *in, size_t s0, size_t s1, size_t n,
                     const uint8_t *lab, int delta)
{
	uint32_t f[WN_NER_MAX_FEATS];
	int p1 = WN_NLABELS, p2 = WN_NLABELS;
	for (size_t i = s0; i < s0 + n; i++) {
		size_t nf = wn_ner_features(in, i, s0, s1, tr->bits, f);
		nf += wn_ner_hist_features(in, i, p1, p2, tr->bits, f + nf);
		upd(tr, f, nf, lab[i], delta);
		p2 = p1, p1 = lab[i];
	}
}

/* Structured perceptron with beam search and early update. */
static void train_doc(trainer *tr, const doc *d, uint8_t *pred, float *conf)
{
	wn_ner_input in = {d->text, &d->t, d->gaz, d->docf, tr->words};
	size_t s0 = 0;
	while (s0 < d->t.n) {
		size_t s1 = s0 + 1;
		while (s1 < d->t.n && !(d->t.v[s1].flags & WN_TOKF_SENT) &&
		       s1 - s0 < WN_NER_MAX_SENT)
			s1++;
		size_t n =
		    wn_ner_beam(score_train, tr, tr->bits, 1.0, &in, s0, s1, d->gold, pred, conf);
		tr->clock++;
		if (memcmp(pred + s0, d->gold + s0, n) != 0) {
			upd_path(tr, &in, s0, s1, n, d->gold, +1);
			upd_path(tr, &in, s0, s1, n, pred, -1);
		}
		s0 = s1;
	}
}

static void save_model(trainer *tr, const char *path)
{
	size_t n = ((size_t)1 << tr->bits) * WN_NLABELS;
	float *avg = xrealloc(NULL, n * sizeof *avg);
	double mx = 0;
	for (size_t k = 0; k < n; k++) {
		int64_t a = tr->acc[k] + (int64_t)(tr->clock - tr->ts[k]) * tr->w[k];
		avg[k] = (float)((double)a / tr->clock);
		if (fabs(avg[k]) > mx)
			mx = fabs(avg[k]);
	}
	float scale = (float)(mx > 0 ? 32000.0 / mx : 1.0);
	int16_t *q = xrealloc(NULL, n * sizeof *q);
	for (size_t k = 0; k < n; k++)
		q[k] = (int16_t)lrintf(avg[k] * scale);
	FILE *f = fopen(path, "wb");
	uint32_t nl = WN_NLABELS, ns = tr->words.slot ? tr->words.mask + 1 : 0;
	if (!f || fwrite("WNNER2\0\0", 1, 8, f) != 8 || fwrite(&tr->bits, 4, 1, f) != 1 ||
	    fwrite(&nl, 4, 1, f) != 1 || fwrite(&scale, 4, 1, f) != 1 ||
	    fwrite(&ns, 4, 1, f) != 1 || fwrite(q, sizeof *q, n, f) != n ||
	    (ns && fwrite(tr->words.slot, 8, ns, f) != ns) || fclose(f) != 0)
		die("cannot write the model");
	free(avg);
	free(q);
}

/* ------------------------------------------------------------ evaluation */

typedef struct span {
	size_t a, b;
	int type;
} span;

/* Spans of a BIO label sequence (an I- without a B- starts a span). */
static size_t spans_of(const uint8_t *l, size_t n, span *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (l[i] == WN_L_O)
			continue;
		int type = (l[i] - 1) / 2;
		size_t j = i + 1;
		while (j < n && l[j] != WN_L_O && !(l[j] & 1) && (l[j] - 1) / 2 == type)
			j++;
		out[k++] = (span){i, j, type};
		i = j - 1;
	}
	return k;
}

/* The stage's per-article vote (core.c): every span with the same surface
 * text takes the type with the highest summed confidence in the document. */
static void vote_types(const doc *d, const uint8_t *pred, const float *conf, span *ps, size_t np)
{
	(void)pred;
	for (size_t k = 0; k < np; k++) {
		float v[4] = {0};
		size_t lk = d->t.v[ps[k].b - 1].end - d->t.v[ps[k].a].start;
		const char *tk = d->text + d->t.v[ps[k].a].start;
		for (size_t j = 0; j < np; j++) {
			size_t lj = d->t.v[ps[j].b - 1].end - d->t.v[ps[j].a].start;
			if (lj != lk || memcmp(d->text + d->t.v[ps[j].a].start, tk, lk) != 0)
				continue;
			float c = 0;
			for (size_t t = ps[j].a; t < ps[j].b; t++)
				c += conf[t];
			v[ps[j].type] += c / (float)(ps[j].b - ps[j].a);
		}
		int best = ps[k].type;
		for (int t = 0; t < 4; t++)
			if (v[t] > v[best])
				best = t;
		ps[k].type = best;
	}
}

static void evaluate(const wn_ner_model *m, const corpus *c, const char *label, int vote)
{
	long tp[4] = {0}, fp[4] = {0}, fn[4] = {0};
	size_t cap = 0;
	uint8_t *pred = NULL;
	float *conf = NULL;
	span *gs = NULL, *ps = NULL;
	for (size_t di = 0; di < c->n; di++) {
		const doc *d = &c->d[di];
		if (d->t.n > cap) {
			cap = d->t.n;
			pred = xrealloc(pred, cap);
			conf = xrealloc(conf, cap * sizeof *conf);
			gs = xrealloc(gs, cap * sizeof *gs);
			ps = xrealloc(ps, cap * sizeof *ps);
		}
		wn_ner_input in = {d->text, &d->t, d->gaz, d->docf, {0}};
		size_t s0 = 0;
		while (s0 < d->t.n) {
			size_t s1 = s0 + 1;
			while (s1 < d->t.n && !(d->t.v[s1].flags & WN_TOKF_SENT) && s1 - s0 < 256)
				s1++;
			wn_ner_tag(m, &in, s0, s1, pred, conf);
			s0 = s1;
		}
		if (getenv("WN_TRAIN_DUMP"))
			for (size_t k = 0; k < d->t.n; k++)
				printf("%.*s\t%d\t%d\n", (int)(d->t.v[k].end - d->t.v[k].start),
				       d->text + d->t.v[k].start, d->gold[k], pred[k]);
		size_t ng = spans_of(d->gold, d->t.n, gs), np = spans_of(pred, d->t.n, ps);
		if (vote)
			vote_types(d, pred, conf, ps, np);
		size_t i = 0, j = 0;
		for (size_t k = 0; k < ng; k++)
			fn[gs[k].type]++;
		for (size_t k = 0; k < np; k++)
			fp[ps[k].type]++;
		while (i < ng && j < np) {
			if (gs[i].a == ps[j].a && gs[i].b == ps[j].b && gs[i].type == ps[j].type) {
				tp[gs[i].type]++, fn[gs[i].type]--, fp[gs[i].type]--;
				i++, j++;
			} else if (gs[i].a < ps[j].a || (gs[i].a == ps[j].a && gs[i].b < ps[j].b)) {
				i++;
			} else {
				j++;
			}
		}
	}
	static const char *const names[] = {"PER", "ORG", "LOC", "MISC"};
	printf("%s (%zu tokens)\n", label, c->ntok);
	printf("  %-14s %7s %7s %7s  %6s %6s %6s\n", "type", "P", "R", "F1", "tp", "fp", "fn");
	long mt[2] = {0}, mp[2] = {0}, mn[2] = {0};
	for (int k = 0; k < 4; k++) {
		double p = tp[k] + fp[k] ? (double)tp[k] / (tp[k] + fp[k]) : 0;
		double r = tp[k] + fn[k] ? (double)tp[k] / (tp[k] + fn[k]) : 0;
		printf("  %-14s %7.3f %7.3f %7.3f  %6ld %6ld %6ld\n", names[k], p, r,
		       p + r ? 2 * p * r / (p + r) : 0, tp[k], fp[k], fn[k]);
		for (int a = 0; a < 2; a++)
			if (a == 1 || k < 3)
				mt[a] += tp[k], mp[a] += fp[k], mn[a] += fn[k];
	}
	for (int a = 0; a < 2; a++) {
		double p = mt[a] + mp[a] ? (double)mt[a] / (mt[a] + mp[a]) : 0;
		double r = mt[a] + mn[a] ? (double)mt[a] / (mt[a] + mn[a]) : 0;
		printf("  %-14s %7.3f %7.3f %7.3f  %6ld %6ld %6ld\n",
		       a ? "micro all" : "micro PER/ORG/LOC", p, r, p + r ? 2 * p * r / (p + r) : 0,
		       mt[a], mp[a], mn[a]);
	}
	free(pred), free(conf), free(gs), free(ps);
}

/* Learns the word classes from the training text (not its labels). */
/* Reads every document the way the stage does (lines.h): line kinds,
 * unwrapped prose, headline lines truecased with the word table `words`
 * (the model's, or the one just learnt), then its features again. */
static void prepare_corpus(corpus *c, const wn_ner_words *words, const wn_gaz *gz)
{
	size_t changed = 0;
	for (size_t i = 0; i < c->n; i++) {
		doc *d = &c->d[i];
		size_t n = strlen(d->text);
		uint8_t *kind = xrealloc(NULL, d->t.n + 1);
		char *tc = xrealloc(NULL, n + 1);
		wn_lines_classify(d->text, &d->t, kind);
		wn_lines_unwrap(d->text, &d->t, kind);
		int rc = wn_lines_truecase(d->text, n, &d->t, kind, words, tc);
		int rc2 =
		    rc < 0 || !gz ? rc : wn_lines_truecase_places(d->text, n, &d->t, kind, gz, tc);
		if (rc < 0 || rc2 < 0)
			die("out of memory");
		rc |= rc2;
		if (rc) {
			memcpy(d->text, tc, n);
			changed++;
		}
		doc_features(d, gz);
		free(kind), free(tc);
	}
	fprintf(stderr, "winnow-train: %zu of %zu documents truecased in part\n", changed, c->n);
}

static void build_classes(const corpus *c, trainer *tr, uint32_t **slots)
{
	const char **text = xrealloc(NULL, c->n * sizeof *text);
	const wn_tokens **tok = xrealloc(NULL, c->n * sizeof *tok);
	for (size_t i = 0; i < c->n; i++)
		text[i] = c->d[i].text, tok[i] = &c->d[i].t;
	uint32_t ns;
	clock_t t0 = clock();
	if (wn_ner_words_build(text, tok, c->n, slots, &ns))
		die("out of memory");
	tr->words = (wn_ner_words){*slots, ns - 1};
	fprintf(stderr, "winnow-train: word classes, %u slots (%.1f s)\n", ns,
	        (double)(clock() - t0) / CLOCKS_PER_SEC);
	free(text), free(tok);
}

static void free_corpus(corpus *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->d[i].text), free(c->d[i].gold), free(c->d[i].gaz), free(c->d[i].docf);
		wn_tokens_free(&c->d[i].t);
	}
	free(c->d);
	memset(c, 0, sizeof *c);
}

int main(int argc, char **argv)
{
	uint32_t bits = 18;
	int iters = 10, doc_sents = 10, use_gaz = 1, use_classes = 1, eval = 0, vote = 0;
	const char *out = NULL, *model = NULL;
	const char *iso = "/usr/share/iso-codes/json", *zones = "/usr/share/zoneinfo";
	int first = argc;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-b") && i + 1 < argc)
			bits = (uint32_t)atoi(argv[++i]);
		else if (!strcmp(argv[i], "-i") && i + 1 < argc)
			iters = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-d") && i + 1 < argc)
			doc_sents = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-m") && i + 1 < argc)
			model = argv[++i];
		else if (!strcmp(argv[i], "--no-gaz"))
			use_gaz = 0;
		else if (!strcmp(argv[i], "--no-classes"))
			use_classes = 0;
		else if (!strcmp(argv[i], "--eval"))
			eval = 1;
		else if (!strcmp(argv[i], "--vote"))
			vote = 1;
		else if (argv[i][0] == '-')
			die("usage: winnow-train [-b BITS] [-i ITERS] [-d SENTS] [--no-gaz] -o "
			    "MODEL "
			    "TRAIN.bio... | -m MODEL --eval DEV.bio...");
		else {
			first = i;
			break;
		}
	}
	if (first >= argc || (!out && !(model && eval)) || bits < 10 || bits > 24)
		die("usage: winnow-train [-b BITS] [-i ITERS] [-d SENTS] [--no-gaz] -o MODEL "
		    "TRAIN.bio... | -m MODEL --eval DEV.bio...");
	wn_gaz *gz = NULL;
	if (use_gaz) {
		gz = wn_gaz_new();
		if (!gz || wn_gaz_load_system(gz, iso, zones, WN_GEONAMES_MO) < 0)
			die("cannot load the gazetteers");
	}
	if (eval) {
		wn_ner_model m;
		char err[256];
		if (wn_ner_load(&m, model, err, sizeof err))
			die(err);
		for (int i = first; i < argc; i++) {
			corpus c = {0};
			read_bio(argv[i], doc_sents, &c, gz);
			prepare_corpus(&c, &m.words, gz);
			evaluate(&m, &c, argv[i], 0);
			if (vote)
				evaluate(&m, &c, "  with the per-article type vote", 1);
			free_corpus(&c);
		}
		wn_ner_free(&m);
		wn_gaz_free(gz);
		return 0;
	}
	corpus c = {0};
	for (int i = first; i < argc; i++) {
		/* FILE:N weighs a source N times (its documents are read N times) */
		char path[4096];
		int reps = 1;
		snprintf(path, sizeof path, "%s", argv[i]);
		char *colon = strrchr(path, ':');
		if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
			reps = atoi(colon + 1);
			*colon = 0;
		}
		for (int r = 0; r < reps; r++)
			read_bio(path, doc_sents, &c, gz);
	}
	fprintf(stderr, "winnow-train: %zu documents, %zu tokens, 2^%u rows\n", c.n, c.ntok, bits);
	size_t nw = ((size_t)1 << bits) * WN_NLABELS;
	trainer tr = {bits, {0}, calloc(nw, 4), calloc(nw, 8), calloc(nw, 4), 0};
	if (!tr.w || !tr.acc || !tr.ts)
		die("out of memory");
	uint32_t *slots = NULL;
	if (use_classes)
		build_classes(&c, &tr, &slots);
	prepare_corpus(&c, &tr.words, gz);
	size_t *order = xrealloc(NULL, c.n * sizeof *order), maxn = 1;
	for (size_t i = 0; i < c.n; i++)
		if (c.d[i].t.n > maxn)
			maxn = c.d[i].t.n;
	uint8_t *pred = xrealloc(NULL, maxn);
	float *conf = xrealloc(NULL, maxn * sizeof *conf);
	for (size_t i = 0; i < c.n; i++)
		order[i] = i;
	uint64_t rng = 0x2545F4914F6CDD1Dull; /* fixed: the same data gives the same model */
	for (int it = 0; it < iters; it++) {
		for (size_t i = c.n; i > 1; i--) {
			rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
			size_t j = (size_t)(rng % i), tmp = order[i - 1];
			order[i - 1] = order[j], order[j] = tmp;
		}
		clock_t t0 = clock();
		for (size_t i = 0; i < c.n; i++)
			train_doc(&tr, &c.d[order[i]], pred, conf);
		fprintf(stderr, "winnow-train: iteration %d done (%.1f s)\n", it + 1,
		        (double)(clock() - t0) / CLOCKS_PER_SEC);
	}
	save_model(&tr, out);
	free(order), free(pred), free(conf);
	free(tr.w), free(tr.acc), free(tr.ts), free(slots);
	free_corpus(&c);
	wn_gaz_free(gz);
	return 0;
}

/*
 * Averaged-perceptron NER tagger: features, model file and beam decoding
 * (see tagger.h). Training lives in train.c and shares the feature code,
 * so the model always sees at run time exactly the features it learnt.
 */
#include "tagger.h"

#include "hash.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ hashing */

/* Feature indices and the model's word table are wn_mix32 (hash.h) of
 * these hashes: the shipped model was trained with exactly that mix. */

/* FNV-1a over bytes, ASCII lower-cased when `lower`. Curly quotes hash
 * as their ASCII forms ("’s" is "'s"): the training text is ASCII. */
static uint32_t hash_bytes(uint32_t h, const char *p, size_t n, int lower)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (lower && c >= 'A' && c <= 'Z')
			c += 32;
		if (c == 0xE2 && i + 2 < n && (unsigned char)p[i + 1] == 0x80) {
			unsigned char d = (unsigned char)p[i + 2];
			if (d == 0x98 || d == 0x99)
				c = '\'', i += 2;
			else if (d == 0x9C || d == 0x9D)
				c = '"', i += 2;
		}
		h = wn_fnv1a32_step(h, c);
	}
	return h;
}

#define H0 WN_FNV32_BASIS

/* Attributes of one token used by several feature templates. */
typedef struct tokinfo {
	uint32_t w, lw, shape, sshape;
	uint32_t wi; /* word info from the word-class table, 0 if none */
	uint8_t cap; /* 0 lower, 1 Title, 2 ALLCAPS, 3 digit-initial, 4 punct, 5 other */
} tokinfo;

static void token_info(const wn_ner_input *in, size_t i, tokinfo *ti)
{
	if (i >= in->t->n) {
		*ti = (tokinfo){11, 12, 13, 14, 0, 6};
		return;
	}
	const wn_token *k = &in->t->v[i];
	const char *p = in->s + k->start;
	size_t n = k->end - k->start;
	ti->w = hash_bytes(H0, p, n > 32 ? 32 : n, 0);
	ti->lw = hash_bytes(H0, p, n > 32 ? 32 : n, 1);
	ti->wi = wn_ner_word_info(&in->words, ti->lw | 1);
	/* shape: X x d and punctuation, first 8 chars; short shape collapses runs */
	char sh[9], ss[9];
	size_t ns = 0, nss = 0;
	int upper = 0, lower = 0, digit = 0;
	for (size_t j = 0; j < n; j++) {
		unsigned char c = (unsigned char)p[j];
		char m;
		if (c == 0xE2 && j + 2 < n && (unsigned char)p[j + 1] == 0x80 &&
		    (unsigned char)p[j + 2] >= 0x98 && (unsigned char)p[j + 2] <= 0x9D) {
			c = (unsigned char)p[j + 2] <= 0x99 ? '\'' : '"'; /* curly quotes */
			j += 2;
		}
		if (c >= 'A' && c <= 'Z')
			m = 'X', upper++;
		else if (c >= 'a' && c <= 'z')
			m = 'x', lower++;
		else if (c >= '0' && c <= '9')
			m = 'd', digit++;
		else if (c >= 0x80)
			m = (c >= 0xC0) ? 'u' : 0;
		else
			m = (char)c;
		if (!m)
			continue;
		if (ns < 8)
			sh[ns++] = m;
		if (nss < 8 && (nss == 0 || ss[nss - 1] != m))
			ss[nss++] = m;
	}
	ti->shape = hash_bytes(H0 ^ 0x55, sh, ns, 0);
	ti->sshape = hash_bytes(H0 ^ 0x77, ss, nss, 0);
	unsigned char c0 = (unsigned char)p[0];
	if (c0 >= 'A' && c0 <= 'Z')
		ti->cap = (upper > 1 && lower == 0) ? 2 : 1;
	else if (c0 >= 'a' && c0 <= 'z')
		ti->cap = 0;
	else if (c0 >= '0' && c0 <= '9')
		ti->cap = 3;
	else if (k->kind == WN_TOK_PUNCT)
		ti->cap = 4;
	else
		ti->cap = 5;
	(void)digit;
}

/* Token j starts with an upper-case letter (a word of a name run). */
static int cap_word(const wn_ner_input *in, size_t j)
{
	const wn_token *k = &in->t->v[j];
	unsigned char c = (unsigned char)in->s[k->start];
	return k->kind == WN_TOK_WORD && c >= 'A' && c <= 'Z';
}

uint32_t wn_ner_word_key(const char *p, size_t n)
{
	return hash_bytes(H0, p, n > 32 ? 32 : n, 1) | 1; /* as tokinfo.lw */
}

uint32_t wn_ner_word_info(const wn_ner_words *wt, uint32_t key)
{
	if (!wt->slot)
		return 0;
	uint32_t h = wn_mix32(key) & wt->mask;
	for (uint32_t probe = 0; probe <= wt->mask; probe++, h = (h + 1) & wt->mask) {
		if (wt->slot[2 * h] == key)
			return wt->slot[2 * h + 1];
		if (wt->slot[2 * h] == 0)
			return 0;
	}
	return 0; /* a full table (a damaged file: the builder keeps it half empty) */
}

/* The first k bits of a word's cluster path, tagged with k (never 0). */
static uint32_t cluster_prefix(uint32_t wi, uint32_t k)
{
	uint32_t d = WN_WI_DEPTH(wi);
	if (d == 0)
		return 0;
	if (k > d)
		k = d;
	return (WN_WI_PATH(wi) >> (d - k)) | (k << 12) | (1u << 16);
}

static uint32_t feat(uint32_t tmpl, uint32_t a, uint32_t b, uint32_t bits)
{
	return wn_mix32(a * 0x9E3779B1u ^ wn_mix32(b + tmpl * 0x85EBCA77u)) & ((1u << bits) - 1);
}

/* Word-class features of the middle token of c[5]: cluster prefixes of
 * several lengths (coarse ones generalise, fine ones discriminate), the
 * neighbours' clusters, and the lower-case ratio with capitalisation (a
 * capitalised word usually written in lower case is likely no name). */
static size_t class_features(const tokinfo *c, uint32_t pos, uint32_t bits, uint32_t *out)
{
	static const uint32_t lens[] = {3, 5, 7, 9, WN_WI_MAX_DEPTH};
	size_t nf = 0;
	for (size_t k = 0; k < sizeof lens / sizeof *lens; k++)
		out[nf++] = feat(50, cluster_prefix(c[2].wi, lens[k]), 0, bits);
	out[nf++] = feat(51, cluster_prefix(c[2].wi, 7), c[2].cap, bits);
	out[nf++] = feat(52, cluster_prefix(c[1].wi, 7), 0, bits);
	out[nf++] = feat(53, cluster_prefix(c[3].wi, 7), 0, bits);
	out[nf++] = feat(54, c[2].wi ? WN_WI_LOWER(c[2].wi) : 8, c[2].cap * 2 + (pos == 0), bits);
	return nf;
}

/* Token info of token j as the features of a sentence [sent0, sent1) see
 * it: a fixed start marker before the sentence, the end marker after. */
static void window_info(const wn_ner_input *in, long j, size_t sent0, size_t sent1, tokinfo *ti)
{
	if (j < (long)sent0)
		*ti = (tokinfo){21, 22, 23, 24, 0, 7};
	else
		token_info(in, (size_t)j >= sent1 ? in->t->n : (size_t)j, ti);
}

/* The static features of token i from the token info of i-2 .. i+2. */
static size_t features_win(const wn_ner_input *in, size_t i, size_t sent0, size_t sent1,
                           uint32_t bits, uint32_t *out, const tokinfo *c)
{
	const wn_token *k = &in->t->v[i];
	const char *p = in->s + k->start;
	size_t n = k->end - k->start, nf = 0;
	uint32_t pos = (uint32_t)(i - sent0 > 3 ? 3 : i - sent0);
	out[nf++] = feat(0, 0, 0, bits);
	out[nf++] = feat(1, c[2].w, 0, bits);
	out[nf++] = feat(2, c[2].lw, 0, bits);
	for (size_t a = 1; a <= 4 && a < n; a++) {
		out[nf++] = feat(3, (uint32_t)a, hash_bytes(H0, p, a, 1), bits);
		out[nf++] = feat(4, (uint32_t)a, hash_bytes(H0, p + n - a, a, 1), bits);
	}
	out[nf++] = feat(5, c[2].shape, 0, bits);
	out[nf++] = feat(6, c[2].sshape, 0, bits);
	out[nf++] = feat(7, c[2].cap, pos == 0, bits);
	out[nf++] = feat(8, c[2].sshape, pos, bits);
	out[nf++] = feat(9, c[1].lw, 0, bits);
	out[nf++] = feat(10, c[3].lw, 0, bits);
	out[nf++] = feat(11, c[0].lw, 0, bits);
	out[nf++] = feat(12, c[4].lw, 0, bits);
	out[nf++] = feat(13, c[1].shape, 0, bits);
	out[nf++] = feat(14, c[3].shape, 0, bits);
	out[nf++] = feat(15, c[1].lw, c[2].lw, bits);
	out[nf++] = feat(16, c[2].lw, c[3].lw, bits);
	out[nf++] = feat(17, c[1].sshape * 31 + c[2].sshape, c[3].sshape, bits);
	out[nf++] = feat(18, c[1].cap * 8 + c[2].cap, c[3].cap * 8 + c[4].cap, bits);
	out[nf++] = feat(19, c[0].lw, c[1].lw, bits);
	out[nf++] = feat(20, c[3].lw, c[4].lw, bits);
	out[nf++] = feat(21, c[2].lw, (uint32_t)c[1].cap * 8 + c[3].cap, bits);
	/* the run of capitalised words around i: length and position in it */
	size_t r0 = i, r1 = i + 1;
	if (c[2].cap == 1 || c[2].cap == 2) {
		while (r0 > sent0 && r0 + 4 > i && cap_word(in, r0 - 1))
			r0--;
		while (r1 < sent1 && r1 < i + 4 && cap_word(in, r1))
			r1++;
	}
	out[nf++] = feat(27, (uint32_t)(i - r0), (uint32_t)(r1 - i), bits);
	out[nf++] = feat(28, c[1].lw, c[2].sshape, bits);
	out[nf++] = feat(29, c[2].sshape, c[3].lw, bits);
	if (i > sent0) {
		const wn_token *pk = &in->t->v[i - 1];
		size_t pn = pk->end - pk->start;
		out[nf++] = feat(
		    30,
		    hash_bytes(H0, in->s + pk->start + (pn > 3 ? pn - 3 : 0), pn > 3 ? 3 : pn, 1),
		    0, bits);
	}
	if (in->gaz) {
		uint32_t g0 = in->gaz[i];
		uint32_t gp = i > sent0 ? in->gaz[i - 1] : 0;
		uint32_t gn = i + 1 < sent1 ? in->gaz[i + 1] : 0;
		out[nf++] = feat(22, g0, c[2].cap, bits);
		out[nf++] = feat(23, gp, g0, bits);
		out[nf++] = feat(24, gn, g0, bits);
	}
	if (in->words.slot)
		nf += class_features(c, pos, bits, out + nf);
	if (in->doc) {
		out[nf++] = feat(25, in->doc[i], c[2].cap * 2 + (pos == 0), bits);
		out[nf++] = feat(26, in->doc[i], c[1].lw, bits);
	}
	return nf;
}

size_t wn_ner_features(const wn_ner_input *in, size_t i, size_t sent0, size_t sent1, uint32_t bits,
                       uint32_t *out)
{
	tokinfo c[5]; /* i-2 .. i+2, sentence-bounded */
	for (int d = -2; d <= 2; d++)
		window_info(in, (long)i + d, sent0, sent1, &c[d + 2]);
	return features_win(in, i, sent0, sent1, bits, out, c);
}

static size_t hist_feats(uint32_t lw, uint32_t sshape, int p1, int p2, uint32_t bits, uint32_t *out)
{
	size_t nf = 0;
	out[nf++] = feat(40, (uint32_t)p1, 0, bits);
	out[nf++] = feat(41, (uint32_t)p1, (uint32_t)p2, bits);
	out[nf++] = feat(42, (uint32_t)p1, lw, bits);
	out[nf++] = feat(43, (uint32_t)p1, sshape, bits);
	return nf;
}

size_t wn_ner_hist_features(const wn_ner_input *in, size_t i, int p1, int p2, uint32_t bits,
                            uint32_t *out)
{
	tokinfo c;
	token_info(in, i, &c);
	return hist_feats(c.lw, c.sshape, p1, p2, bits, out);
}

int wn_ner_allowed(int prev, int l)
{
	if (l == WN_L_O || (l & 1)) /* O and B-x are always allowed */
		return 1;
	return prev == l || prev == l - 1; /* I-x after B-x or I-x */
}

/* ------------------------------------------------------------ documents */

/* A small open-addressing set of word hashes with flags. */
typedef struct wordmap {
	uint64_t *keys;
	uint8_t *vals;
	size_t mask;
} wordmap;

static uint64_t word_key(const char *s, const wn_token *k)
{
	uint32_t a = hash_bytes(H0, s + k->start, k->end - k->start, 1);
	uint32_t b = hash_bytes(0x811C9DC5u ^ 0xABCD, s + k->start, k->end - k->start, 1);
	return ((uint64_t)a << 32 | b) | 1; /* 0 means empty */
}

static uint8_t *wordmap_slot(wordmap *m, uint64_t key, int insert)
{
	size_t h = (size_t)(key ^ (key >> 29)) & m->mask;
	for (size_t probe = 0; probe <= m->mask; probe++, h = (h + 1) & m->mask) {
		if (m->keys[h] == key)
			return &m->vals[h];
		if (m->keys[h] == 0) {
			if (!insert)
				return NULL;
			m->keys[h] = key;
			return &m->vals[h];
		}
	}
	return NULL;
}

static int is_title_word(const char *p, size_t n)
{
	static const char *const titles[] = {
	    "mr.",      "mrs.",      "ms.",        "dr.",         "prof.",    "president",
	    "minister", "senator",   "chairman",   "chairwoman",  "ceo",      "gen.",
	    "general",  "secretary", "chancellor", "king",        "queen",    "pope",
	    "sir",      "judge",     "spokesman",  "spokeswoman", "director", "founder",
	    "governor", "mayor",     "premier",    "ambassador",  "envoy",    "commander",
	    "leader",   "mr",        "mrs",        "ms",          "dr",       NULL};
	for (int i = 0; titles[i]; i++) {
		size_t l = strlen(titles[i]);
		if (l != n)
			continue;
		size_t j = 0;
		while (j < n && (p[j] | 0x20) == titles[i][j])
			j++;
		if (j == n)
			return 1;
	}
	return 0;
}

static int is_cap_word(const char *s, const wn_token *k)
{
	unsigned char c = (unsigned char)s[k->start];
	return k->kind == WN_TOK_WORD && c >= 'A' && c <= 'Z';
}

int wn_ner_doc_flags(const char *s, const wn_tokens *t, uint8_t *flags)
{
	size_t cap = 64;
	while (cap < t->n * 2 && cap < (1u << 20))
		cap <<= 1;
	wordmap m = {calloc(cap, sizeof(uint64_t)), calloc(cap, 1), cap - 1};
	if (!m.keys || !m.vals) {
		free(m.keys), free(m.vals);
		return -1;
	}
	for (size_t i = 0; i < t->n; i++) {
		const wn_token *k = &t->v[i];
		if (k->kind != WN_TOK_WORD)
			continue;
		uint8_t f = 0;
		int first = (k->flags & WN_TOKF_SENT) != 0;
		if (is_cap_word(s, k)) {
			if (!first)
				f |= WN_DOC_CAP_MID;
			if (i > 0 && is_title_word(s + t->v[i - 1].start,
			                           t->v[i - 1].end - t->v[i - 1].start))
				f |= WN_DOC_TITLED;
			if (i > 0 && !first && is_cap_word(s, &t->v[i - 1]) &&
			    !(i + 1 < t->n && is_cap_word(s, &t->v[i + 1])))
				f |= WN_DOC_IN_SEQ;
		} else if (s[k->start] >= 'a' && s[k->start] <= 'z') {
			f |= WN_DOC_LOWER;
		}
		uint8_t *v = wordmap_slot(&m, word_key(s, k), 1);
		if (v)
			*v |= f;
	}
	for (size_t i = 0; i < t->n; i++) {
		flags[i] = 0;
		if (t->v[i].kind != WN_TOK_WORD)
			continue;
		uint8_t *v = wordmap_slot(&m, word_key(s, &t->v[i]), 0);
		if (v)
			flags[i] = *v;
	}
	free(m.keys);
	free(m.vals);
	return 0;
}

/* ------------------------------------------------------------ model */

int wn_ner_load(wn_ner_model *m, const char *path, char *err, size_t errcap)
{
	memset(m, 0, sizeof *m);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		snprintf(err, errcap, "cannot open model %s", path);
		return -1;
	}
	size_t len = (size_t)sb.st_size;
	void *map = len >= 20 ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	close(fd);
	if (map == MAP_FAILED) {
		snprintf(err, errcap, "%s: cannot map the model (empty or unreadable)", path);
		return -1;
	}
	const unsigned char *p = map;
	uint32_t bits, nl, nslots = 0;
	float scale;
	memcpy(&bits, p + 8, 4);
	memcpy(&nl, p + 12, 4);
	memcpy(&scale, p + 16, 4);
	int v2 = memcmp(p, "WNNER2\0\0", 8) == 0 && len >= 24;
	if (v2)
		memcpy(&nslots, p + 20, 4);
	size_t head = v2 ? 24 : 20;
	size_t wlen =
	    bits >= 8 && bits <= 26 ? ((size_t)1 << bits) * WN_NLABELS * sizeof(int16_t) : 0;
	if ((!v2 && memcmp(p, "WNNER1\0\0", 8) != 0) || !wlen || nl != WN_NLABELS || !(scale > 0) ||
	    nslots > (1u << 24) || (nslots & (nslots - 1)) != 0 ||
	    len != head + wlen + (size_t)nslots * 8) {
		munmap(map, len);
		snprintf(err, errcap, "%s: not a winnow NER model (or another version)", path);
		return -1;
	}
	m->bits = bits, m->scale = scale;
	m->w = (const int16_t *)(p + head);
	if (nslots)
		m->words = (wn_ner_words){(const uint32_t *)(p + head + wlen), nslots - 1};
	m->map = map, m->maplen = len;
	return 0;
}

void wn_ner_free(wn_ner_model *m)
{
	if (m->map)
		munmap(m->map, m->maplen);
	memset(m, 0, sizeof *m);
}

static void add_rows(const wn_ner_model *m, const uint32_t *f, size_t nf, int32_t *sc)
{
	for (size_t j = 0; j < nf; j++) {
		const int16_t *row = m->w + (size_t)f[j] * WN_NLABELS;
		for (int l = 0; l < WN_NLABELS; l++)
			sc[l] += row[l];
	}
}

/* Scores feature rows of the shipped int16 model. */
static void score_model(const void *ctx, const uint32_t *f, size_t nf, int64_t *sc)
{
	const wn_ner_model *m = ctx;
	int32_t s32[WN_NLABELS] = {0};
	add_rows(m, f, nf, s32);
	for (int l = 0; l < WN_NLABELS; l++)
		sc[l] += s32[l];
}

/* Asks for the weight rows of the next token's features ahead of use:
 * the table is megabytes, and the rows are read at random. */
static void prefetch_rows(const wn_ner_model *m, const uint32_t *f, size_t nf)
{
	for (size_t j = 0; j < nf; j++)
		__builtin_prefetch(m->w + (size_t)f[j] * WN_NLABELS);
}

size_t wn_ner_beam(wn_ner_scorer score, const void *ctx, uint32_t bits, double scale,
                   const wn_ner_input *in, size_t sent0, size_t sent1, const uint8_t *gold,
                   uint8_t *labels, float *conf)
{
	uint32_t fb[2][WN_NER_MAX_FEATS], hf[WN_NER_MAX_FEATS];
	static const wn_ner_hyp start = {0, WN_NLABELS, WN_NLABELS, -1, 1, 0};
	wn_ner_hyp col[WN_NER_MAX_SENT][WN_NER_BEAM];
	uint8_t lab[WN_NER_MAX_SENT][WN_NER_BEAM];
	int nb[WN_NER_MAX_SENT];
	size_t n = sent1 - sent0, last = n;
	/* token info of every token once, with two markers on either side */
	tokinfo ti[WN_NER_MAX_SENT + 4];
	for (size_t c = 0; c < n + 4; c++)
		window_info(in, (long)(sent0 + c) - 2, sent0, sent1, &ti[c]);
	const wn_ner_model *pm = score == score_model ? ctx : NULL;
	size_t nfb[2];
	nfb[0] = n ? features_win(in, sent0, sent0, sent1, bits, fb[0], ti) : 0;
	for (size_t c = 0; c < n; c++) {
		size_t i = sent0 + c;
		const uint32_t *f = fb[c & 1];
		if (c + 1 < n) { /* the next token's features, fetched while this one runs */
			nfb[(c + 1) & 1] = features_win(in, i + 1, sent0, sent1, bits,
			                                fb[(c + 1) & 1], ti + c + 1);
			if (pm)
				prefetch_rows(pm, fb[(c + 1) & 1], nfb[(c + 1) & 1]);
		}
		int64_t st[WN_NLABELS] = {0};
		score(ctx, f, nfb[c & 1], st);
		wn_ner_hyp cand[WN_NER_BEAM * WN_NLABELS];
		uint8_t cl[WN_NER_BEAM * WN_NLABELS];
		int nc = 0;
		const tokinfo *tk = &ti[c + 2];
		/* the history features but (p1, p2) depend on p1 alone: scored
		 * once per distinct p1 of the kept paths */
		int64_t p1sc[WN_NLABELS + 1][WN_NLABELS];
		uint8_t p1done[WN_NLABELS + 1] = {0};
		for (int h = 0; h < (c ? nb[c - 1] : 1); h++) {
			const wn_ner_hyp *ph = c ? &col[c - 1][h] : &start;
			size_t nh = hist_feats(tk->lw, tk->sshape, ph->p1, ph->p2, bits, hf);
			int64_t sc[WN_NLABELS];
			if (!p1done[ph->p1]) {
				memcpy(p1sc[ph->p1], st, sizeof st);
				/* hf[1] is the (p1, p2) feature; the others p1's */
				uint32_t only_p1[WN_NER_MAX_FEATS];
				size_t np = 0;
				for (size_t j = 0; j < nh; j++)
					if (j != 1)
						only_p1[np++] = hf[j];
				score(ctx, only_p1, np, p1sc[ph->p1]);
				p1done[ph->p1] = 1;
			}
			memcpy(sc, p1sc[ph->p1], sizeof sc);
			score(ctx, hf + 1, 1, sc);
			int prev = ph->p1 < WN_NLABELS ? ph->p1 : WN_L_O;
			int64_t b1 = INT64_MIN, b2 = INT64_MIN;
			for (int l = 0; l < WN_NLABELS; l++) {
				if (!wn_ner_allowed(prev, l))
					continue;
				if (sc[l] > b1)
					b2 = b1, b1 = sc[l];
				else if (sc[l] > b2)
					b2 = sc[l];
			}
			for (int l = 0; l < WN_NLABELS; l++) {
				if (!wn_ner_allowed(prev, l))
					continue;
				/* conf holds the margin until the path is kept */
				double margin = (double)(sc[l] - (sc[l] == b1 ? b2 : b1)) / scale;
				cand[nc] = (wn_ner_hyp){ph->score + sc[l],
				                        l,
				                        ph->p1,
				                        h,
				                        ph->gold && gold && gold[i] == l,
				                        (float)margin};
				cl[nc++] = (uint8_t)l;
			}
		}
		int k, any_gold = 0;
		for (k = 0; k < WN_NER_BEAM && k < nc; k++) {
			int best = k;
			for (int j = k + 1; j < nc; j++)
				if (cand[j].score > cand[best].score)
					best = j;
			wn_ner_hyp th = cand[k];
			uint8_t tl = cl[k];
			cand[k] = cand[best], cl[k] = cl[best];
			cand[best] = th, cl[best] = tl;
			cand[k].conf = (float)(1.0 / (1.0 + exp(-(double)cand[k].conf / 4.0)));
			col[c][k] = cand[k], lab[c][k] = cl[k];
			any_gold |= cand[k].gold;
		}
		nb[c] = k;
		if (gold && !any_gold) { /* early update: stop where gold fell off */
			last = c + 1;
			break;
		}
	}
	int h = 0;
	for (size_t c = last; c-- > 0;) {
		labels[sent0 + c] = lab[c][h];
		conf[sent0 + c] = col[c][h].conf;
		h = col[c][h].parent;
	}
	return last;
}

void wn_ner_tag(const wn_ner_model *m, const wn_ner_input *input, size_t sent0, size_t sent1,
                uint8_t *labels, float *conf)
{
	wn_ner_input with_words = *input;
	with_words.words = m->words; /* the classes the model was trained with */
	const wn_ner_input *in = &with_words;
	while (sent1 - sent0 > WN_NER_MAX_SENT) {
		wn_ner_beam(score_model, m, m->bits, m->scale, in, sent0, sent0 + WN_NER_MAX_SENT,
		            NULL, labels, conf);
		sent0 += WN_NER_MAX_SENT;
	}
	if (sent1 > sent0)
		wn_ner_beam(score_model, m, m->bits, m->scale, in, sent0, sent1, NULL, labels,
		            conf);
}

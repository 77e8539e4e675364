/*
 * bench/dedup: precision, recall, speed and memory of winnow's duplicate
 * detection (pipeline/src/dedup.c) on a synthetic corpus with planted near
 * duplicates (corpus.c), and the same detection by brute-force exact
 * Jaccard on a sample, as the accuracy reference and the speed peer.
 *
 * Usage: bench_dedup [DOCS [SAMPLE [SEED [NUM_PERM]]]]
 *        (defaults 100000 5000 1 128)
 *
 * Both detectors follow the engine's policy: documents in order, the first
 * of a group kept, a later one dropped when it is a duplicate of a kept
 * one (similarity >= 0.8). Ground truth on the full corpus: a document is
 * a true duplicate when the exact Jaccard of its shingle set with some
 * earlier kept document of its story is >= 0.8 (documents of different
 * stories share only boilerplate; the sample checks that on every pair).
 * A reported match is correct when the exact Jaccard of the pair is
 * >= 0.8, whatever the story. Exits 1 when precision or recall < 0.95.
 */
#include "corpus.h"
#include "dedup.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define THRESHOLD 0.8
#define BUCKETS 10 /* histogram of Jaccard in [0.5, 1.0] by 0.05 */

typedef struct verdict {
	int32_t dup_of; /* -1: kept */
	uint8_t kind;
	float sim;
} verdict;

typedef struct run_stats {
	double dedup_s, sign_s, total_s, wall_total_s;
	long rss_before_kb;
	size_t index_bytes, index_docs;
	int rc;
	int bands, rows;
} run_stats;

typedef struct shingles {
	uint64_t *h;
	size_t n;
} shingles;

/* CPU seconds of this (single-threaded) process: the machine is shared,
 * and CPU time does not count the time other processes took the core. */
static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double wall_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_dedup: %s\n", what);
	exit(2);
}

static int bucket(double j)
{
	int b = (int)((j - 0.5) / 0.05);
	return b < 0 ? 0 : b >= BUCKETS ? BUCKETS - 1 : b;
}

#define BATCH 256 /* documents rendered, then timed together */

/* Looks up and adds docs [base, base + cnt) with signatures sig[]. */
static int lookup_batch(wn_dedup *d, size_t base, size_t cnt, const wn_dedup_sig *sig, verdict *v)
{
	char id[24];
	for (size_t j = 0; j < cnt; j++) {
		wn_dedup_match m = {0};
		int rc = wn_dedup_lookup(d, &sig[j], &m);
		if (!rc && m.kind == WN_DEDUP_UNIQUE) {
			snprintf(id, sizeof id, "%zu", base + j);
			rc = wn_dedup_add(d, id, &sig[j]);
		}
		if (rc)
			return rc;
		v[base + j].kind = (uint8_t)m.kind;
		v[base + j].sim = (float)m.similarity;
		v[base + j].dup_of =
		    m.duplicate_of ? (int32_t)strtol(m.duplicate_of, NULL, 10) : -1;
	}
	return 0;
}

/* Runs detection over docs [0, n) into v[], timing the dedup calls only,
 * a batch at a time (reading the CPU clock is a system call). Signing and
 * lookup are timed apart (wn_dedup_check() is the two): signing needs no
 * index, so the engine could do it on its worker threads. */
static void detect(corpus *c, size_t n, const wn_dedup_opts *o, verdict *v, run_stats *st)
{
	wn_dedup_sig *sig = malloc(BATCH * sizeof *sig);
	char *buf[BATCH] = {0};
	size_t cap[BATCH] = {0}, len[BATCH];
	if (!sig)
		die("out of memory");
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	st->rss_before_kb = ru.ru_maxrss;
	wn_dedup *d = wn_dedup_new(o);
	if (!d)
		die("wn_dedup_new failed");
	st->bands = wn_dedup_options(d)->bands, st->rows = wn_dedup_options(d)->rows;
	double t_start = now_s(), w_start = wall_s();
	for (size_t base = 0; base < n && !st->rc; base += BATCH) {
		size_t cnt = n - base < BATCH ? n - base : BATCH;
		for (size_t j = 0; j < cnt; j++)
			if ((len[j] = corpus_render(c, base + j, &buf[j], &cap[j])) == (size_t)-1)
				die("out of memory rendering");
		double t0 = now_s();
		for (size_t j = 0; j < cnt && !st->rc; j++)
			st->rc = wn_dedup_sign(d, buf[j], len[j], &sig[j]);
		double t1 = now_s();
		if (!st->rc)
			st->rc = lookup_batch(d, base, cnt, sig, v);
		double t2 = now_s();
		st->sign_s += t1 - t0, st->dedup_s += t2 - t0;
	}
	st->total_s = now_s() - t_start;
	st->wall_total_s = wall_s() - w_start;
	st->index_bytes = wn_dedup_bytes(d);
	st->index_docs = wn_dedup_count(d);
	wn_dedup_free(d);
	for (size_t j = 0; j < BATCH; j++)
		free(buf[j]);
	free(sig);
}

/* detect() in a child process, so its peak RSS is that of generation plus
 * the index alone; verdicts come back through shared memory. */
static long detect_in_child(corpus *c, size_t n, const wn_dedup_opts *o, verdict *v, run_stats *st)
{
	pid_t pid = fork();
	if (pid < 0)
		die("fork failed");
	if (pid == 0) {
		detect(c, n, o, v, st);
		_exit(st->rc ? 1 : 0);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4 failed");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fprintf(stderr, "bench_dedup: detection failed: %s\n", wn_dedup_strerror(st->rc)),
		    exit(2);
	return ru.ru_maxrss;
}

static shingles shingle_doc(wn_dedup *ref, corpus *c, size_t i, char **buf, size_t *cap)
{
	shingles s = {0};
	size_t len = corpus_render(c, i, buf, cap);
	if (len == (size_t)-1 || wn_dedup_shingles(ref, *buf, len, &s.h, &s.n))
		die("out of memory shingling");
	return s;
}

static double jac(const shingles *a, const shingles *b)
{
	return wn_dedup_jaccard(a->h, a->n, b->h, b->n);
}

/* Tallies of one evaluation. */
typedef struct tally {
	size_t flagged, correct, truth, exact_truth, exact_found;
	size_t truth_b[BUCKETS], found_b[BUCKETS], fp_b[BUCKETS];
	size_t planted_b[BUCKETS], planted_low;
	double err_sum, err_sq;
	size_t err_n;
} tally;

/* One document of a story cluster: is it a true duplicate (of an earlier
 * kept member), and is the detector's verdict right. */
static void judge(wn_dedup *ref, corpus *c, const uint32_t *mem, size_t k, const shingles *sh,
                  const verdict *v, tally *t, char **buf, size_t *cap)
{
	uint32_t d = mem[k];
	double best = 0;
	for (size_t e = 0; e < k; e++)
		if (v[mem[e]].dup_of < 0) {
			double j = jac(&sh[k], &sh[e]);
			best = j > best ? j : best;
		}
	int exact_copy = corpus_meta(c, d)->exact;
	if (k > 0 && corpus_meta(c, d)->is_copy) {
		double pj = jac(&sh[k], &sh[0]); /* planted: against the story's first */
		if (pj < 0.5)
			t->planted_low++;
		else
			t->planted_b[bucket(pj)]++;
	}
	double jd = -1;
	if (v[d].dup_of >= 0) {
		size_t e = 0;
		while (e < k && mem[e] != (uint32_t)v[d].dup_of)
			e++;
		if (e < k) {
			jd = jac(&sh[k], &sh[e]);
		} else { /* another story: measure it all the same */
			shingles o = shingle_doc(ref, c, (size_t)v[d].dup_of, buf, cap);
			jd = jac(&sh[k], &o);
			free(o.h);
		}
		t->flagged++;
		t->err_sum += v[d].sim - jd, t->err_sq += (v[d].sim - jd) * (v[d].sim - jd);
		t->err_n++;
		if (jd >= THRESHOLD)
			t->correct++;
		else
			t->fp_b[bucket(jd)]++;
	}
	int truth = best >= THRESHOLD || jd >= THRESHOLD;
	if (!truth)
		return;
	double bj = best > jd ? best : jd;
	t->truth++, t->truth_b[bucket(bj)]++;
	t->exact_truth += exact_copy;
	if (jd >= THRESHOLD) {
		t->found_b[bucket(bj)]++;
		t->exact_found += exact_copy;
	}
}

/* Ground truth over every story cluster of the full corpus. */
static void evaluate(corpus *c, size_t n, const verdict *v, const wn_dedup_opts *o, tally *t)
{
	size_t ns = corpus_stories(c);
	uint32_t *start = calloc(ns + 1, sizeof *start), *mem = malloc(n * sizeof *mem);
	uint32_t *fill = calloc(ns + 1, sizeof *fill);
	wn_dedup *ref = wn_dedup_new(o);
	if (!start || !mem || !fill || !ref)
		die("out of memory evaluating");
	for (size_t i = 0; i < n; i++)
		start[corpus_meta(c, i)->story + 1]++;
	for (size_t s = 0; s < ns; s++)
		start[s + 1] += start[s];
	for (size_t i = 0; i < n; i++) {
		uint32_t s = corpus_meta(c, i)->story;
		mem[start[s] + fill[s]++] = (uint32_t)i;
	}
	char *buf = NULL;
	size_t cap = 0;
	for (size_t s = 0; s < ns; s++) {
		size_t size = start[s + 1] - start[s];
		const uint32_t *m = mem + start[s];
		shingles *sh = calloc(size, sizeof *sh);
		if (!sh)
			die("out of memory evaluating");
		for (size_t k = 0; k < size; k++)
			sh[k] = shingle_doc(ref, c, m[k], &buf, &cap);
		for (size_t k = 0; k < size; k++)
			judge(ref, c, m, k, sh, v, t, &buf, &cap);
		for (size_t k = 0; k < size; k++)
			free(sh[k].h);
		free(sh);
	}
	free(buf);
	free(start);
	free(mem);
	free(fill);
	wn_dedup_free(ref);
}

static void print_tally(const tally *t)
{
	double p = t->flagged ? (double)t->correct / (double)t->flagged : 1;
	double r = t->truth ? (double)t->correct / (double)t->truth : 1;
	printf("  true duplicates %zu (copies with the story's words unchanged %zu), reported %zu, "
	       "correct %zu\n",
	       t->truth, t->exact_truth, t->flagged, t->correct);
	printf("  PRECISION %.4f   RECALL %.4f   (unchanged copies found %zu of %zu)\n", p, r,
	       t->exact_found, t->exact_truth);
	printf("  recall by exact Jaccard with the best kept match:");
	for (int b = bucket(THRESHOLD); b < BUCKETS; b++)
		if (t->truth_b[b])
			printf(" [%.2f,%.2f) %zu/%zu", 0.5 + 0.05 * b, 0.55 + 0.05 * b,
			       t->found_b[b], t->truth_b[b]);
	printf("\n  false matches by exact Jaccard of the pair:");
	for (int b = 0; b < bucket(THRESHOLD); b++)
		printf(" [%.2f,%.2f) %zu", b ? 0.5 + 0.05 * b : 0.0, 0.55 + 0.05 * b, t->fp_b[b]);
	if (t->err_n) {
		double mean = t->err_sum / (double)t->err_n;
		printf("\n  estimated minus exact Jaccard of reported pairs: mean %+.4f, rms %.4f",
		       mean, sqrt(t->err_sq / (double)t->err_n));
	}
	printf("\n");
}

static void print_planted(const tally *t)
{
	printf("planted copies by exact Jaccard with their story's first document:\n  <0.50 %zu",
	       t->planted_low);
	for (int b = 0; b < BUCKETS; b++)
		printf(" | %.2f-%.2f %zu", 0.5 + 0.05 * b, 0.55 + 0.05 * b, t->planted_b[b]);
	printf("\n");
}

/* The sample: brute force (exact Jaccard against every kept document,
 * after the length filter min/max >= threshold that any exact method
 * would use) and LSH on the same texts; returns the speed ratio. */
typedef struct sample_result {
	double brute_s, lsh_s;
	size_t agree, n;
	double precision, recall;
	size_t cross_pairs; /* pairs of different stories with Jaccard >= 0.5 */
	double cross_max;
} sample_result;

static void brute_force(char **text, const size_t *len, size_t n, const wn_dedup_opts *o,
                        shingles *sh, verdict *v, double *secs)
{
	wn_dedup *ref = wn_dedup_new(o);
	uint32_t *kept = malloc(n * sizeof *kept);
	if (!ref || !kept)
		die("out of memory (brute force)");
	size_t nk = 0;
	double t0 = now_s();
	for (size_t i = 0; i < n; i++) {
		if (wn_dedup_shingles(ref, text[i], len[i], &sh[i].h, &sh[i].n))
			die("out of memory (brute force)");
		double best = 0;
		int32_t of = -1;
		for (size_t k = 0; k < nk; k++) {
			const shingles *e = &sh[kept[k]];
			size_t lo = e->n < sh[i].n ? e->n : sh[i].n, hi = e->n ^ sh[i].n ^ lo;
			if (hi == 0 || (double)lo < THRESHOLD * (double)hi)
				continue;
			double j = jac(&sh[i], e);
			if (j > best)
				best = j, of = (int32_t)kept[k];
		}
		if (sh[i].n && best >= THRESHOLD) {
			v[i] =
			    (verdict){of, best == 1 ? WN_DEDUP_EXACT : WN_DEDUP_NEAR, (float)best};
		} else {
			v[i] = (verdict){-1, WN_DEDUP_UNIQUE, (float)best};
			kept[nk++] = (uint32_t)i;
		}
	}
	*secs = now_s() - t0;
	free(kept);
	wn_dedup_free(ref);
}

static void lsh_sample(char **text, const size_t *len, size_t n, const wn_dedup_opts *o, verdict *v,
                       double *secs)
{
	wn_dedup_sig *sig = malloc(sizeof *sig);
	wn_dedup *d = wn_dedup_new(o);
	if (!d || !sig)
		die("out of memory (LSH sample)");
	char id[24];
	double t0 = now_s();
	for (size_t i = 0; i < n; i++) {
		wn_dedup_match m = {0};
		if (wn_dedup_check(d, text[i], len[i], sig, &m))
			die("wn_dedup_check failed");
		if (m.kind == WN_DEDUP_UNIQUE) {
			snprintf(id, sizeof id, "%zu", i);
			if (wn_dedup_add(d, id, sig))
				die("wn_dedup_add failed");
		}
		v[i] = (verdict){m.duplicate_of ? (int32_t)atoi(m.duplicate_of) : -1,
		                 (uint8_t)m.kind, (float)m.similarity};
	}
	*secs = now_s() - t0;
	wn_dedup_free(d);
	free(sig);
}

/* Untimed: every pair of the sample, exactly. Truth for LSH's verdicts,
 * and the check that different stories never reach the threshold. */
static void verify_sample(const corpus *c, const shingles *sh, size_t n, const verdict *lsh,
                          sample_result *r)
{
	size_t flagged = 0, correct = 0, truth = 0;
	for (size_t i = 0; i < n; i++) {
		double best_kept = 0;
		for (size_t e = 0; e < i; e++) {
			size_t lo = sh[e].n < sh[i].n ? sh[e].n : sh[i].n,
			       hi = sh[e].n ^ sh[i].n ^ lo;
			if (hi == 0 || (double)lo < 0.5 * (double)hi)
				continue;
			double j = jac(&sh[i], &sh[e]);
			if (lsh[e].dup_of < 0 && j > best_kept)
				best_kept = j;
			if (corpus_meta(c, i)->story != corpus_meta(c, e)->story) {
				r->cross_pairs += j >= 0.5;
				r->cross_max = j > r->cross_max ? j : r->cross_max;
			}
		}
		int ok = 0;
		if (lsh[i].dup_of >= 0) {
			flagged++;
			ok = jac(&sh[i], &sh[lsh[i].dup_of]) >= THRESHOLD;
			correct += ok;
		}
		truth += best_kept >= THRESHOLD || ok;
	}
	r->precision = flagged ? (double)correct / (double)flagged : 1;
	r->recall = truth ? (double)correct / (double)truth : 1;
}

static sample_result run_sample(corpus *c, size_t n, const wn_dedup_opts *o)
{
	sample_result r = {.n = n};
	char **text = calloc(n, sizeof *text);
	size_t *len = calloc(n, sizeof *len), cap;
	shingles *sh = calloc(n, sizeof *sh);
	verdict *vb = calloc(n, sizeof *vb), *vl = calloc(n, sizeof *vl);
	if (!text || !len || !sh || !vb || !vl)
		die("out of memory (sample)");
	for (size_t i = 0; i < n; i++) {
		cap = 0;
		if ((len[i] = corpus_render(c, i, &text[i], &cap)) == (size_t)-1)
			die("out of memory (sample)");
	}
	brute_force(text, len, n, o, sh, vb, &r.brute_s);
	lsh_sample(text, len, n, o, vl, &r.lsh_s);
	for (size_t i = 0; i < n; i++)
		r.agree += vb[i].dup_of == vl[i].dup_of;
	verify_sample(c, sh, n, vl, &r);
	for (size_t i = 0; i < n; i++)
		free(text[i]), free(sh[i].h);
	free(text), free(len), free(sh), free(vb), free(vl);
	return r;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	size_t ns = argc > 2 ? strtoul(argv[2], NULL, 10) : 5000;
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
	wn_dedup_opts o = {.threshold = THRESHOLD};
	o.num_perm = argc > 4 ? atoi(argv[4]) : 128;
	if (n == 0 || ns > n)
		die("usage: bench_dedup [DOCS [SAMPLE [SEED [NUM_PERM]]]] (SAMPLE <= DOCS)");
	corpus *c = corpus_new(n, seed);
	if (!c)
		die("out of memory (corpus)");
	/* Shared with the child that runs the detection. */
	size_t shared = n * sizeof(verdict) + sizeof(run_stats);
	void *mem = mmap(NULL, shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap failed");
	run_stats *st = mem;
	verdict *v = (verdict *)(st + 1);
	long peak_kb = detect_in_child(c, n, &o, v, st);

	printf("corpus: %zu documents (seed %llu): %zu stories, %zu copies planted\n", n,
	       (unsigned long long)seed, corpus_stories(c), n - corpus_stories(c));
	printf("detection at Jaccard %.2f: %d-word shingles, num_perm %d, LSH %d bands x %d rows\n",
	       THRESHOLD, 5, o.num_perm, st->bands, st->rows);
	tally t = {0};
	evaluate(c, n, v, &o, &t);
	print_planted(&t);
	printf("full corpus (ground truth: exact Jaccard of every pair within a story):\n");
	print_tally(&t);
	printf("  SPEED: %.0f documents/s in the dedup calls (check + add: %.2f CPU s, %.1f us a "
	       "document: %.1f signing, %.1f lookup and add); %.0f documents/s with corpus "
	       "generation (%.0f by the wall clock)\n",
	       (double)n / st->dedup_s, st->dedup_s, st->dedup_s / (double)n * 1e6,
	       st->sign_s / (double)n * 1e6, (st->dedup_s - st->sign_s) / (double)n * 1e6,
	       (double)n / st->total_s, (double)n / st->wall_total_s);
	printf("  MEMORY: peak RSS %.1f MiB (generator alone %.1f MiB), index %.1f MiB for %zu "
	       "kept documents (%.0f bytes each)\n",
	       peak_kb / 1024.0, st->rss_before_kb / 1024.0, st->index_bytes / 1048576.0,
	       st->index_docs, (double)st->index_bytes / (double)st->index_docs);

	sample_result r = run_sample(c, ns, &o);
	printf("sample: the first %zu documents, every pair compared exactly\n", ns);
	printf("  brute-force exact Jaccard: %.2f CPU s, %.0f documents/s\n", r.brute_s,
	       (double)ns / r.brute_s);
	printf("  LSH (winnow dedup):        %.3f CPU s, %.0f documents/s\n", r.lsh_s,
	       (double)ns / r.lsh_s);
	printf("  SPEED RATIO LSH / brute force: %.0fx\n", r.brute_s / r.lsh_s);
	printf("  LSH against exact all-pairs truth: PRECISION %.4f  RECALL %.4f; same verdict "
	       "as brute force for %zu of %zu documents\n",
	       r.precision, r.recall, r.agree, ns);
	printf("  pairs of different stories with Jaccard >= 0.5: %zu (max %.3f): story clusters "
	       "hold all the true duplicates\n",
	       r.cross_pairs, r.cross_max);

	double p = t.flagged ? (double)t.correct / (double)t.flagged : 1;
	double rc = t.truth ? (double)t.correct / (double)t.truth : 1;
	int pass = p >= 0.95 && rc >= 0.95 && r.precision >= 0.95 && r.recall >= 0.95;
	printf("%s: precision and recall >= 0.95 on the full corpus and the sample\n",
	       pass ? "PASS" : "FAIL");
	munmap(mem, shared);
	corpus_free(c);
	return pass ? 0 : 1;
}

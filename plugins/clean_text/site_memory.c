/*
 * Site boilerplate memory (site_memory.h): sites in an array with an
 * open-addressing index by name, each site's lines in an open-addressing
 * table of (hash, pages). Hash 0 marks an empty slot: wn_sitemem_hash
 * never returns it.
 */
#include "site_memory.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sm_line {
	uint64_t h; /* 0: empty slot */
	uint32_t pages;
} sm_line;

struct wn_sitemem_site {
	char *name;
	uint32_t pages;
	uint32_t stamp; /* run counter when last seen */
	int seen;       /* seen since the last wn_sitemem_end_run */
	unsigned level; /* sampling: only hashes below 2^(64-level) are kept */
	sm_line *t;     /* cap slots, a power of two */
	size_t n, cap;
};

struct wn_sitemem {
	wn_sitemem_site **v;
	size_t n, cap;
	size_t *idx; /* icap slots: index + 1 into v, 0 empty */
	size_t icap;
	size_t max_sites, max_lines;
	size_t sample_cap; /* > 0: a site over this many lines halves its
	                      hash range (order-independent bound) */
	uint32_t run;
};

uint64_t wn_sitemem_hash(const char *folded, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)folded[i]) * 1099511628211ull;
	return h ? h : 1;
}

static uint64_t name_hash(const char *s)
{
	return wn_sitemem_hash(s, strlen(s));
}

wn_sitemem *wn_sitemem_new(size_t max_sites, size_t max_lines)
{
	wn_sitemem *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->max_sites = max_sites ? max_sites : 1000;
	m->max_lines = max_lines ? max_lines : 1000;
	return m;
}

static void site_free(wn_sitemem_site *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->t);
	free(s);
}

void wn_sitemem_free(wn_sitemem *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		site_free(m->v[i]);
	free(m->v);
	free(m->idx);
	free(m);
}

/* Rebuilds the name index with room for twice the sites. */
static int reindex(wn_sitemem *m, size_t want)
{
	size_t cap = 16;
	size_t *idx;

	while (cap < 2 * want)
		cap *= 2;
	idx = calloc(cap, sizeof *idx);
	if (!idx)
		return -1;
	for (size_t i = 0; i < m->n; i++) {
		size_t k = (size_t)name_hash(m->v[i]->name) & (cap - 1);
		while (idx[k])
			k = (k + 1) & (cap - 1);
		idx[k] = i + 1;
	}
	free(m->idx);
	m->idx = idx;
	m->icap = cap;
	return 0;
}

static wn_sitemem_site *find(const wn_sitemem *m, const char *name)
{
	if (!m || !m->icap || !name)
		return NULL;
	for (size_t k = (size_t)name_hash(name) & (m->icap - 1); m->idx[k];
	     k = (k + 1) & (m->icap - 1))
		if (!strcmp(m->v[m->idx[k] - 1]->name, name))
			return m->v[m->idx[k] - 1];
	return NULL;
}

const wn_sitemem_site *wn_sitemem_find(const wn_sitemem *m, const char *site)
{
	return find(m, site);
}

/* The site's entry, created when new; NULL when out of memory. */
static wn_sitemem_site *get_site(wn_sitemem *m, const char *name)
{
	wn_sitemem_site *s = find(m, name);

	if (s)
		return s;
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 8;
		wn_sitemem_site **v = realloc(m->v, cap * sizeof *v);
		if (!v)
			return NULL;
		m->v = v;
		m->cap = cap;
	}
	if (2 * (m->n + 1) > m->icap && reindex(m, m->n + 1))
		return NULL;
	s = calloc(1, sizeof *s);
	if (!s || !(s->name = strdup(name))) {
		free(s);
		return NULL;
	}
	m->v[m->n++] = s;
	size_t k = (size_t)name_hash(name) & (m->icap - 1);
	while (m->idx[k])
		k = (k + 1) & (m->icap - 1);
	m->idx[k] = m->n;
	return s;
}

static int kept_by_level(const wn_sitemem_site *s, uint64_t h)
{
	return s->level == 0 || h < (UINT64_MAX >> s->level);
}

/* Puts (h, pages) into a table of cap slots (no growth, no check). */
static void put(sm_line *t, size_t cap, uint64_t h, uint32_t pages)
{
	size_t k = (size_t)(h ^ (h >> 32)) & (cap - 1);

	while (t[k].h && t[k].h != h)
		k = (k + 1) & (cap - 1);
	if (!t[k].h)
		t[k].h = h;
	t[k].pages = t[k].pages + pages < t[k].pages ? UINT32_MAX : t[k].pages + pages;
}

/* Rebuilds the table with cap slots, keeping the lines `keep` accepts. */
static int rehash(wn_sitemem_site *s, size_t cap)
{
	sm_line *t = calloc(cap, sizeof *t);
	size_t n = 0;

	if (!t)
		return -1;
	for (size_t i = 0; i < s->cap; i++)
		if (s->t[i].h && kept_by_level(s, s->t[i].h)) {
			put(t, cap, s->t[i].h, s->t[i].pages);
			n++;
		}
	free(s->t);
	s->t = t;
	s->cap = cap;
	s->n = n;
	return 0;
}

/* Adds pages to line h of site s, within the memory's sampling bound. */
static int add_line(const wn_sitemem *m, wn_sitemem_site *s, uint64_t h, uint32_t pages)
{
	if (!kept_by_level(s, h))
		return 0;
	if (2 * (s->n + 1) > s->cap && rehash(s, s->cap ? 2 * s->cap : 16))
		return -1;
	size_t k = (size_t)(h ^ (h >> 32)) & (s->cap - 1);
	while (s->t[k].h && s->t[k].h != h)
		k = (k + 1) & (s->cap - 1);
	s->n += !s->t[k].h;
	put(s->t, s->cap, h, pages);
	/* Over the bound: halve the hash range kept. Which lines stay then
	 * depends only on the set of lines seen, not on their order. */
	while (m->sample_cap && s->n > m->sample_cap && s->level < 63) {
		s->level++;
		if (rehash(s, s->cap))
			return -1;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int wn_sitemem_add_page(wn_sitemem *m, const char *site, const uint64_t *h, size_t n)
{
	wn_sitemem_site *s = get_site(m, site);
	uint64_t *u;
	int rc = 0;

	if (!s)
		return -1;
	s->pages += s->pages < UINT32_MAX;
	s->seen = 1;
	if (!n)
		return 0;
	u = malloc(n * sizeof *u);
	if (!u)
		return -1;
	memcpy(u, h, n * sizeof *u);
	qsort(u, n, sizeof *u, cmp_u64);
	for (size_t i = 0; i < n && !rc; i++)
		if (u[i] && (i == 0 || u[i] != u[i - 1]))
			rc = add_line(m, s, u[i], 1);
	free(u);
	return rc;
}

int wn_sitemem_merge(wn_sitemem *dst, const wn_sitemem *src)
{
	for (size_t i = 0; src && i < src->n; i++) {
		const wn_sitemem_site *a = src->v[i];
		wn_sitemem_site *s = get_site(dst, a->name);
		if (!s)
			return -1;
		s->pages = s->pages + a->pages < s->pages ? UINT32_MAX : s->pages + a->pages;
		s->seen |= a->seen;
		if (a->stamp > s->stamp)
			s->stamp = a->stamp;
		if (dst->sample_cap && a->level > s->level) {
			s->level = a->level; /* both sides keep the same range */
			if (s->cap && rehash(s, s->cap))
				return -1;
		}
		for (size_t k = 0; k < a->cap; k++)
			if (a->t[k].h && add_line(dst, s, a->t[k].h, a->t[k].pages))
				return -1;
	}
	return 0;
}

uint32_t wn_sitemem_pages(const wn_sitemem_site *s)
{
	return s ? s->pages : 0;
}

uint32_t wn_sitemem_count(const wn_sitemem_site *s, uint64_t h)
{
	if (!s || !s->cap || !h)
		return 0;
	for (size_t k = (size_t)(h ^ (h >> 32)) & (s->cap - 1); s->t[k].h;
	     k = (k + 1) & (s->cap - 1))
		if (s->t[k].h == h)
			return s->t[k].pages;
	return 0;
}

size_t wn_sitemem_sites(const wn_sitemem *m)
{
	return m ? m->n : 0;
}

size_t wn_sitemem_lines(const wn_sitemem_site *s)
{
	return s ? s->n : 0;
}

/* More pages first, then the smaller hash. */
static int cmp_line(const void *a, const void *b)
{
	const sm_line *x = a, *y = b;

	if (x->pages != y->pages)
		return x->pages > y->pages ? -1 : 1;
	return x->h < y->h ? -1 : x->h > y->h;
}

/* Keeps the site's max lines most frequent lines. */
static int trim_site(wn_sitemem_site *s, size_t max)
{
	sm_line *v;
	size_t n = 0;

	if (s->n <= max)
		return 0;
	v = malloc(s->n * sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < s->cap; i++)
		if (s->t[i].h)
			v[n++] = s->t[i];
	qsort(v, n, sizeof *v, cmp_line);
	memset(s->t, 0, s->cap * sizeof *s->t);
	for (size_t i = 0; i < max; i++)
		put(s->t, s->cap, v[i].h, v[i].pages);
	s->n = max;
	free(v);
	return 0;
}

/* Most recently seen first, then more pages, then the name. */
static int cmp_site(const void *a, const void *b)
{
	const wn_sitemem_site *x = *(wn_sitemem_site *const *)a, *y = *(wn_sitemem_site *const *)b;

	if (x->stamp != y->stamp)
		return x->stamp > y->stamp ? -1 : 1;
	if (x->pages != y->pages)
		return x->pages > y->pages ? -1 : 1;
	return strcmp(x->name, y->name);
}

void wn_sitemem_trim(wn_sitemem *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (trim_site(m->v[i], m->max_lines))
			return; /* out of memory: stays untrimmed, still valid */
	if (m->n <= m->max_sites)
		return;
	qsort(m->v, m->n, sizeof *m->v, cmp_site);
	while (m->n > m->max_sites)
		site_free(m->v[--m->n]);
	if (reindex(m, m->n)) {
		/* keep the old index consistent: rebuild in place is impossible,
		 * so drop it; find() then sees nothing until the next reindex */
		free(m->idx);
		m->idx = NULL;
		m->icap = 0;
	}
}

void wn_sitemem_end_run(wn_sitemem *m)
{
	m->run++;
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i]->seen) {
			m->v[i]->stamp = m->run;
			m->v[i]->seen = 0;
		}
	wn_sitemem_trim(m);
}

/* --- files ---------------------------------------------------------- */

#define SM_MAGIC "winnow-site-memory 1"

/* Format (text, one record a line):
 *   winnow-site-memory 1
 *   run N
 *   site NAME PAGES STAMP LINES
 *   HASH16 PAGES        (LINES of these, hash in hex)
 */
static int load_file(wn_sitemem *m, FILE *f, const char *path, char *err, size_t errlen)
{
	char buf[1200];
	long ln = 0;
	size_t want = 0;
	wn_sitemem_site *s = NULL;

#define SM_BAD(what)                                                                               \
	do {                                                                                       \
		snprintf(err, errlen, "%s:%ld: %s", path, ln, what);                               \
		return -1;                                                                         \
	} while (0)
	while (fgets(buf, sizeof buf, f)) {
		ln++;
		if (!strchr(buf, '\n') && !feof(f))
			SM_BAD("line too long");
		buf[strcspn(buf, "\r\n")] = '\0';
		if (ln == 1) {
			if (strcmp(buf, SM_MAGIC))
				SM_BAD("not a site memory file (first line must be \"" SM_MAGIC
				       "\")");
			continue;
		}
		unsigned long long h;
		unsigned long a, b;
		char name[1024];
		size_t lines;
		if (want) {
			if (sscanf(buf, "%16llx %lu", &h, &a) != 2 || !h || a > UINT32_MAX)
				SM_BAD("expected \"HASH PAGES\"");
			if (add_line(m, s, (uint64_t)h, (uint32_t)a))
				SM_BAD("out of memory");
			want--;
		} else if (ln == 2) {
			if (sscanf(buf, "run %lu", &a) != 1 || a > UINT32_MAX)
				SM_BAD("expected \"run N\"");
			if (a > m->run)
				m->run = (uint32_t)a;
		} else if (sscanf(buf, "site %1023s %lu %lu %zu", name, &a, &b, &lines) == 4 &&
		           a <= UINT32_MAX && b <= UINT32_MAX) {
			if (!(s = get_site(m, name)))
				SM_BAD("out of memory");
			s->pages =
			    s->pages + (uint32_t)a < s->pages ? UINT32_MAX : s->pages + (uint32_t)a;
			if ((uint32_t)b > s->stamp)
				s->stamp = (uint32_t)b;
			want = lines;
		} else {
			SM_BAD("expected \"site NAME PAGES STAMP LINES\"");
		}
	}
	if (ferror(f))
		SM_BAD(strerror(errno));
	if (ln == 0)
		return 0; /* an empty file is an empty memory */
	if (want)
		SM_BAD("file ends inside a site's lines (truncated?)");
#undef SM_BAD
	return 0;
}

int wn_sitemem_load(wn_sitemem *m, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = load_file(m, f, path, err, errlen);
	fclose(f);
	return rc;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(wn_sitemem_site *const *)a)->name, (*(wn_sitemem_site *const *)b)->name);
}

/* Writes one site, its lines most frequent first (a canonical order:
 * equal memories give equal files). */
static int write_site(FILE *f, const wn_sitemem_site *s)
{
	sm_line *v = malloc((s->n ? s->n : 1) * sizeof *v);
	size_t n = 0;

	if (!v)
		return -1;
	for (size_t k = 0; k < s->cap; k++)
		if (s->t[k].h)
			v[n++] = s->t[k];
	qsort(v, n, sizeof *v, cmp_line);
	fprintf(f, "site %s %lu %lu %zu\n", s->name, (unsigned long)s->pages,
	        (unsigned long)s->stamp, n);
	for (size_t k = 0; k < n; k++)
		fprintf(f, "%016llx %lu\n", (unsigned long long)v[k].h, (unsigned long)v[k].pages);
	free(v);
	return 0;
}

int wn_sitemem_save(const wn_sitemem *m, const char *path, char *err, size_t errlen)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	wn_sitemem_site **sites = malloc((m->n ? m->n : 1) * sizeof *sites);
	FILE *f = NULL;
	int bad = 0;

	if (!tmp || !sites) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	snprintf(tmp, n, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (m->n)
		memcpy(sites, m->v, m->n * sizeof *sites);
	qsort(sites, m->n, sizeof *sites, cmp_name);
	fprintf(f, "%s\nrun %lu\n", SM_MAGIC, (unsigned long)m->run);
	for (size_t i = 0; i < m->n && !bad; i++)
		bad = write_site(f, sites[i]);
	bad |= ferror(f) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path)) {
		snprintf(err, errlen, "%s: %s", bad ? tmp : path, strerror(errno));
		remove(tmp);
		goto fail;
	}
	free(sites);
	free(tmp);
	return 0;
fail:
	free(sites);
	free(tmp);
	return -1;
}

int wn_sitemem_site_of(const char *url, char *out, size_t cap)
{
	const char *p = url ? strstr(url, "://") : NULL;
	size_t n = 0;

	if (!p || !cap)
		return -1;
	p += 3;
	const char *at = p + strcspn(p, "/?#");
	const char *u = memchr(p, '@', (size_t)(at - p)); /* user:pass@ */
	if (u)
		p = u + 1;
	if (!strncmp(p, "www.", 4) || !strncmp(p, "WWW.", 4))
		p += 4;
	while (p[n] && !strchr(":/?#", p[n])) {
		if (n + 1 >= cap || (unsigned char)p[n] <= ' ')
			return -1;
		char c = p[n];
		out[n] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		n++;
	}
	out[n] = '\0';
	return n ? 0 : -1;
}

/* --- the process-wide shared form ----------------------------------- */

struct wn_sitemem_shared {
	char *path;
	int refs;
	wn_sitemem *snap; /* read-only during the run */
	wn_sitemem *run;  /* the run's counts (locked) */
	struct wn_sitemem_shared *next;
};

static pthread_mutex_t shared_mu = PTHREAD_MUTEX_INITIALIZER;
static wn_sitemem_shared *shared_list; /* guarded by shared_mu */

wn_sitemem_shared *wn_sitemem_shared_open(const char *path, size_t max_sites, size_t max_lines,
                                          char *err, size_t errlen)
{
	wn_sitemem_shared *s;

	pthread_mutex_lock(&shared_mu);
	for (s = shared_list; s; s = s->next)
		if (!strcmp(s->path, path)) {
			s->refs++;
			pthread_mutex_unlock(&shared_mu);
			return s;
		}
	s = calloc(1, sizeof *s);
	if (s) {
		s->path = strdup(path);
		s->snap = wn_sitemem_new(max_sites, max_lines);
		s->run = wn_sitemem_new(max_sites, max_lines);
	}
	if (!s || !s->path || !s->snap || !s->run) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	/* The run's counts stay bounded: a site past 16x its line bound
	 * keeps a hash range that halves, independent of order. */
	s->run->sample_cap = 16 * s->run->max_lines;
	if (wn_sitemem_load(s->snap, path, err, errlen))
		goto fail;
	s->refs = 1;
	s->next = shared_list;
	shared_list = s;
	pthread_mutex_unlock(&shared_mu);
	return s;
fail:
	if (s) {
		free(s->path);
		wn_sitemem_free(s->snap);
		wn_sitemem_free(s->run);
		free(s);
	}
	pthread_mutex_unlock(&shared_mu);
	return NULL;
}

const wn_sitemem *wn_sitemem_shared_snapshot(const wn_sitemem_shared *s)
{
	return s->snap;
}

int wn_sitemem_shared_add(wn_sitemem_shared *s, const wn_sitemem *batch)
{
	int rc;

	pthread_mutex_lock(&shared_mu);
	rc = wn_sitemem_merge(s->run, batch);
	pthread_mutex_unlock(&shared_mu);
	return rc;
}

int wn_sitemem_shared_close(wn_sitemem_shared *s, char *err, size_t errlen)
{
	int rc = 0;

	pthread_mutex_lock(&shared_mu);
	if (--s->refs > 0) {
		pthread_mutex_unlock(&shared_mu);
		return 0;
	}
	for (wn_sitemem_shared **p = &shared_list; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	pthread_mutex_unlock(&shared_mu);
	if (wn_sitemem_merge(s->snap, s->run)) {
		snprintf(err, errlen, "%s: out of memory merging the run's counts", s->path);
		rc = -1;
	} else {
		wn_sitemem_end_run(s->snap);
		rc = wn_sitemem_save(s->snap, s->path, err, errlen);
	}
	free(s->path);
	wn_sitemem_free(s->snap);
	wn_sitemem_free(s->run);
	free(s);
	return rc;
}

/*
 * The HTTP service: see http.h.
 *
 * Threads: callers (worker threads, sources) build jobs in their own
 * memory, queue each on its lane under the lane's `mu`, and wait on the
 * service's `done_cv`. A lane's thread alone touches its libcurl handles:
 * it starts queued jobs when the limits let it, drives its multi handle,
 * and finishes or re-queues each transfer. A job that must wait (host
 * busy, delay, backoff, robots.txt pending) simply stays queued; the
 * thread sleeps in epoll_wait until a socket is ready, curl's timer fires,
 * a caller queues more (an eventfd), or the earliest waiting job is due.
 * Lock order: a lane's mu, then done_mu or pend_mu; never two lanes.
 *
 * Redirects are followed here, not by libcurl: each hop is a new transfer
 * queued on the lane of its own host, so that host's robots.txt, delay,
 * per-host limit, block_private and the scheme rules apply to it as to
 * any URL (curl's FOLLOWLOCATION would fetch it under the first host's
 * limits without reading its robots.txt).
 *
 * An interrupted run (SIGINT/SIGTERM, see wn_http_interrupt) ends every
 * waiting and running transfer within one wake-up (at most WAKE_MS), so a
 * long Retry-After or a slow body cannot hold the run.
 */
#include "http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hash.h"
#include "robots.h"
#include "run.h"
#include "util.h"

#define HOST_BUCKETS 1024
#define MAX_HOSTS 65536          /* hosts remembered; idle ones are forgotten past it */
#define MAX_PENDING (1 << 20)    /* validators kept for one commit */
#define MAX_CRAWL_DELAY_MS 60000 /* a robots.txt asking more is capped */
#define WAKE_MS 200              /* longest sleep of a lane: how soon it sees an interrupt */
#define MAX_PROXY_ADDRS 16       /* proxy addresses exempt from block_private */

/* ---- the service's data ------------------------------------------------- */

typedef struct http_host {
	struct http_host *next; /* hash chain */
	char *key;              /* "https://example.org:443" */
	int active;             /* transfers running */
	int refs;               /* jobs bound to it (queued or running) */
	int64_t next_start;     /* monotonic ms before which none may start */
	int64_t delay_ms;       /* max(http.delay, Crawl-delay) */
	int robots_state;       /* 0 unknown, 1 being fetched, 2 known */
	wn_robots *robots;
	/* Why robots.txt could not be had (network, 5xx, refused): pages of
	 * the host then fail with this code and reason, honestly, instead of
	 * passing for a robots.txt that disallows them. */
	int deny_rc;
	char deny_code[32], deny_reason[256];
} http_host;

/* One caller's http_fetch: how many of its jobs are still out. */
typedef struct http_call {
	size_t remaining;
} http_call;

typedef struct http_job {
	struct http_job *prev, *next; /* the queue */
	http_call *call;              /* NULL for a robots.txt job */
	const char *url;              /* as asked: validators and the record are keyed by it */
	char *own_url;                /* robots.txt jobs own their URL */
	char *cur_url;                /* the redirect hop being fetched; NULL: url itself */
	char *next_url;               /* a 3xx's Location, resolved, until the hop is queued */
	char **chain;                 /* earlier hops (not url), for loop detection */
	int hops;
	char *host_key, *path; /* of the current hop; path includes the query */
	char *host_name;       /* of the current hop, for the block_private check via a proxy */
	unsigned flags;
	wn_http_resp *resp;
	wn_http_resp robots_resp; /* resp of a robots.txt job */
	http_host *host;
	struct http_lane *svc; /* the lane running it */
	int64_t not_before;    /* backoff: monotonic ms */
	CURL *easy;
	struct curl_slist *hdrs;
	wn_buf body;
	int too_large, bad_type, blocked, type_checked;
	char errbuf[CURL_ERROR_SIZE];
} http_job;

/*
 * One lane: a service thread with its own multi handle, queue, hosts and
 * share of the total concurrency. A host belongs to one lane whenever
 * per-host politeness applies (per_host or delay), so its limits and its
 * connections live in one place; with politeness off, jobs are spread
 * over the lanes. The lane keeps a shallow copy of the options.
 */
typedef struct http_lane {
	wn_http_opts o; /* borrowed strings; o.concurrency is this lane's share */
	wn_state *state;
	struct wn_run *run;
	struct wn_http *svc;
	pthread_mutex_t mu;
	int started, quit;
	pthread_t thread;
	CURLM *multi;
	int epfd, evfd;        /* sockets curl watches, and callers' wake-ups */
	int64_t timer_at;      /* when curl wants a timeout action; -1 none */
	http_job *head, *tail; /* queued, not running */
	int64_t active;        /* transfers running */
	http_host *hosts[HOST_BUCKETS];
	size_t n_hosts;
	unsigned seed;
	http_job *running; /* transfers in the multi handle (lane thread only) */
	int robots_added;  /* schedule(): a robots.txt job was queued */
	CURL **idle;       /* easy handles to reuse (lane thread only) */
	size_t n_idle;
} http_lane;

struct wn_http {
	wn_http_opts o;
	http_lane *lanes;
	int n_lanes;
	atomic_uint next_lane;   /* round robin when politeness is off */
	pthread_mutex_t done_mu; /* callers wait for their jobs under it */
	pthread_cond_t done_cv;
	pthread_mutex_t pend_mu; /* guards the validators below */
	wn_validator *pend;      /* validators to store at commit */
	size_t n_pend, cap_pend;
	size_t pend_dropped; /* validators not kept: over MAX_PENDING */
	/* block_private through a proxy: the proxy's own addresses are not
	 * refused, and every target name is resolved and checked here. */
	int proxied;
	struct sockaddr_storage proxy_addrs[MAX_PROXY_ADDRS];
	size_t n_proxy_addrs;
};

static void hlog(http_lane *h, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void hlog(http_lane *h, int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (h->run)
		wn_run_log(h->run, "http", level, "%s", msg);
	else if (level <= WN_LOG_WARN)
		wn_say("[http] %s", msg);
}

static void queue_push(http_lane *h, http_job *j, int front)
{
	j->prev = j->next = NULL;
	if (!h->head) {
		h->head = h->tail = j;
	} else if (front) {
		j->next = h->head;
		h->head->prev = j;
		h->head = j;
	} else {
		j->prev = h->tail;
		h->tail->next = j;
		h->tail = j;
	}
}

/* The running list shares the queue's links: a job is in one or the other. */
static void running_add(http_lane *h, http_job *j)
{
	j->prev = NULL;
	j->next = h->running;
	if (h->running)
		h->running->prev = j;
	h->running = j;
}

static void running_remove(http_lane *h, http_job *j)
{
	if (j->prev)
		j->prev->next = j->next;
	else
		h->running = j->next;
	if (j->next)
		j->next->prev = j->prev;
	j->prev = j->next = NULL;
}

static void queue_remove(http_lane *h, http_job *j)
{
	if (j->prev)
		j->prev->next = j->next;
	else
		h->head = j->next;
	if (j->next)
		j->next->prev = j->prev;
	else
		h->tail = j->prev;
	j->prev = j->next = NULL;
}

/* Forgets every host no job is bound to (its robots.txt, its delay), so
 * that a crawl over very many hosts keeps a bounded table. */
static void hosts_evict(http_lane *h)
{
	for (size_t b = 0; b < HOST_BUCKETS; b++) {
		http_host **link = &h->hosts[b];
		while (*link) {
			http_host *it = *link;
			if (it->refs || it->active) {
				link = &it->next;
				continue;
			}
			*link = it->next;
			wn_robots_free(it->robots);
			free(it->key);
			free(it);
			h->n_hosts--;
		}
	}
}

/* The host of key, created when new; the caller binds a job (refs++). */
static http_host *host_get(http_lane *h, const char *key)
{
	uint64_t x = wn_fnv1a64_str(key);
	http_host **b = &h->hosts[x % HOST_BUCKETS];
	for (http_host *it = *b; it; it = it->next)
		if (!strcmp(it->key, key))
			return it;
	if (h->n_hosts >= MAX_HOSTS) {
		hosts_evict(h);
		b = &h->hosts[x % HOST_BUCKETS];
	}
	http_host *n = wn_xcalloc(1, sizeof(*n));
	h->n_hosts++;
	n->key = wn_xstrdup(key);
	n->delay_ms = h->o.delay_ms;
	n->next = *b;
	*b = n;
	return n;
}

/* ---- URLs and addresses ---------------------------------------------------- */

/* The URL of the transfer to make now: the redirect hop, or the URL asked. */
static const char *job_url(const http_job *j)
{
	return j->cur_url ? j->cur_url : j->url;
}

/* Splits the job's current URL into "scheme://host:port" and
 * "/path?query" (into host_key, path, host_name). allow_file is 0 for a
 * redirect target: a page never sends the crawler to a local file.
 * Returns 0, or -1 with a reason in j->resp for a URL the service will
 * not fetch. */
static int job_parse_url(http_job *j, int allow_file)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL;
	const char *url = job_url(j);
	int rc = -1;
	if (!u || curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME)) {
		snprintf(j->resp->reason, sizeof(j->resp->reason), "not a valid URL: %.200s", url);
		goto out;
	}
	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	int web = scheme && (!strcasecmp(scheme, "http") || !strcasecmp(scheme, "https"));
	int file = scheme && !strcasecmp(scheme, "file");
	if (!web && !(file && allow_file)) {
		snprintf(j->resp->reason, sizeof(j->resp->reason),
		         "scheme %s is not allowed (http, https%s)%s%.160s",
		         scheme ? scheme : "(none)",
		         file && !j->cur_url ? "; file:// needs http.allow_file" : "",
		         j->cur_url ? " in a redirect to " : "", j->cur_url ? url : "");
		goto out;
	}
	if (file) {
		j->host_key = wn_xstrdup("file://");
		j->path = wn_xstrdup("/");
		rc = 0;
		goto out;
	}
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	if (!host || !*host) {
		snprintf(j->resp->reason, sizeof(j->resp->reason), "no host in URL: %.200s", url);
		goto out;
	}
	for (char *c = scheme; *c; c++)
		*c = (char)(*c | 0x20);
	for (char *c = host; *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c | 0x20 : *c);
	j->host_key = wn_xasprintf("%s://%s:%s", scheme, host, port ? port : "");
	size_t hl = strlen(host); /* an IPv6 literal comes in brackets */
	j->host_name = host[0] == '[' && hl > 1 ? wn_xasprintf("%.*s", (int)hl - 2, host + 1)
	                                        : wn_xstrdup(host);
	j->path = wn_xasprintf("%s%s%s", path && *path ? path : "/", query ? "?" : "",
	                       query ? query : "");
	rc = 0;
out:
	if (rc) {
		j->resp->rc = WN_ERROR;
		snprintf(j->resp->code, sizeof(j->resp->code), "bad_url");
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	return rc;
}

static int v4_private(uint32_t a)
{
	return (a >> 24) == 10 || (a >> 24) == 127 || (a >> 24) == 0 ||
	       (a >> 20) == (172u << 4 | 1) || (a >> 16) == (192u << 8 | 168) ||
	       (a >> 16) == (169u << 8 | 254) || (a >> 22) == (100u << 2 | 1) || (a >> 28) >= 14;
}

/* True for loopback, private, link-local, unspecified, CGNAT, multicast. */
static int address_private(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return v4_private(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		const unsigned char *b = in6->sin6_addr.s6_addr;
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
			return v4_private((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 |
			                  (uint32_t)b[14] << 8 | b[15]);
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
		       IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr) || (b[0] & 0xfe) == 0xfc ||
		       (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || b[0] == 0xff;
	}
	return 1; /* unknown families are refused */
}

/* Same address (family and bytes; ports ignored)? */
static int address_same(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return 0;
	if (a->sa_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)(const void *)a)->sin_addr,
		               &((const struct sockaddr_in *)(const void *)b)->sin_addr,
		               sizeof(struct in_addr));
	if (a->sa_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)(const void *)a)->sin6_addr,
		               &((const struct sockaddr_in6 *)(const void *)b)->sin6_addr,
		               sizeof(struct in6_addr));
	return 0;
}

/* Is the address curl connects to refused? Through a proxy, the proxy's
 * own address (the operator's choice) is not: the target is checked by
 * name instead (target_refused). */
static int connection_refused(const wn_http *s, const struct sockaddr *sa)
{
	for (size_t i = 0; i < s->n_proxy_addrs; i++)
		if (address_same(sa, (const struct sockaddr *)(const void *)&s->proxy_addrs[i]))
			return 0;
	return address_private(sa);
}

/* Through a proxy, curl never sees the target's address (the proxy
 * resolves it), so the name is resolved here and refused when any of its
 * addresses is private, or when it does not resolve here at all (it
 * cannot be checked). Sets j->blocked; 1 when refused. This blocks the
 * lane's thread for the lookup, a cost only this mode pays. */
static int target_refused(http_job *j)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
	if (getaddrinfo(j->host_name, NULL, &hints, &res) || !res) {
		j->blocked = 2;
		return 1;
	}
	for (struct addrinfo *a = res; a; a = a->ai_next)
		if (address_private(a->ai_addr))
			j->blocked = 1;
	freeaddrinfo(res);
	return j->blocked != 0;
}

/* The host part of url (curl_free it), NULL when it has none. */
static char *url_host(const char *url)
{
	char *host = NULL;
	CURLU *u = curl_url();
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK)
		curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_cleanup(u);
	return host;
}

/* Is this hop of j exempt from http.block_private? A trusted job's own
 * host is; a robots.txt that curl follows to another host is not (its
 * trust was for the host that the operator's page named). */
static int hop_trusted(http_job *j)
{
	if (!(j->flags & WN_HTTP_TRUSTED))
		return 0;
	if (!j->own_url || !j->easy)
		return 1;
	char *eff = NULL;
	if (curl_easy_getinfo(j->easy, CURLINFO_EFFECTIVE_URL, &eff) != CURLE_OK || !eff)
		return 0;
	char *a = url_host(eff), *b = url_host(j->own_url);
	int same = a && b && strcasecmp(a, b) == 0;
	curl_free(a);
	curl_free(b);
	return same;
}

/* CURLOPT_OPENSOCKETFUNCTION: the check happens on the address curl is
 * about to connect to, after DNS, so a name that resolves to 127.0.0.1
 * (DNS rebinding) is caught as well as a literal address. */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
	http_job *j = clientp;
	if (purpose == CURLSOCKTYPE_IPCXN && !hop_trusted(j) &&
	    connection_refused(j->svc->svc, &a->addr)) {
		j->blocked = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* CURLOPT_PREREQFUNCTION: runs before each request is sent, on a new or a
 * reused connection (which never passes through open_socket). */
static int pre_request(void *clientp, char *ip, char *local_ip, int port, int local_port)
{
	http_job *j = clientp;
	if (hop_trusted(j))
		return CURL_PREREQFUNC_OK;
	struct sockaddr_in in = {.sin_family = AF_INET};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
	const struct sockaddr *sa = NULL;
	if (inet_pton(AF_INET, ip, &in.sin_addr) == 1)
		sa = (const struct sockaddr *)(const void *)&in;
	else if (inet_pton(AF_INET6, ip, &in6.sin6_addr) == 1)
		sa = (const struct sockaddr *)(const void *)&in6;
	if (!sa || connection_refused(j->svc->svc, sa)) {
		j->blocked = 1;
		return CURL_PREREQFUNC_ABORT;
	}
	if (j->svc->svc->proxied && target_refused(j))
		return CURL_PREREQFUNC_ABORT;
	return CURL_PREREQFUNC_OK;
}

/* ---- one transfer ---------------------------------------------------------- */

/* Does content type ct (may carry parameters) match one of the list? */
static int type_accepted(char **accept, const char *ct)
{
	size_t n = strcspn(ct, "; \t");
	for (char **a = accept; a && *a; a++) {
		size_t k = strlen(*a);
		if (k >= 2 && (*a)[k - 1] == '*' && (*a)[k - 2] == '/') {
			if (n >= k - 1 && !strncasecmp(ct, *a, k - 1))
				return 1;
		} else if (k == n && !strncasecmp(ct, *a, n)) {
			return 1;
		}
	}
	return 0;
}

/* Checks the content type once the final response's headers are in. */
static wn_err check_type(http_lane *h, http_job *j)
{
	j->type_checked = 1;
	char *ct = NULL;
	if (j->flags & WN_HTTP_ANY_TYPE)
		return WN_E_OK;
	curl_easy_getinfo(j->easy, CURLINFO_CONTENT_TYPE, &ct);
	if (ct && !type_accepted(h->o.accept, ct)) {
		j->bad_type = 1;
		return WN_E_FAIL;
	}
	return WN_E_OK;
}

/* CURLOPT_WRITEFUNCTION: keeps the body of a 2xx answer, up to max_body,
 * and cuts the transfer short when its type is not wanted. */
static size_t on_write(char *data, size_t size, size_t nmemb, void *arg)
{
	http_job *j = arg;
	size_t n = size * nmemb;
	long status = 0;
	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status != 0 && (status < 200 || status >= 300))
		return n; /* error pages are not kept (file:// has no status) */
	if (!j->type_checked && check_type(j->svc, j))
		return 0;
	if (j->body.limit && j->body.len + n > j->body.limit) {
		j->too_large = 1;
		return 0; /* aborts the transfer */
	}
	if (!j->body.cap) { /* one allocation for most pages instead of doubling up */
		curl_off_t cl = -1;
		curl_easy_getinfo(j->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
		size_t want = cl > 0 && (size_t)cl < j->body.limit ? (size_t)cl + 1 : 16384;
		if (want > j->body.limit + 1)
			want = j->body.limit + 1;
		j->body.p = wn_xmalloc(want);
		j->body.cap = want;
	}
	return wn_buf_add(&j->body, data, n) ? 0 : n;
}

/* Adds the conditional headers for a URL the state store knows. */
static void add_validators(http_lane *h, http_job *j)
{
	char *etag = NULL, *lm = NULL;
	if (!(j->flags & WN_HTTP_CONDITIONAL) || h->o.unconditional || !h->state ||
	    !wn_state_validators_get(h->state, j->url, &etag, &lm))
		return;
	char *line;
	if (etag) {
		line = wn_xasprintf("If-None-Match: %s", etag);
		j->hdrs = curl_slist_append(j->hdrs, line);
		free(line);
	}
	if (lm) {
		line = wn_xasprintf("If-Modified-Since: %s", lm);
		j->hdrs = curl_slist_append(j->hdrs, line);
		free(line);
	}
	free(etag);
	free(lm);
}

/* A new easy handle with the options every transfer shares; set once,
 * since handles are reused (re-setting strings would copy them each time). */
static CURL *easy_new(http_lane *h)
{
	CURL *e = curl_easy_init();
	if (!e)
		return NULL;
	const wn_http_opts *o = &h->o;
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)o->max_redirects);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
	                 o->allow_file ? "http,https,file" : "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_ms);
	if (o->low_speed_limit > 0 && o->low_speed_time_ms > 0) {
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, (long)o->low_speed_limit);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
		                 (long)((o->low_speed_time_ms + 999) / 1000));
	}
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding curl can decode */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o->verify_tls ? 1L : 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o->verify_tls ? 2L : 0L);
	if (o->block_private) {
		curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
		curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, pre_request);
	}
	return e;
}

/* Points a (reused) easy handle at j: only what differs per transfer. */
static CURL *job_easy(http_lane *h, http_job *j)
{
	CURL *e = h->n_idle ? h->idle[--h->n_idle] : easy_new(h);
	if (!e)
		return NULL;
	j->easy = e;
	curl_easy_setopt(e, CURLOPT_URL, job_url(j));
	/* A page's redirects are followed by the scheduler (see the top);
	 * robots.txt's by curl, within its host's job (RFC 9309 asks for at
	 * least five, and its rules stay those of the host asked). */
	/* Each hop curl follows for a robots.txt passes open_socket and
	 * pre_request, where hop_trusted limits a trusted job's exemption to
	 * its own host. */
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, j->own_url ? 1L : 0L);
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)j);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->body.limit);
	if (h->o.block_private) {
		curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, j);
		curl_easy_setopt(e, CURLOPT_PREREQDATA, j);
	}
	add_validators(h, j);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hdrs); /* NULL clears the last one's */
	return e;
}

/* Starts j now. Called with the lane's mu held, on its thread. */
static wn_err job_start(http_lane *h, http_job *j, int64_t now)
{
	j->too_large = j->bad_type = j->blocked = j->type_checked = 0;
	j->errbuf[0] = '\0';
	wn_buf_reset(&j->body);
	curl_slist_free_all(j->hdrs);
	j->hdrs = NULL;
	if (!job_easy(h, j) || curl_multi_add_handle(h->multi, j->easy) != CURLM_OK)
		return WN_E_FAIL;
	j->resp->attempts++;
	running_add(h, j);
	j->host->active++;
	j->host->next_start = now + j->host->delay_ms;
	h->active++;
	return WN_E_OK;
}

/* ---- outcomes ---------------------------------------------------------------- */

/* Sets a failure on resp: rc, code and printf reason. */
static void fail(wn_http_resp *r, int rc, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(wn_http_resp *r, int rc, const char *code, const char *fmt, ...)
{
	r->rc = rc;
	snprintf(r->code, sizeof(r->code), "%s", code);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

/* Is this curl result a transient network failure worth retrying? */
static int transient_curl(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return 1;
	default:
		return 0;
	}
}

static char *dup_header(CURL *e, const char *name)
{
	struct curl_header *hd = NULL;
	if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &hd) == CURLHE_OK && hd && hd->value)
		return wn_xstrdup(hd->value);
	return NULL;
}

static void keep_validators(wn_http *s, const char *url, const wn_http_resp *r);

/* Fills a successful response, moving the body into it. */
static void fill_ok(http_lane *h, http_job *j)
{
	wn_http_resp *r = j->resp;
	char *s = NULL;
	r->rc = WN_OK;
	r->body = j->body.p ? j->body.p : wn_xstrdup("");
	r->body_len = j->body.len;
	memset(&j->body, 0, sizeof(j->body));
	if (curl_easy_getinfo(j->easy, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK && s)
		r->content_type = wn_xstrdup(s);
	s = NULL;
	if (curl_easy_getinfo(j->easy, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK && s)
		r->final_url = wn_xstrdup(s);
	if (!j->own_url) { /* robots.txt keeps no validators */
		r->etag = dup_header(j->easy, "ETag");
		r->last_modified = dup_header(j->easy, "Last-Modified");
	}
	if ((j->flags & WN_HTTP_CONDITIONAL) && h->state && (r->etag || r->last_modified))
		keep_validators(h->svc, j->url, r);
}

/* Keeps a page's validators for the commit (any lane's thread). */
static void keep_validators(wn_http *s, const char *url, const wn_http_resp *r)
{
	pthread_mutex_lock(&s->pend_mu);
	if (s->n_pend >= MAX_PENDING) {
		s->pend_dropped++; /* costs a full fetch next time, nothing else */
	} else {
		if (s->n_pend == s->cap_pend) {
			s->cap_pend = s->cap_pend ? s->cap_pend * 2 : 64;
			s->pend = wn_xrealloc(s->pend, s->cap_pend * sizeof(*s->pend));
		}
		s->pend[s->n_pend++] =
		    (wn_validator){wn_xstrdup(url), r->etag ? wn_xstrdup(r->etag) : NULL,
		                   r->last_modified ? wn_xstrdup(r->last_modified) : NULL};
	}
	pthread_mutex_unlock(&s->pend_mu);
}

/* " (redirected from URL)" when j is on a redirect hop, else "": the
 * reason then names both the URL refused and the one asked. */
static const char *via(const http_job *j, char *buf, size_t n)
{
	if (!j->cur_url)
		return "";
	snprintf(buf, n, " (redirected from %s)", j->url);
	return buf;
}

/* Takes a 3xx's Location into j->next_url, resolved against the current
 * URL with curl's URL API (a relative Location is common). 0 when there
 * is none or it does not parse: the 3xx then stands as an error. */
static int redirect_target(http_job *j)
{
	struct curl_header *hd = NULL;
	if (curl_easy_header(j->easy, "Location", 0, CURLH_HEADER, -1, &hd) != CURLHE_OK || !hd ||
	    !hd->value || !*hd->value)
		return 0;
	CURLU *u = curl_url();
	char *abs = NULL;
	int ok = u && !curl_url_set(u, CURLUPART_URL, job_url(j), CURLU_NON_SUPPORT_SCHEME) &&
	         !curl_url_set(u, CURLUPART_URL, hd->value,
	                       CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) &&
	         !curl_url_get(u, CURLUPART_URL, &abs, 0);
	if (ok) {
		free(j->next_url);
		j->next_url = wn_xstrdup(abs);
	}
	curl_free(abs);
	curl_url_cleanup(u);
	return ok;
}

/* Outcomes of a finished transfer besides retry/final. */
enum { OUT_FINAL = 0, OUT_TRANSIENT = 1, OUT_REDIRECT = 2 };

/* Sets resp's outcome for a finished transfer; returns OUT_TRANSIENT when
 * the failure is worth a retry, OUT_REDIRECT for a 3xx with a Location
 * (in j->next_url, resolved against the current URL). */
static int outcome(http_lane *h, http_job *j, CURLcode res, long status)
{
	wn_http_resp *r = j->resp;
	const char *why = j->errbuf[0] ? j->errbuf : curl_easy_strerror(res);
	char from[192];
	if (j->blocked == 2) {
		fail(r, WN_DROP, "blocked",
		     "refused: %s cannot be checked, its host does not resolve here "
		     "(http.block_private through a proxy)%s",
		     job_url(j), via(j, from, sizeof(from)));
	} else if (j->blocked) {
		/* A robots.txt that curl followed names the hop it was refused at. */
		char *eff = NULL;
		if (!j->own_url || !j->easy ||
		    curl_easy_getinfo(j->easy, CURLINFO_EFFECTIVE_URL, &eff) != CURLE_OK)
			eff = NULL;
		fail(r, WN_DROP, "blocked",
		     "refused: %s resolves to a private, loopback or link-local address "
		     "(http.block_private)%s",
		     eff ? eff : job_url(j), via(j, from, sizeof(from)));
	} else if (j->too_large || res == CURLE_FILESIZE_EXCEEDED) {
		fail(r, WN_DROP, "too_large", "body larger than http.max_body (%lld bytes)",
		     (long long)h->o.max_body);
	} else if (j->bad_type ||
	           (res == CURLE_OK && status / 100 == 2 && !j->type_checked && check_type(h, j))) {
		fail(r, WN_DROP, "content_type", "content type not in http.accept");
	} else if (res == CURLE_TOO_MANY_REDIRECTS) {
		fail(r, WN_ERROR, "too_many_redirects", "more than %lld redirects",
		     (long long)h->o.max_redirects);
	} else if (res == CURLE_OPERATION_TIMEDOUT) {
		fail(r, WN_ERROR, "timeout", "%s", why);
		return 1;
	} else if (res != CURLE_OK) {
		fail(r, WN_ERROR, res == CURLE_COULDNT_RESOLVE_HOST ? "dns" : "network", "%s", why);
		return transient_curl(res);
	} else if (status == 304) {
		fail(r, WN_DROP, "not_modified", "not modified since the last run");
	} else if (status / 100 == 3 && !j->own_url && redirect_target(j)) {
		return OUT_REDIRECT;
	} else if (status != 0 && status / 100 != 2) { /* file:// has no status */
		char code[16];
		snprintf(code, sizeof(code), "http_%ld", status);
		fail(r, WN_ERROR, code, "HTTP %ld from %s%s", status, job_url(j),
		     via(j, from, sizeof(from)));
		return status == 429 || status / 100 == 5;
	} else {
		fill_ok(h, j);
	}
	return 0;
}

/* The wait before retry number `attempts`: exponential backoff with
 * jitter in [0.5, 1), or what Retry-After says on a 429/503 (which then
 * holds back the whole host). -1 when Retry-After asks for more than
 * max_backoff: the outcome stands. */
static int64_t retry_delay(http_lane *h, http_job *j, long status)
{
	wn_http_resp *r = j->resp;
	int64_t ms = h->o.backoff_ms;
	for (int i = 1; i < r->attempts && ms < h->o.max_backoff_ms; i++)
		ms *= 2;
	if (ms > h->o.max_backoff_ms)
		ms = h->o.max_backoff_ms;
	ms = ms / 2 + (int64_t)(rand_r(&h->seed) % (unsigned)(ms / 2 + 1));
	curl_off_t after = 0;
	if ((status == 429 || status == 503) &&
	    curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &after) == CURLE_OK && after > 0) {
		if (after * 1000 > h->o.max_backoff_ms) {
			size_t n = strlen(r->reason);
			snprintf(r->reason + n, sizeof(r->reason) - n,
			         "; Retry-After %llds is over http.max_backoff", (long long)after);
			return -1;
		}
		ms = after * 1000;
		j->host->next_start = wn_now_ms() + ms;
	}
	return ms;
}

/*
 * Classifies a finished transfer into resp. Returns the delay in ms
 * before a retry when the failure is transient and attempts remain, -1
 * when the outcome is final, -2 for a redirect to follow (j->next_url).
 */
static int64_t classify(http_lane *h, http_job *j, CURLcode res)
{
	long status = 0;
	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	j->resp->status = (int)status;
	int out = outcome(h, j, res, status);
	if (out == OUT_REDIRECT)
		return -2;
	if (out == OUT_FINAL || j->resp->attempts > h->o.retries)
		return -1;
	return retry_delay(h, j, status);
}

/* ---- completion ----------------------------------------------------------- */

static void job_free_parts(http_job *j)
{
	curl_slist_free_all(j->hdrs);
	wn_buf_free(&j->body);
	free(j->host_key);
	free(j->path);
	free(j->host_name);
	free(j->own_url);
	free(j->cur_url);
	free(j->next_url);
	for (int i = 0; j->chain && i + 1 < j->hops; i++)
		free(j->chain[i]);
	free(j->chain);
	j->hdrs = NULL;
	j->host_key = j->path = j->host_name = j->own_url = j->cur_url = j->next_url = NULL;
	j->chain = NULL;
}

/* A robots.txt job ended: its host's rules are known from now on. RFC
 * 9309: 4xx means no rules; an unreachable file (5xx, network) means
 * nothing may be fetched. */
static void robots_done(http_lane *h, http_job *j)
{
	wn_http_resp *r = j->resp;
	http_host *host = j->host;
	if (r->rc == WN_OK)
		host->robots = wn_robots_parse(r->body, r->body_len, h->o.user_agent);
	else
		host->robots = wn_robots_all(r->status >= 400 && r->status < 500);
	int64_t cd = wn_robots_crawl_delay_ms(host->robots);
	if (cd > MAX_CRAWL_DELAY_MS)
		cd = MAX_CRAWL_DELAY_MS;
	if (cd > host->delay_ms)
		host->delay_ms = cd;
	host->robots_state = 2;
	host->refs--;
	if (r->rc != WN_OK && !(r->status >= 400 && r->status < 500)) {
		/* Refused by http.block_private: the pages are refused the same
		 * way; unreachable (network, 5xx): a failure of the source, left
		 * for a later run, never a drop by a rule. */
		int refused = strcmp(r->code, "blocked") == 0;
		host->deny_rc = refused ? WN_DROP : WN_ERROR;
		snprintf(host->deny_code, sizeof(host->deny_code), "%s",
		         refused ? "blocked" : "unreachable");
		if (refused)
			snprintf(host->deny_reason, sizeof(host->deny_reason), "%s", r->reason);
		else
			snprintf(host->deny_reason, sizeof(host->deny_reason),
			         "%.120s unreachable: %.120s", host->key, r->reason);
		if (!refused)
			hlog(h, WN_LOG_WARN, "%s/robots.txt unreachable (%s): its pages fail",
			     host->key, r->reason);
	}
	wn_http_release(r);
	job_free_parts(j);
	free(j);
}

/* A caller's job reached its outcome: wakes the caller when it was the
 * last of its call. Called with mu held. */
static void job_done(http_lane *h, http_job *j)
{
	if (j->own_url) {
		robots_done(h, j);
		return;
	}
	wn_iso_utc((int64_t)time(NULL), j->resp->fetched_at);
	if (j->host)
		j->host->refs--;
	job_free_parts(j);
	pthread_mutex_lock(&h->svc->done_mu);
	if (--j->call->remaining == 0)
		pthread_cond_broadcast(&h->svc->done_cv);
	pthread_mutex_unlock(&h->svc->done_mu);
}

static wn_err ensure_started(http_lane *h);
static int pick_lane(wn_http *s, const http_job *j);
static void wake(http_lane *h);

/* Takes a finished transfer's easy handle back for reuse. Called with mu
 * held, after curl_multi_remove_handle. */
static void job_unrun(http_lane *h, http_job *j)
{
	h->idle = wn_xrealloc(h->idle, (h->n_idle + 1) * sizeof(*h->idle));
	h->idle[h->n_idle++] = j->easy;
	j->easy = NULL;
	j->host->active--;
	h->active--;
}

/* Binds j to its host on lane t and queues it (at the front: it is work
 * already under way). Called with t's mu held. */
static void lane_bind(http_lane *t, http_job *j, int front)
{
	j->svc = t;
	j->host = host_get(t, j->host_key);
	j->host->refs++;
	queue_push(t, j, front);
}

/*
 * j got a 3xx with a Location (j->next_url): ends it when the hops are
 * used up, the chain loops, or the target is not a URL the service
 * fetches; else points it at the target as a fresh job. Trust (no
 * block_private) is the config author's word for one host, so it does
 * not follow a redirect to another. Returns the lane the job must be
 * queued on when that is not h (the caller does it without h's mu, lanes
 * never being locked together), else NULL. Called with h's mu held.
 */
static http_lane *redirect_hop(http_lane *h, http_job *j)
{
	wn_http_resp *r = j->resp;
	char *next = j->next_url;
	j->next_url = NULL;
	int loop = !strcmp(next, j->url) || (j->cur_url && !strcmp(next, j->cur_url));
	for (int i = 0; i + 1 < j->hops && !loop; i++)
		loop = !strcmp(next, j->chain[i]);
	if (loop || j->hops >= h->o.max_redirects) {
		if (loop)
			fail(r, WN_ERROR, "too_many_redirects",
			     "redirect loop: %s leads back to %s", job_url(j), next);
		else
			fail(r, WN_ERROR, "too_many_redirects",
			     "more than %lld redirects (the next to %s)",
			     (long long)h->o.max_redirects, next);
		free(next);
		job_done(h, j);
		return NULL;
	}
	if (j->cur_url) { /* chain[i] is hop i+1's URL */
		j->chain = wn_xrealloc(j->chain, (size_t)j->hops * sizeof(*j->chain));
		j->chain[j->hops - 1] = j->cur_url;
	}
	j->cur_url = next;
	j->hops++;
	char *from_host = j->host_name;
	j->host_name = NULL;
	free(j->host_key);
	free(j->path);
	j->host_key = j->path = NULL;
	j->host->refs--;
	j->host = NULL;
	/* A fresh job: its own attempts and retries, no backoff inherited. */
	r->rc = WN_OK;
	r->attempts = 0;
	r->code[0] = r->reason[0] = '\0';
	j->not_before = 0;
	if (job_parse_url(j, 0)) {
		free(from_host);
		job_done(h, j);
		return NULL;
	}
	if (!from_host || strcmp(from_host, j->host_name))
		j->flags &= ~(unsigned)WN_HTTP_TRUSTED;
	free(from_host);
	wn_http *s = h->svc;
	http_lane *to = h;
	if (s->n_lanes > 1 && (s->o.per_host > 0 || s->o.delay_ms > 0))
		to = &s->lanes[pick_lane(s, j)];
	if (to != h)
		return to;
	lane_bind(h, j, 1);
	return NULL;
}

/* Queues a redirected job on another lane. Called without any lane's mu. */
static void lane_take(http_lane *t, http_job *j)
{
	pthread_mutex_lock(&t->mu);
	if (ensure_started(t)) {
		fail(j->resp, WN_ERROR, "network", "cannot start the HTTP service");
		job_done(t, j);
	} else {
		lane_bind(t, j, 1);
		wake(t);
	}
	pthread_mutex_unlock(&t->mu);
}

/* Handles every transfer curl says is finished; returns how many. */
static int reap(http_lane *h)
{
	CURLMsg *m;
	int left, done = 0;
	while ((m = curl_multi_info_read(h->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		done++;
		http_job *j = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
		CURLcode res = m->data.result;
		curl_multi_remove_handle(h->multi, j->easy);
		pthread_mutex_lock(&h->mu);
		running_remove(h, j);
		int64_t retry_in = classify(h, j, res);
		job_unrun(h, j);
		if (retry_in == -2) {
			http_lane *to = redirect_hop(h, j);
			if (to) {
				pthread_mutex_unlock(&h->mu);
				lane_take(to, j);
				pthread_mutex_lock(&h->mu);
			}
		} else if (retry_in >= 0) {
			hlog(h, WN_LOG_DEBUG, "retry %d of %s in %lld ms: %s", j->resp->attempts,
			     j->url, (long long)retry_in, j->resp->reason);
			j->resp->rc = WN_OK;
			j->not_before = wn_now_ms() + retry_in;
			queue_push(h, j, 0);
		} else {
			job_done(h, j);
		}
		pthread_mutex_unlock(&h->mu);
	}
	return done;
}

/* ---- scheduling ------------------------------------------------------------- */

/* Queues a robots.txt fetch for host at the front of the queue. It is
 * trusted (exempt from http.block_private) only when the page that needs
 * it is, as for an address the operator configured; else every hop of it
 * is checked like a page's. */
static void robots_queue(http_lane *h, http_host *host, unsigned trusted)
{
	http_job *r = wn_xcalloc(1, sizeof(*r));
	r->own_url = wn_xasprintf("%s/robots.txt", host->key);
	r->url = r->own_url;
	r->flags = WN_HTTP_ANY_TYPE | (trusted & WN_HTTP_TRUSTED);
	r->resp = &r->robots_resp;
	r->host = host;
	host->refs++;
	r->svc = h;
	r->body.limit = WN_ROBOTS_MAX_BYTES;
	host->robots_state = 1;
	queue_push(h, r, 1);
	h->robots_added = 1;
}

/* Whether a queued job may start now. */
typedef enum job_when {
	JOB_FINISHED = -1, /* finished here: robots.txt said no, its resp says why */
	JOB_WAIT = 0,      /* not yet (*wait_ms lowered when a time is known) */
	JOB_START = 1,     /* start it now */
} job_when;

static job_when job_ready(http_lane *h, http_job *j, int64_t now, int64_t *wait_ms)
{
	http_host *host = j->host;
	if (j->not_before > now) {
		if (j->not_before - now < *wait_ms)
			*wait_ms = j->not_before - now;
		return JOB_WAIT;
	}
	int web = strcmp(host->key, "file://") != 0;
	if (h->o.respect_robots && web && !j->own_url) {
		if (host->robots_state == 0)
			robots_queue(h, host, j->flags);
		if (host->robots_state != 2)
			return JOB_WAIT;
		if (host->deny_rc != WN_OK) {
			char from[192];
			fail(j->resp, host->deny_rc, host->deny_code, "%s%s", host->deny_reason,
			     via(j, from, sizeof(from)));
			return JOB_FINISHED;
		}
		if (!wn_robots_allowed(host->robots, j->path)) {
			char from[192];
			fail(j->resp, WN_DROP, "robots", "robots.txt of %s disallows %s%s",
			     host->key, j->path, via(j, from, sizeof(from)));
			return JOB_FINISHED;
		}
	}
	if (web && h->o.per_host > 0 && host->active >= h->o.per_host)
		return JOB_WAIT;
	if (web && host->next_start > now) {
		if (host->next_start - now < *wait_ms)
			*wait_ms = host->next_start - now;
		return JOB_WAIT;
	}
	return JOB_START;
}

/* One walk over the queue, starting every job that may start. */
static void schedule_pass(http_lane *h, int64_t now, int64_t *wait_ms)
{
	http_job *j = h->head;
	while (j && h->active < h->o.concurrency) {
		http_job *next = j->next;
		job_when ready = job_ready(h, j, now, wait_ms);
		if (ready == JOB_FINISHED) {
			queue_remove(h, j);
			job_done(h, j);
		} else if (ready == JOB_START) {
			queue_remove(h, j);
			if (job_start(h, j, now)) {
				fail(j->resp, WN_ERROR, "network", "cannot start a transfer");
				job_done(h, j);
			}
		}
		j = next;
	}
}

/* Set by wn_http_interrupt (a signal handler): every lane ends its work. */
static volatile sig_atomic_t g_interrupted;

/* Ends one job of an interrupted run: a caller's with "interrupted" (it
 * is dead-lettered, so a later run fetches it again), a robots.txt job
 * silently (no rules are learnt from it). Called with mu held. */
static void job_interrupt(http_lane *h, http_job *j, const char *when)
{
	if (j->own_url) {
		j->host->robots_state = 0;
		j->host->refs--;
		wn_http_release(j->resp);
		job_free_parts(j);
		free(j);
		return;
	}
	fail(j->resp, WN_ERROR, "interrupted", "the run was interrupted %s %s was fetched", when,
	     job_url(j));
	job_done(h, j);
}

/* The run was interrupted: waiting jobs (backoff, Retry-After, delay,
 * limits) and running transfers end now. Called with mu held. */
static void lane_interrupt(http_lane *h)
{
	while (h->head) {
		http_job *j = h->head;
		queue_remove(h, j);
		job_interrupt(h, j, "before");
	}
	while (h->running) {
		http_job *j = h->running;
		running_remove(h, j);
		curl_multi_remove_handle(h->multi, j->easy);
		job_unrun(h, j);
		job_interrupt(h, j, "while");
	}
}

/* Starts what may start; returns ms until a waiting job is due (capped
 * at WAKE_MS, so that an interrupt is seen soon). Called with mu held. */
static int64_t schedule(http_lane *h)
{
	int64_t now = wn_now_ms(), wait_ms = WAKE_MS;
	if (g_interrupted) {
		lane_interrupt(h);
		return WAKE_MS;
	}
	/* A robots.txt job queued during a pass goes to the head, behind
	 * the walk: a second pass starts it at once. */
	do {
		h->robots_added = 0;
		schedule_pass(h, now, &wait_ms);
	} while (h->robots_added);
	return wait_ms;
}

/* CURLMOPT_SOCKETFUNCTION: keeps the epoll set in step with the sockets
 * curl wants watched. epoll (not curl_multi_poll) so that a wake-up costs
 * the ready sockets, not all of them. */
static int on_socket(CURL *e, curl_socket_t fd, int what, void *userp, void *socketp)
{
	http_lane *h = userp;
	if (what == CURL_POLL_REMOVE) {
		epoll_ctl(h->epfd, EPOLL_CTL_DEL, fd, NULL); /* may be closed already */
		return 0;
	}
	struct epoll_event ev = {0};
	ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
	ev.data.fd = fd;
	if (socketp || epoll_ctl(h->epfd, EPOLL_CTL_ADD, fd, &ev))
		epoll_ctl(h->epfd, EPOLL_CTL_MOD, fd, &ev);
	if (!socketp)
		curl_multi_assign(h->multi, fd, h); /* marks it as known */
	return 0;
}

/* CURLMOPT_TIMERFUNCTION: remembers when curl wants a timeout action. */
static int on_timer(CURLM *m, long timeout_ms, void *userp)
{
	http_lane *h = userp;
	h->timer_at = timeout_ms < 0 ? -1 : wn_now_ms() + timeout_ms;
	return 0;
}

/* Waits up to wait_ms for sockets, curl's timer or a wake-up, and lets
 * curl act on what happened. */
static void drive(http_lane *h, int64_t wait_ms)
{
	int64_t now = wn_now_ms();
	if (h->timer_at >= 0 && h->timer_at - now < wait_ms)
		wait_ms = h->timer_at > now ? h->timer_at - now : 0;
	struct epoll_event evs[64];
	int n = epoll_wait(h->epfd, evs, 64, (int)wait_ms);
	int running = 0;
	for (int i = 0; i < n; i++) {
		if (evs[i].data.fd == h->evfd) {
			uint64_t v;
			if (read(h->evfd, &v, sizeof(v)) < 0)
				continue; /* another read took it */
			continue;
		}
		int flags = (evs[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
		            (evs[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
		            (evs[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
		curl_multi_socket_action(h->multi, evs[i].data.fd, flags, &running);
	}
	if (h->timer_at >= 0 && wn_now_ms() >= h->timer_at) {
		h->timer_at = -1;
		curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	}
}

/* Wakes a lane's thread (a caller queued jobs, or it must quit). */
static void wake(http_lane *h)
{
	uint64_t one = 1;
	if (write(h->evfd, &one, sizeof(one)) < 0)
		hlog(h, WN_LOG_DEBUG, "wake-up lost (the counter is full, so one is pending)");
}

static void *service_main(void *arg)
{
	http_lane *h = arg;
	pthread_setname_np(pthread_self(), "wn-http"); /* for top -H and perf */
	pthread_mutex_lock(&h->mu);
	while (!h->quit) {
		int64_t wait_ms = schedule(h);
		pthread_mutex_unlock(&h->mu);
		/* A finished transfer may free a slot or a host: schedule again
		 * before sleeping. */
		if (!reap(h)) {
			drive(h, wait_ms);
			reap(h);
		}
		pthread_mutex_lock(&h->mu);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* ---- lanes -------------------------------------------------------------------- */

/* Frees the multi handle and the descriptors ensure_started made. */
static void service_close(http_lane *h)
{
	if (h->multi)
		curl_multi_cleanup(h->multi);
	if (h->epfd >= 0)
		close(h->epfd);
	if (h->evfd >= 0)
		close(h->evfd);
	h->multi = NULL;
	h->epfd = h->evfd = -1;
}

/* Starts the lane's thread on first use. Called with its mu held. */
static wn_err ensure_started(http_lane *h)
{
	if (h->started)
		return 0;
	h->multi = curl_multi_init();
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	h->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN};
	ev.data.fd = h->evfd;
	if (!h->multi || h->epfd < 0 || h->evfd < 0 ||
	    epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->evfd, &ev)) {
		service_close(h);
		return -1;
	}
	h->timer_at = -1;
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	/* curl's own caps match ours, so its connection cache never opens
	 * more connections to a host than we run transfers on it. */
	curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)h->o.concurrency);
	if (h->o.per_host > 0)
		curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)h->o.per_host);
	curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, (long)h->o.concurrency);
	if (pthread_create(&h->thread, NULL, service_main, h)) {
		service_close(h);
		return -1;
	}
	h->started = 1;
	return 0;
}

/* Stops a lane's thread and frees what it holds. */
static void lane_free(http_lane *h)
{
	if (h->started) {
		pthread_mutex_lock(&h->mu);
		h->quit = 1;
		wake(h);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->thread, NULL);
	}
	/* Only robots.txt jobs can be left (callers' jobs are all done). */
	while (h->running) {
		http_job *j = h->running;
		running_remove(h, j);
		queue_push(h, j, 0);
	}
	while (h->head) {
		http_job *j = h->head;
		queue_remove(h, j);
		if (j->easy) {
			curl_multi_remove_handle(h->multi, j->easy);
			curl_easy_cleanup(j->easy);
		}
		wn_http_release(j->resp);
		job_free_parts(j);
		free(j);
	}
	for (size_t i = 0; i < h->n_idle; i++)
		curl_easy_cleanup(h->idle[i]);
	free(h->idle);
	service_close(h);
	for (size_t b = 0; b < HOST_BUCKETS; b++) {
		for (http_host *it = h->hosts[b], *next; it; it = next) {
			next = it->next;
			wn_robots_free(it->robots);
			free(it->key);
			free(it);
		}
	}
	pthread_mutex_destroy(&h->mu);
}

/* The lane of a job: its host's lane when per-host politeness applies,
 * else the next one in turn. */
static int pick_lane(wn_http *s, const http_job *j)
{
	if (s->n_lanes == 1)
		return 0;
	if (s->o.per_host > 0 || s->o.delay_ms > 0) {
		return (int)(wn_fnv1a64_str(j->host_key) % (uint64_t)s->n_lanes);
	}
	return (int)(atomic_fetch_add(&s->next_lane, 1) % (unsigned)s->n_lanes);
}

/* ---- interrupts and proxies ------------------------------------------------- */

void wn_http_interrupt(void)
{
	g_interrupted = 1;
}

/*
 * block_private with a proxy: curl connects to the proxy, never to the
 * target, so checking the connection's address would refuse a proxy on
 * 127.0.0.1 and let any target through a public one. The proxies named
 * by libcurl's variables are resolved once here and exempt; the targets
 * are then checked by name before each request (target_refused).
 */
static void proxies_find(wn_http *s)
{
	static const char *const vars[] = {"http_proxy", "https_proxy", "HTTPS_PROXY",
	                                   "all_proxy",  "ALL_PROXY",   NULL};
	char names[256] = "";
	for (const char *const *v = vars; *v; v++) {
		const char *val = getenv(*v);
		if (!val || !*val)
			continue;
		s->proxied = 1;
		CURLU *u = curl_url();
		char *host = NULL;
		if (u &&
		    !curl_url_set(u, CURLUPART_URL, val,
		                  CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) &&
		    !curl_url_get(u, CURLUPART_HOST, &host, 0) && host) {
			size_t hl = strlen(host);
			char *name = host[0] == '[' && hl > 1
			                 ? wn_xasprintf("%.*s", (int)hl - 2, host + 1)
			                 : wn_xstrdup(host);
			struct addrinfo hints = {.ai_family = AF_UNSPEC,
			                         .ai_socktype = SOCK_STREAM};
			struct addrinfo *res = NULL;
			if (!getaddrinfo(name, NULL, &hints, &res)) {
				for (struct addrinfo *a = res;
				     a && s->n_proxy_addrs < MAX_PROXY_ADDRS; a = a->ai_next)
					if (a->ai_addrlen <= sizeof(s->proxy_addrs[0]))
						memcpy(&s->proxy_addrs[s->n_proxy_addrs++],
						       a->ai_addr, a->ai_addrlen);
				freeaddrinfo(res);
			}
			size_t n = strlen(names);
			snprintf(names + n, sizeof(names) - n, "%s%s", n ? ", " : "", name);
			free(name);
		}
		curl_free(host);
		curl_url_cleanup(u);
	}
	if (s->proxied)
		hlog(&s->lanes[0], WN_LOG_INFO,
		     "block_private through a proxy (%s): target host names are resolved and "
		     "checked here before each request; the proxy resolves them again",
		     *names ? names : "?");
}

/* ---- the public face -------------------------------------------------------- */

wn_http *wn_http_new(const wn_http_opts *o, wn_state *state, struct wn_run *run)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return NULL;
	wn_http *s = wn_xcalloc(1, sizeof(*s));
	wn_http_opts_copy(&s->o, o);
	s->n_lanes = (int)(o->threads < o->concurrency ? o->threads : o->concurrency);
	s->lanes = wn_xcalloc((size_t)s->n_lanes, sizeof(*s->lanes));
	unsigned seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	for (int i = 0; i < s->n_lanes; i++) {
		http_lane *h = &s->lanes[i];
		h->o = s->o; /* shallow: the strings stay the service's */
		h->o.concurrency = o->concurrency / s->n_lanes + (i < o->concurrency % s->n_lanes);
		h->state = state;
		h->run = run;
		h->svc = s;
		h->seed = seed + (unsigned)i;
		h->epfd = h->evfd = -1; /* made when the lane's thread starts */
		pthread_mutex_init(&h->mu, NULL);
	}
	pthread_mutex_init(&s->done_mu, NULL);
	pthread_cond_init(&s->done_cv, NULL);
	pthread_mutex_init(&s->pend_mu, NULL);
	if (o->block_private)
		proxies_find(s);
	return s;
}

/* Queues the jobs that go to lane li; a lane that cannot start fails its
 * jobs. */
static void lane_submit(wn_http *s, int li, http_job *jobs, const int *lane_of, size_t n)
{
	http_lane *h = &s->lanes[li];
	size_t failed = 0, queued = 0;
	pthread_mutex_lock(&h->mu);
	int bad = ensure_started(h);
	for (size_t i = 0; i < n; i++) {
		http_job *j = &jobs[i];
		if (lane_of[i] != li)
			continue;
		if (bad) {
			fail(j->resp, WN_ERROR, "network", "cannot start the HTTP service");
			job_free_parts(j);
			failed++;
			continue;
		}
		lane_bind(h, j, 0);
		queued++;
	}
	if (queued)
		wake(h);
	pthread_mutex_unlock(&h->mu);
	if (bad)
		hlog(h, WN_LOG_ERROR, "cannot start the HTTP service");
	if (failed) {
		pthread_mutex_lock(&s->done_mu);
		jobs[0].call->remaining -= failed;
		pthread_mutex_unlock(&s->done_mu);
	}
}

int wn_http_fetch(wn_http *s, const wn_http_req *reqs, wn_http_resp *resps, size_t n)
{
	if (!n)
		return WN_OK;
	memset(resps, 0, n * sizeof(*resps));
	http_call call = {n};
	http_job *jobs = wn_xcalloc(n, sizeof(*jobs));
	int *lane_of = wn_xcalloc(n, sizeof(*lane_of));
	for (size_t i = 0; i < n; i++) {
		http_job *j = &jobs[i];
		j->call = &call;
		j->url = reqs[i].url ? reqs[i].url : "";
		j->flags = reqs[i].flags;
		j->resp = &resps[i];
		j->body.limit = (size_t)s->o.max_body;
		lane_of[i] = -1;
		if (job_parse_url(j, s->o.allow_file))
			call.remaining--; /* the resp says why */
		else
			lane_of[i] = pick_lane(s, j);
	}
	for (int li = 0; li < s->n_lanes && call.remaining; li++)
		lane_submit(s, li, jobs, lane_of, n);
	pthread_mutex_lock(&s->done_mu);
	while (call.remaining)
		pthread_cond_wait(&s->done_cv, &s->done_mu);
	pthread_mutex_unlock(&s->done_mu);
	for (size_t i = 0; i < n; i++)
		job_free_parts(&jobs[i]);
	free(jobs);
	free(lane_of);
	return WN_OK;
}

void wn_http_release(wn_http_resp *r)
{
	if (!r)
		return;
	free(r->body);
	free(r->content_type);
	free(r->final_url);
	free(r->etag);
	free(r->last_modified);
	memset(r, 0, sizeof(*r));
}

static void pend_clear(wn_http *s)
{
	for (size_t i = 0; i < s->n_pend; i++) {
		free(s->pend[i].url);
		free(s->pend[i].etag);
		free(s->pend[i].last_modified);
	}
	s->n_pend = 0;
	s->pend_dropped = 0;
}

wn_err wn_http_commit(wn_http *s)
{
	if (!s || !s->n_lanes || !s->lanes[0].state)
		return WN_E_OK;
	http_lane *h = &s->lanes[0];
	pthread_mutex_lock(&s->pend_mu);
	char err[256];
	wn_err rc = wn_state_validators_put(h->state, s->pend, s->n_pend, err, sizeof(err));
	if (rc)
		hlog(h, WN_LOG_ERROR, "cannot store HTTP validators: %s", err);
	if (s->pend_dropped)
		hlog(h, WN_LOG_WARN, "%zu validators over the limit of %d not stored",
		     s->pend_dropped, MAX_PENDING);
	pend_clear(s);
	pthread_mutex_unlock(&s->pend_mu);
	return rc;
}

void wn_http_free(wn_http *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n_lanes; i++)
		lane_free(&s->lanes[i]);
	free(s->lanes);
	pend_clear(s);
	free(s->pend);
	wn_http_opts_free(&s->o);
	pthread_mutex_destroy(&s->done_mu);
	pthread_cond_destroy(&s->done_cv);
	pthread_mutex_destroy(&s->pend_mu);
	free(s);
	curl_global_cleanup();
}

/*
 * The services a run shares among its stages: the state store and the
 * HTTP service, opened before the stages start and closed after they end.
 * See http.h.
 */
#include "http.h"
#include "run.h"
#include "state.h"

/* ---- the run's services ------------------------------------------------------- */

int wn_services_check(const wn_config *cfg, wn_diag *d)
{
	wn_http_opts o;
	int errors = wn_http_opts_parse(cfg->http, &o, d);
	wn_http_opts_free(&o);
	return errors;
}

wn_err wn_services_open(struct wn_run *run, const wn_config *cfg, int reprocess)
{
	if (cfg->state) {
		char err[512];
		run->state = cfg->state_journal
		                 ? wn_state_open_readonly(cfg->state, err, sizeof(err))
		                 : wn_state_open(cfg->state, err, sizeof(err));
		if (!run->state) {
			/* A shard never makes the store: not finding it is not a
			 * first run, but a store this node does not see. */
			wn_run_log(run, NULL, WN_LOG_ERROR, "state store: %s%s", err,
			           cfg->state_journal
			               ? "; a shard only reads the store `winnow plan` "
			                 "made (is its folder shared with this node?)"
			               : "");
			return WN_E_STORE;
		}
	}
	wn_http_opts o;
	wn_diag d = {0};
	wn_http_opts_parse(cfg->http, &o, &d); /* checked at prepare time */
	o.unconditional = reprocess;
	/* A shard cannot store validators (its store is read-only): it
	 * neither reads nor writes them. */
	run->http = wn_http_new(&o, cfg->state_journal ? NULL : run->state, run);
	wn_http_opts_free(&o);
	if (!run->http) {
		wn_run_log(run, NULL, WN_LOG_ERROR, "cannot start libcurl");
		return WN_E_STORE;
	}
	return WN_E_OK;
}

wn_err wn_services_commit(struct wn_run *run)
{
	return wn_http_commit(run->http);
}

void wn_services_close(struct wn_run *run)
{
	wn_http_free(run->http);
	wn_state_close(run->state);
	run->http = NULL;
	run->state = NULL;
}

/*
 * One stage alone: see solo.h.
 */
#include "solo.h"

#include <stdlib.h>

#include "http.h"

wn_solo *wn_solo_open(const char *use, char *const *search, const char *with_yaml,
                      const char *output_dir, wn_diag *d)
{
	wn_solo *s = wn_xcalloc(1, sizeof(*s));
	wn_run_init(&s->run, "solo", output_dir ? output_dir : ".", ".");
	s->run.log_level = WN_LOG_INFO;
	wn_loaded l;
	if (wn_loader_load(use, search, &l, d, NULL, 0, 0)) {
		wn_run_destroy(&s->run);
		free(s);
		return NULL;
	}
	const wn_cfg_node *with = NULL;
	if (with_yaml) {
		s->doc = wn_cfg_load_string(with_yaml, "--with", ".", d);
		with = s->doc ? s->doc->root : NULL;
		if (with && with->kind != WN_CFG_MAP)
			wn_cfg_error(d, with, "options must be a mapping like {key: value}");
	}
	s->id = wn_xstrdup(l.desc.name);
	int errors = d->errors;
	errors += wn_stage_setup(&s->stage, &s->run, 0, s->id, &l, 1, NULL, with, ".", d);
	s->run.stages = &s->stage;
	s->run.n_stages = 1;
	if (errors || wn_stage_init(&s->stage) != WN_OK) {
		if (!errors)
			wn_diag_error(d, NULL, 0, 0, "plugin %s did not start", use);
		wn_solo_close(s);
		return NULL;
	}
	return s;
}

wn_err wn_solo_http(wn_solo *s, const char *http_yaml, wn_diag *d)
{
	int errors = d->errors;
	wn_cfg_doc *doc = http_yaml ? wn_cfg_load_string(http_yaml, "--http", ".", d) : NULL;
	const wn_cfg_node *node = doc ? doc->root : NULL;
	if (node && node->kind != WN_CFG_MAP) {
		wn_cfg_error(d, node, "http options must be a mapping like {key: value}");
		node = NULL;
	}
	wn_http_opts o;
	wn_http_opts_parse(node, &o, d);
	if (d->errors == errors)
		s->run.http = wn_http_new(&o, NULL, &s->run);
	wn_http_opts_free(&o);
	wn_cfg_free(doc);
	if (d->errors == errors && !s->run.http)
		wn_diag_error(d, NULL, 0, 0, "cannot start libcurl");
	return s->run.http ? WN_E_OK : WN_E_CONFIG;
}

const wn_ctx *wn_solo_ctx(wn_solo *s)
{
	return &s->stage.inst[0];
}

void wn_solo_close(wn_solo *s)
{
	if (!s)
		return;
	if (s->stage.inst)
		wn_stage_teardown(&s->stage);
	wn_http_free(s->run.http); /* after fini: a plugin may fetch until then */
	s->run.http = NULL;
	free(s->id);
	wn_cfg_free(s->doc);
	wn_run_destroy(&s->run);
	free(s);
}

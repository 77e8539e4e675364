/*
 * wn_cue_bits: the class and id words that mark boilerplate, article
 * containers and bylines, and which classes say an element is hidden:
 * a state class does ("hidden", "is-hidden", Bootstrap's "hide" and
 * "d-none"), a utility or responsive class that carries the word for
 * something else does not.
 */
#include "check.h"
#include "internal.h"

static int neg(const char *cls)
{
	return (wn_cue_bits(cls) & WN_CUE_NEG) != 0;
}

static void test_words(void)
{
	CHECK(neg("comment-list"));
	CHECK(neg("shareBar")); /* camelCase: "share", "bar" */
	CHECK(neg("site-footer"));
	CHECK(!neg("entry-content"));
	CHECK(wn_cue_bits("entry-content") & WN_CUE_POS);
	CHECK(wn_cue_bits("post-byline") & WN_CUE_BYLINE);
	CHECK(wn_cue_bits(NULL) == 0);
	CHECK(wn_cue_bits("") == 0);
}

static void test_hidden_states(void)
{
	static const char *const hidden[] = {"hidden",    "card hidden",
	                                     "is-hidden", "js-hidden",
	                                     "u-hidden",  "drawer__panel--hidden",
	                                     "Hidden",    "card hidden group-hover:block",
	                                     "hide",      "alert hide",
	                                     "d-none",    "modal d-none"};
	for (size_t i = 0; i < sizeof hidden / sizeof *hidden; i++) {
		if (!neg(hidden[i]))
			fprintf(stderr, "  not read as hidden: \"%s\"\n", hidden[i]);
		CHECK(neg(hidden[i]));
	}
}

static void test_hidden_for_something_else(void)
{
	static const char *const shown[] = {"relative overflow-hidden",
	                                    "overflow-x-hidden",
	                                    "field field--name-body field--label-hidden",
	                                    "md:hidden",
	                                    "lg:hidden px-4",
	                                    "hidden-xs",
	                                    "col-md-8 hidden-sm",
	                                    "elementor-hidden-mobile",
	                                    "hidden md:block",
	                                    "hidden lg:flex",
	                                    "d-none d-md-block hidden",
	                                    "d-none d-lg-flex",
	                                    "no-js-hidden",
	                                    "hidden_label",
	                                    "hide-on-mobile",
	                                    "d-sm-none",
	                                    "nonehide"};
	for (size_t i = 0; i < sizeof shown / sizeof *shown; i++) {
		if (neg(shown[i]))
			fprintf(stderr, "  read as hidden: \"%s\"\n", shown[i]);
		CHECK(!neg(shown[i]));
	}
}

int main(void)
{
	test_words();
	test_hidden_states();
	test_hidden_for_something_else();
	return check_finish();
}

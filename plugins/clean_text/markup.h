/*
 * What text renderers write that a page does not show, for clean_text.
 * Some scrapers (html2text 1.3.2a among them) render a link by replacing
 * the spaces of its text with underscores ("Privacy_Policy",
 * "no_longer_a_guaranteed_on-ramp", "___Top_Content_"), which glues the
 * words of every linked phrase into one token that matches no word a
 * reader or a search would look for, and frame headings in asterisks
 * ("***** Welcome back *****"); lynx marks a form button "(BUTTON)"; w3m
 * and html2text write a picture as its label in brackets ("[svg]"). The
 * words are split again and the marks go in what clean_text returns; the
 * line model reads the text as the renderer wrote it (it was trained on
 * such dumps, and splitting its input measured worse: README.md).
 */
#ifndef WN_MARKUP_H
#define WN_MARKUP_H

#include <stddef.h>

/* True when normalised text t (n bytes) shows underscore links: ten or
 * more underscores, outside file names, between a word and a capitalised
 * word ("Cookie_Policy") or after a comma, period, colon, semicolon,
 * question or exclamation mark or closing parenthesis ("Bailey,_MS"). */
int wn_unmark_links(const char *t, size_t n);

/* True when line s (n bytes, trimmed) is lynx's mark of a form button
 * and its label, the label no question: an accordion's "(BUTTON) How
 * long does it take?" heads its answer, as the page shows it. */
int wn_button_line(const char *s, size_t n);

/* True when line s (n bytes, trimmed) is only labels in brackets, each of
 * 1 to 60 bytes: how w3m and html2text write a picture without its
 * picture ("[Bryon Powell running in trail shoes]", "[svg]",
 * "[logo][logo]"). A longer bracketed text ("[This story was updated on
 * ...]") is a note, not a label. */
int wn_label_line(const char *s, size_t n);

/* In text t (n bytes, lines separated by '\n'): when `links`, the
 * underscores of every token that reads as a link (a capitalised part, a
 * function word after its first part, punctuation before an underscore or
 * an underscore at an end; no file name) become spaces, so that "order_date", "MAX_PATH",
 * "is_eligible" and "fill in ____" stay; a line
 * framed by two or more asterisks on both sides ("*** Heading ***") loses
 * the frame, lynx's button marks ("(BUTTON) Show more") go, and so does
 * a picture's bracketed label opening a line ("[Pier]The pier at dawn.";
 * not "[ ]", "[12]" or "[a](url)"). Spaces are then tidied (one between
 * words, none at a line's ends). Works in place; returns the new length
 * (<= n) and NUL-terminates. */
size_t wn_unmark(char *t, size_t n, int links);

#endif

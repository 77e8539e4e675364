/*
 * Author names out of byline text: "By Jane Doe", "Story: Jane Doe",
 * "Von Jane Doe · 04.11.2024, 17:45 Uhr", "Jane Doe, Industry
 * Correspondent". Lead-ins, dates and roles go; names stay whole. Rules are
 * about byline grammar in general, never about one site's wording.
 */
#include "internal.h"
#include "text_norm.h"
#include "utf8.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Lead-ins that end at a space or a colon ("By Jane", "By: Jane"). */
static const char *const lead_words[] = {"written by",   "reporting by", "reported by", "words by",
                                         "story by",     "text by",      "posted by",   "photos by",
                                         "interview by", "by",           NULL};

/* Lead-ins that need a colon: without one they can be a first name
 * ("Story Musgrave") or a sentence. */
static const char *const colon_words[] = {"story",   "words",   "text",     "texte",     "author",
                                          "autor",   "auteur",  "reporter", "reporting", "writer",
                                          "writers", "authors", "autoren",  "author(s)", NULL};

/* Lead-ins of other languages that are also name particles ("Von Miller"):
 * stripped only when a capitalised name of two words or more follows. */
static const char *const particle_words[] = {"von", "par", "por", "door", NULL};

/* Stems of job titles after a comma ("Jane Doe, Senior Reporter"); a
 * trailing '$' asks for the whole word ("Staff", not "Staffan"). */
static const char *const role_stems[] = {"correspond",
                                         "reporter",
                                         "editor",
                                         "writer",
                                         "staff$",
                                         "contributor",
                                         "columnist",
                                         "journalist",
                                         "analyst",
                                         "photograph",
                                         "producer",
                                         "bureau$",
                                         "desk$",
                                         "chief$",
                                         "senior$",
                                         "special$",
                                         "r\xC3\xA9"
                                         "dact",
                                         "redakt",
                                         "korrespond",
                                         "corresponsal",
                                         "periodista",
                                         "redactor",
                                         "envoy",
                                         "reuters$",
                                         "associated press$",
                                         "afp$",
                                         "dpa$",
                                         NULL};

static size_t prefix_ci(const char *s, const char *w)
{
	size_t i = 0;
	for (; w[i]; i++)
		if (tolower((unsigned char)s[i]) != (unsigned char)w[i])
			return 0;
	return i;
}

/* Does s start with a person's name: two to four words up to the end or
 * a separator, each capitalised or a lower-case name particle ("Ursula von
 * der Leyen")? Tells "Von Jonas Reichert" from "Von Montag an gilt...". */
static int name_like(const char *s)
{
	static const char *const particles[] = {"von", "van", "der", "den", "de",  "del", "da",
	                                        "di",  "du",  "la",  "le",  "bin", NULL};
	if (!isupper((unsigned char)*s))
		return 0;
	size_t words = 0;
	while (*s && words <= 4) {
		size_t n = strcspn(s, " ");
		int ok = isupper((unsigned char)*s) || (unsigned char)*s >= 0x80;
		for (const char *const *p = particles; *p && !ok; p++)
			ok = n == strlen(*p) && !strncmp(s, *p, n);
		if (!ok)
			break;
		words++;
		const char *e = s + n;
		if (n && strchr(",;:.", e[-1]))
			return words >= 2 && words <= 4; /* "Jane Doe, Reporter" */
		s = *e ? e + 1 : e;
		if (*s && !isalpha((unsigned char)*s) && (unsigned char)*s < 0x80)
			break; /* a separator: "Jane Doe \xC2\xB7 4 May" */
	}
	return words >= 2 && words <= 4 && (!*s || !isalpha((unsigned char)*s));
}

/* Length of a byline lead-in at the start of s, with the colon and space
 * after it (see internal.h). */
size_t wn_author_lead_in(const char *s)
{
	for (const char *const *w = lead_words; *w; w++) {
		size_t k = prefix_ci(s, *w);
		if (k && (s[k] == ' ' || s[k] == ':')) {
			k += s[k] == ':';
			return k + (s[k] == ' ');
		}
	}
	for (const char *const *w = colon_words; *w; w++) {
		size_t k = prefix_ci(s, *w);
		if (!k)
			continue;
		k += s[k] == ' ';
		if (s[k] == ':')
			return k + 1 + (s[k + 1] == ' ');
	}
	for (const char *const *w = particle_words; *w; w++) {
		size_t k = prefix_ci(s, *w);
		if (k && s[k] == ' ' && name_like(s + k + 1))
			return k + 1;
	}
	return 0;
}

/* Is there a separator at p: one symbol or punctuation mark between
 * spaces (" | ", " · ", " — ", " ⋅ ", " » "), "; " or " (" ("Jane Doe
 * (jdoe)", unless a name goes on after the parenthesis)? What follows one
 * in a byline is a date, a role, a handle or the outlet, never more of
 * the name. "&", "," and "." join names. */
static int separator_at(const char *p)
{
	if (p[0] == ';' && p[1] == ' ')
		return 1;
	if (p[0] != ' ')
		return 0;
	if (p[1] == '(') { /* not a name's middle: "Paramita (Guha) Ghosh" */
		const char *q = strchr(p + 2, ')');
		return !q || !(q[1] == ' ' && isalpha((unsigned char)q[2]));
	}
	uint32_t cp;
	size_t k = wn_utf8_next((const unsigned char *)p + 1, strlen(p + 1), &cp);
	return k && p[1 + k] == ' ' && !wn_is_letter_or_mark(cp) && !(cp >= '0' && cp <= '9') &&
	       !(cp < 0x80 && strchr("&,.'", (int)cp));
}

/* Cuts at the first separator (separator_at) after the start. */
static void cut_separators(char *s)
{
	for (char *p = s + 1; *p; p++)
		if (separator_at(p)) {
			*p = 0;
			return;
		}
}

/* Trailing connectors left after a date is cut ("Jane Doe on", "Jane Doe,
 * updated"), and trailing punctuation. */
static void trim_tail(char *s)
{
	static const char *const tails[] = {"on",
	                                    "at",
	                                    "le",
	                                    "am",
	                                    "el",
	                                    "il",
	                                    "updated",
	                                    "published",
	                                    "posted",
	                                    "publi\xC3\xA9",
	                                    "publi\xC3\xA9"
	                                    "e",
	                                    "publicado",
	                                    "actualizado",
	                                    "aktualisiert",
	                                    "ver\xC3\xB6"
	                                    "ffentlicht",
	                                    "mis",
	                                    "\xC3\xA0",
	                                    "jour",
	                                    "de",
	                                    "del",
	                                    NULL};
	for (int again = 1; again;) {
		again = 0;
		size_t n = strlen(s);
		while (n && strchr(" ,;:-(", s[n - 1]))
			s[--n] = 0;
		char *sp = strrchr(s, ' ');
		const char *last = sp ? sp + 1 : s;
		for (const char *const *t = tails; *t && sp; t++) {
			if (strlen(last) == strlen(*t) && prefix_ci(last, *t)) {
				*sp = 0;
				again = 1;
				break;
			}
		}
	}
}

/* Does role stem r match at p (with at most n bytes)? */
static int stem_at(const char *p, size_t n, const char *r)
{
	size_t rl = strlen(r), whole = r[rl - 1] == '$';
	rl -= whole;
	if (rl > n || strncasecmp(p, r, rl) != 0)
		return 0;
	return !whole || rl == n || !isalpha((unsigned char)p[rl]);
}

/* Does a comma segment read as a job title rather than a name? */
static int is_role(const char *seg, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i && seg[i - 1] != ' ')
			continue;
		for (const char *const *r = role_stems; *r; r++)
			if (stem_at(seg + i, n - i, *r))
				return 1;
	}
	return 0;
}

/* Drops ", Role" segments, keeping names listed with commas. */
static void drop_roles(char *s)
{
	char *w = s;
	const char *p = s;
	int first = 1;
	while (*p) {
		const char *e = strstr(p, ", ");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (first || !is_role(p, n)) {
			if (!first)
				*w++ = ',', *w++ = ' ';
			memmove(w, p, n);
			w += n;
			first = 0;
		}
		p = e ? e + 2 : p + n;
	}
	*w = 0;
}

/* Length of a lead-in phrase of up to four words ending in "by" before a
 * capitalised name ("Guide by Will Judd", "This post was written by Dana
 * Lee"), with the space after it; 0 when there is none. */
static size_t phrase_lead_in(const char *s)
{
	const char *p = s;
	for (int words = 0; words <= 4 && *p; words++) {
		size_t n = strcspn(p, " ");
		for (size_t i = 0; i < n; i++)
			if (!isalpha((unsigned char)p[i]))
				return 0; /* "Jane Doe, DVM. Reviewed by": no lead-in */
		if (n == 2 && strncasecmp(p, "by", 2) == 0 && p > s && p[2] == ' ' &&
		    isupper((unsigned char)p[3]))
			return (size_t)(p + 3 - s);
		if (!p[n])
			return 0;
		p += n + 1;
	}
	return 0;
}

/* Strips the lead-ins at the start of s ("By ", "Written by: "), and the
 * spaces before them. */
static void strip_lead_ins(char *s)
{
	for (int i = 0; i < 3; i++) {
		size_t k = strspn(s, " ");
		k += wn_author_lead_in(s + k);
		if (!k || !s[k])
			break;
		memmove(s, s + k, strlen(s + k) + 1);
	}
	size_t k = phrase_lead_in(s);
	if (k)
		memmove(s, s + k, strlen(s + k) + 1);
}

/* Cuts a second "by" clause after the name: "Jane Doe. Reviewed by Sam
 * Lee", "Jane Doe Photos by Sam Lee" (the reviewer, the photographer). */
static void cut_by_clause(char *s)
{
	for (char *p = strstr(s, " by "); p; p = strstr(p + 1, " by ")) {
		char *w = p;
		while (w > s && w[-1] != ' ')
			w--;
		if (w > s && isupper((unsigned char)*w)) {
			w[-1] = 0;
			return;
		}
	}
}

/* Cuts "on Friday" after a name ("BeauHD on Friday", "Posted by Jane on
 * Monday"): a weekday is no date the date finder reads. */
static void cut_on_weekday(char *s)
{
	static const char *const days[] = {"monday", "tuesday",  "wednesday", "thursday",
	                                   "friday", "saturday", "sunday",    NULL};
	for (char *p = strstr(s, " on "); p; p = strstr(p + 1, " on "))
		for (const char *const *d = days; *d; d++)
			if (p > s && prefix_ci(p + 4, *d)) {
				*p = 0;
				return;
			}
}

/* Is the line no more than a lead-in ("By", "Written by", "Author:"),
 * with loose, also any words ending in "by" ("Article by", "Guide by"): a
 * label on its own line before the name? Loose only inside a byline:
 * elsewhere "Sort by" and "GROUP BY" are labels of other things. */
static int lead_only(const char *line, int loose)
{
	line += strspn(line, " ");
	size_t n = strlen(line);
	while (n && strchr(" :", line[n - 1]))
		n--;
	for (int list = 0; list < 2; list++)
		for (const char *const *w = list ? colon_words : lead_words; *w; w++)
			if (strlen(*w) == n && strncasecmp(line, *w, n) == 0)
				return 1;
	return loose && n >= 3 && strncasecmp(line + n - 2, "by", 2) == 0 && line[n - 3] == ' ';
}

int wn_author_label(const char *s)
{
	return lead_only(s, 0);
}

int wn_author_name_like(const char *s)
{
	return name_like(s + strspn(s, " \t\n"));
}

/* Is the line an avatar's initials ("CM", "J"): one to three capitals,
 * what a comment or profile picture shows before the name? */
static int initials_only(const char *line)
{
	size_t n = strlen(line);
	if (!n || n > 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isupper((unsigned char)line[i]))
			return 0;
	return 1;
}

/* Does the cleaned line hold a letter of any script (a name does; "•"
 * does not)? */
static int has_letter(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = wn_utf8_next((const unsigned char *)s + i, n - i, &cp);
		if (k && wn_is_letter_or_mark(cp))
			return 1;
		i += k ? k : 1; /* an invalid byte: skipped */
	}
	return 0;
}

/* wn_clean_author on one line of the byline. */
static void clean_line(char *s)
{
	strip_lead_ins(s);
	cut_by_clause(s);
	/* an avatar's initial before the name: "B boobaloobie", "P Packard" */
	if (isupper((unsigned char)s[0]) && s[1] == ' ' &&
	    (islower((unsigned char)s[2]) || s[2] == s[0]) && s[3] && s[3] != ' ')
		memmove(s, s + 2, strlen(s + 2) + 1);
	cut_separators(s);
	char iso[40];
	size_t at, end;
	if (wn_clean_date_find(s, 0, iso, sizeof iso, &at, &end)) {
		if (at > 0) {
			s[at] = 0; /* "Jane Doe on May 14, 2024" */
		} else {           /* a date first: a name, if any, follows it */
			size_t k = end;
			while (s[k] && (strchr(" ,;:|-/.", s[k]) ||
			                ((unsigned char)s[k] == 0xE2 &&
			                 (unsigned char)s[k + 1] == 0x80 && s[k + 2])))
				k += (unsigned char)s[k] == 0xE2 ? 3 : 1; /* "•", "–", "—" */
			memmove(s, s + k, strlen(s + k) + 1);
			strip_lead_ins(s); /* "May 14, 2024 by Jane Doe" */
		}
	}
	cut_on_weekday(s);
	if (isdigit((unsigned char)s[0]))
		s[0] = 0; /* "5 min read", "3 comments": no name starts with a digit */
	for (char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p) && p > s) {
			*p = 0; /* a date or time after the name */
			break;
		}
	}
	trim_tail(s);
	drop_roles(s);
	trim_tail(s);
}

void wn_clean_author(char *s)
{
	if (!s)
		return;
	/* the name is on the first line (block) of the byline that yields
	 * one: "By" / "Jane Doe" / "Tech Reporter"; "May 4, 2024" / "Jane Doe";
	 * an avatar's initials only when no name follows ("CM" / "Craig") */
	char *initials = NULL;
	for (char *line = s, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (lead_only(line, 1))
			continue;
		clean_line(line);
		if (initials_only(line) && next) {
			if (!initials)
				initials = line;
			continue;
		}
		if (has_letter(line)) {
			memmove(s, line, strlen(line) + 1);
			return;
		}
	}
	if (initials)
		memmove(s, initials, strlen(initials) + 1);
	else
		s[0] = 0;
}

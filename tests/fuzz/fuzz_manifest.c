/*
 * libFuzzer target for lib/manifest.c.
 *
 * The input is manifest text, parsed under four configurations:
 *   WIDE   4 cores, every name known, room for every line
 *   BIG    256 cores, only a few programs known, room for every line
 *   SMALL  4 cores like WIDE but room for 2 entries and 1 error
 *   NONE   1 core, no storage at all (NULL arrays, both maxima 0)
 * Besides the sanitizers, each result is checked against what
 * include/lib/manifest.h promises, against an independent line splitter
 * in this file, and against the other configurations:
 *  - the return value is ERR_OK exactly when bad_lines is 0, otherwise a
 *    documented code, and equal to the err of the first stored error;
 *  - every line holding a word outside a comment is either one entry or
 *    one bad line (nothing dropped silently), in line order;
 *  - an entry's program is a well-formed known name equal to the line's
 *    first word, its core set is non-empty and below ncores, its arguments
 *    are exactly the line's remaining words, within the documented limits;
 *  - an entry printed back as a line ("prog 0-2,5 args") parses to the
 *    same entry;
 *  - each error sentence is NUL-terminated and starts "manifest line N: ";
 *  - a text over MANIFEST_TEXT_MAX bytes is refused whole, one error on
 *    line 0 (also checked on every input with a fixed oversized text);
 *  - SMALL keeps exactly the first two entries and the first error of
 *    WIDE, counting the entries it had no room for as bad lines.
 */
#include <lib/manifest.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES (MANIFEST_TEXT_MAX / 2 + 1)   /* "a\n" is the shortest line */

static struct manifest_entry wide_e[MAX_LINES], big_e[MAX_LINES], small_e[2];
static struct manifest_error wide_r[MAX_LINES], big_r[MAX_LINES], small_r[1];
static const char big_text[MANIFEST_TEXT_MAX + 64] = "hello 0\n";

/* The independent view of the text: per line, where it starts and ends. */
static struct {
	const char *s;
	size_t len;             /* without LF and a CR right before it */
} lines[MAX_LINES + 1];
static unsigned nlines;

static void fail(const char *what, unsigned line)
{
	fprintf(stderr, "fuzz_manifest: %s (line %u)\n", what, line);
	abort();
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '+' ||
	       c == '-' || c == '/';
}

static void split_lines(const char *text, size_t len)
{
	size_t start = 0;

	nlines = 0;
	while (start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - start;

		if (l > 0 && text[end - 1] == '\r')
			l--;
		lines[++nlines].s = text + start;
		lines[nlines].len = l;
		start = end + 1;
	}
}

/* Word `w` (0-based) of line `no` before any '#'; length in *wlen, or NULL. */
static const char *word(unsigned no, unsigned w, size_t *wlen)
{
	const char *s = lines[no].s;
	size_t len = lines[no].len, i = 0;
	const char *hash = memchr(s, '#', len);

	if (hash)
		len = (size_t)(hash - s);
	for (;;) {
		size_t start;

		while (i < len && is_blank(s[i]))
			i++;
		if (i == len)
			return NULL;
		start = i;
		while (i < len && !is_blank(s[i]))
			i++;
		if (w-- == 0) {
			*wlen = i - start;
			return s + start;
		}
	}
}

static const char *const known_names[] = { "monitor", "hello", "pingpong", "a", "x/y" };

static bool known_big(const char *program, void *ctx)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof known_names / sizeof known_names[0]; i++)
		if (strcmp(program, known_names[i]) == 0)
			return true;
	return false;
}

static bool documented_error(err_t e)
{
	return e == ERR_SYNTAX || e == ERR_RANGE || e == ERR_NOENT || e == ERR_EXIST ||
	       e == ERR_TOOBIG || e == ERR_FULL;
}

static err_t parse(const char *text, size_t len, const struct manifest_config *cfg,
		   struct manifest *m)
{
	m->nentries = m->nerrors = m->bad_lines = 12345;        /* parse must set them */
	return manifest_parse(text, len, cfg, m);
}

/* Write e's core set as a shortest comma list of numbers and ranges. */
static size_t format_cores(const struct manifest_cores *s, char *buf, size_t size)
{
	size_t n = 0;
	int c = manifest_cores_next(s, 0);

	while (c >= 0) {
		int last = c;

		while (last + 1 < CORES_MAX && manifest_cores_has(s, (unsigned)last + 1))
			last++;
		if (last == c)
			n += (size_t)snprintf(buf + n, size - n, "%s%d", n ? "," : "", c);
		else
			n += (size_t)snprintf(buf + n, size - n, "%s%d-%d", n ? "," : "", c, last);
		if (n >= size)
			fail("core list does not fit", 0);
		c = manifest_cores_next(s, (unsigned)last + 1);
	}
	return n;
}

static void same_entry(const struct manifest_entry *a, const struct manifest_entry *b,
		       const char *what)
{
	if (strcmp(a->program, b->program) != 0 || a->argc != b->argc ||
	    a->rights != b->rights || a->restart != b->restart || memcmp(&a->cores, &b->cores, sizeof a->cores) != 0)
		fail(what, a->line);
	for (unsigned i = 0; i < a->argc; i++)
		if (a->argoff[i] != b->argoff[i] ||
		    strcmp(manifest_arg(a, i), manifest_arg(b, i)) != 0)
			fail(what, a->line);
}

/* Print e back as a line and parse it: the same entry must come out. */
static void round_trip(const struct manifest_entry *e, const struct manifest_config *cfg)
{
	char text[1024];
	struct manifest_entry out[1];
	struct manifest_error er[1];
	struct manifest m = { out, 1, 0, er, 1, 0, 0 };
	size_t n = (size_t)snprintf(text, sizeof text, "%s ", e->program);

	n += format_cores(&e->cores, text + n, sizeof text - n);
	if (e->rights) {
		static const char *const names[] = DOMAIN_RIGHT_NAMES;
		const char *sep = " rights=";

		for (unsigned i = 0; i < DOMAIN_RIGHT_COUNT; i++) {
			if (!(e->rights >> i & 1))
				continue;
			n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", sep, names[i]);
			sep = ",";
		}
	}
	if (e->restart)
		n += (size_t)snprintf(text + n, sizeof text - n, " restart");
	for (unsigned i = 0; i < e->argc; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, " %s", manifest_arg(e, i));
	if (n > MANIFEST_LINE_MAX)
		fail("printed entry longer than a line may be", e->line);
	if (parse(text, n, cfg, &m) != ERR_OK || m.nentries != 1 || m.bad_lines != 0)
		fail("printed entry does not parse", e->line);
	if (out[0].line != 1)
		fail("line number of a one-line text", e->line);
	same_entry(e, &out[0], "printed entry parses differently");
}

static void check_entry(const struct manifest_entry *e, const struct manifest_config *cfg)
{
	size_t plen = strnlen(e->program, sizeof e->program), wlen, used = 0;
	unsigned first = 2;             /* the first argument's word */
	const char *w;

	if (e->line < 1 || e->line > nlines)
		fail("entry line number", e->line);
	if (plen == 0 || plen > MANIFEST_NAME_MAX)
		fail("program name length", e->line);
	for (size_t i = 0; i < plen; i++)
		if (!is_name_char(e->program[i]))
			fail("program name character", e->line);
	if (cfg->known && !cfg->known(e->program, cfg->ctx))
		fail("unknown program accepted", e->line);
	w = word(e->line, 0, &wlen);
	if (!w || wlen != plen || memcmp(w, e->program, plen) != 0)
		fail("program is not the line's first word", e->line);
	if (manifest_cores_count(&e->cores) == 0)
		fail("empty core set", e->line);
	if (manifest_cores_next(&e->cores, cfg->ncores) >= 0)
		fail("core beyond ncores", e->line);
	if (manifest_cores_count(&e->cores) > cfg->ncores)
		fail("core count", e->line);
	if (!word(e->line, 1, &wlen))
		fail("entry without a core list word", e->line);
	bool rights_word = false, restart_word = false;
	w = word(e->line, first, &wlen);
	if (w && wlen >= 7 && memcmp(w, "rights=", 7) == 0) {
		rights_word = true;
		if (!e->rights)
			fail("a rights= word granted nothing", e->line);
		w = word(e->line, ++first, &wlen);
	}
	if (w && wlen >= 5 && memcmp(w, "span=", 5) == 0)
		w = word(e->line, ++first, &wlen);
	if (w && wlen == 7 && memcmp(w, "restart", 7) == 0) {
		restart_word = true;
		first++;
	}
	if (e->rights & ~DOMAIN_RIGHT_ALL)
		fail("unknown right granted", e->line);
	if (!rights_word && e->rights)
		fail("rights without a rights= word", e->line);
	if (restart_word != e->restart)
		fail("restart flag differs from the line", e->line);
	if (e->argc > MANIFEST_ARGC_MAX)
		fail("argc over the limit", e->line);
	for (unsigned i = 0; i < e->argc; i++) {
		const char *a = manifest_arg(e, i);
		size_t alen;

		if (e->argoff[i] != used || used >= sizeof e->args)
			fail("arguments not packed", e->line);
		alen = strnlen(a, sizeof e->args - used);
		if (alen == 0 || used + alen >= sizeof e->args)
			fail("argument empty or unterminated", e->line);
		w = word(e->line, first + i, &wlen);
		if (!w || wlen != alen || memcmp(w, a, alen) != 0)
			fail("argument is not the line's word", e->line);
		used += alen + 1;
	}
	if (word(e->line, first + e->argc, &wlen))
		fail("a word of the line is missing from the arguments", e->line);
	if (manifest_arg(e, e->argc) != NULL)
		fail("manifest_arg past argc", e->line);
	if (e->argc > 0) {
		char joined[MANIFEST_ARGS_MAX + 2], tiny[3];
		size_t jl = manifest_args_join(e, joined, sizeof joined);

		if (jl != used - 1 || jl > MANIFEST_ARGS_MAX || strlen(joined) != jl)
			fail("manifest_args_join length", e->line);
		if (manifest_args_join(e, tiny, sizeof tiny) != jl ||
		    strlen(tiny) != (jl < 2 ? jl : 2) || memcmp(tiny, joined, strlen(tiny)))
			fail("manifest_args_join truncation", e->line);
		if (manifest_args_join(e, NULL, 0) != jl)
			fail("manifest_args_join size 0", e->line);
	}
	round_trip(e, cfg);
}

static void check_error(const struct manifest_error *r)
{
	char prefix[32];
	size_t pl = (size_t)snprintf(prefix, sizeof prefix, "manifest line %u: ", r->line);

	if (r->line < 1 || r->line > nlines)
		fail("error line number", r->line);
	if (!documented_error(r->err))
		fail("undocumented error code", r->line);
	if (!memchr(r->msg, 0, sizeof r->msg))
		fail("error sentence not terminated", r->line);
	if (strncmp(r->msg, prefix, pl) != 0 || strlen(r->msg) <= pl)
		fail("error sentence prefix", r->line);
}

/* Does line `no` hold a word outside a comment (so it must count)? */
static int has_content(unsigned no)
{
	size_t wlen;

	return word(no, 0, &wlen) != NULL;
}

/* The promises of one parse; text is known to be at most MANIFEST_TEXT_MAX. */
static void check_result(err_t ret, const struct manifest *m,
			 const struct manifest_config *cfg)
{
	unsigned content = 0, ei = 0, ri = 0, prev = 0;

	if (m->nentries > m->max_entries || m->nerrors > m->max_errors ||
	    m->nerrors > m->bad_lines)
		fail("counts over their maxima", 0);
	if (m->nerrors != (m->bad_lines < m->max_errors ? m->bad_lines : m->max_errors))
		fail("errors not stored while there was room", 0);
	if ((ret == ERR_OK) != (m->bad_lines == 0))
		fail("return value against bad_lines", 0);
	if (ret != ERR_OK && !documented_error(ret))
		fail("undocumented return value", 0);
	if (m->nerrors > 0 && ret != m->errors[0].err)
		fail("return value is not the first error", 0);
	for (unsigned no = 1; no <= nlines; no++)
		content += (unsigned)has_content(no);
	/* A line over the length limit may hold nothing but blanks and still be
	 * bad, so compare exactly only when no such line exists. */
	if (m->nentries + m->bad_lines < content)
		fail("a line with words was neither an entry nor an error", 0);
	for (unsigned i = 0; i < m->nentries; i++) {
		if (m->entries[i].line <= prev)
			fail("entries out of line order", m->entries[i].line);
		prev = m->entries[i].line;
		check_entry(&m->entries[i], cfg);
	}
	prev = 0;
	for (unsigned i = 0; i < m->nerrors; i++) {
		if (m->errors[i].line <= prev)
			fail("errors out of line order", m->errors[i].line);
		prev = m->errors[i].line;
		check_error(&m->errors[i]);
	}
	/* With room for all, entries and errors partition the content lines
	 * (plus long blank lines, which are errors without content). */
	if (m->nerrors == m->bad_lines) {
		for (unsigned no = 1; no <= nlines; no++) {
			int is_e = ei < m->nentries && m->entries[ei].line == no;
			int is_r = ri < m->nerrors && m->errors[ri].line == no;

			if (is_e && is_r)
				fail("line both entry and error", no);
			if (has_content(no) && !is_e && !is_r)
				fail("line with words dropped silently", no);
			if (!has_content(no) && is_e)
				fail("entry from a line without words", no);
			if (!has_content(no) && is_r && lines[no].len <= MANIFEST_LINE_MAX)
				fail("error on a blank or comment line", no);
			ei += (unsigned)is_e;
			ri += (unsigned)is_r;
		}
		if (ei != m->nentries || ri != m->nerrors)
			fail("entries or errors on no line", 0);
	}
}

/* SMALL against WIDE: the same parse with less room. */
static void check_small(err_t ws, const struct manifest *w, err_t ss, const struct manifest *s)
{
	unsigned kept = w->nentries < 2 ? w->nentries : 2;

	if (s->nentries != kept)
		fail("SMALL did not keep the first entries", 0);
	for (unsigned i = 0; i < kept; i++) {
		if (s->entries[i].line != w->entries[i].line)
			fail("SMALL entry line", s->entries[i].line);
		same_entry(&s->entries[i], &w->entries[i], "SMALL entry differs");
	}
	if (s->bad_lines != w->bad_lines + (w->nentries - kept))
		fail("SMALL bad_lines", 0);
	if (w->nerrors > 0 && s->nerrors == 0)
		fail("SMALL lost the first error", 0);
	if (s->nerrors > 0) {
		const struct manifest_error *se = &s->errors[0];

		if (w->nerrors == 0 || se->line < w->errors[0].line) {
			if (se->err != ERR_FULL)
				fail("SMALL invented an error", se->line);
		} else if (se->line != w->errors[0].line || se->err != w->errors[0].err ||
			   strcmp(se->msg, w->errors[0].msg) != 0) {
			fail("SMALL first error differs", se->line);
		}
	}
	if (ws != ERR_OK && ss != ws && ss != ERR_FULL)
		fail("SMALL return value", 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const struct manifest_config wide_c = { 4, NULL, NULL };
	const struct manifest_config big_c = { 256, known_big, NULL };
	const struct manifest_config none_c = { 1, NULL, NULL };
	struct manifest wide = { wide_e, MAX_LINES, 0, wide_r, MAX_LINES, 0, 0 };
	struct manifest big = { big_e, MAX_LINES, 0, big_r, MAX_LINES, 0, 0 };
	struct manifest small = { small_e, 2, 0, small_r, 1, 0, 0 };
	struct manifest none = { NULL, 0, 0, NULL, 0, 0, 0 };
	err_t ws, bs, ss, ns;

	/* One byte over the limit, whatever the bytes: refused unread. */
	if (parse(big_text, MANIFEST_TEXT_MAX + 1 + size % 64, &wide_c, &small) != ERR_TOOBIG ||
	    small.nentries != 0 || small.nerrors != 1 || small.bad_lines != 1 ||
	    small.errors[0].line != 0 || small.errors[0].err != ERR_TOOBIG)
		fail("text over MANIFEST_TEXT_MAX parsed", 0);
	ws = parse(text, size, &wide_c, &wide);
	if (size > MANIFEST_TEXT_MAX) {
		if (ws != ERR_TOOBIG || wide.nentries != 0 || wide.nerrors != 1 ||
		    wide.bad_lines != 1 || wide.errors[0].line != 0 ||
		    strncmp(wide.errors[0].msg, "manifest: ", 10) != 0)
			fail("text over MANIFEST_TEXT_MAX", 0);
		return 0;
	}
	split_lines(text, size);
	check_result(ws, &wide, &wide_c);
	bs = parse(text, size, &big_c, &big);
	check_result(bs, &big, &big_c);
	ss = parse(text, size, &wide_c, &small);
	check_result(ss, &small, &wide_c);
	check_small(ws, &wide, ss, &small);
	ns = parse(text, size, &none_c, &none);
	check_result(ns, &none, &none_c);
	if (none.nentries != 0 || none.nerrors != 0 || (ns == ERR_OK) != (none.bad_lines == 0))
		fail("NONE stored something", 0);
	if (parse(text, size, NULL, &wide) != ERR_INVAL ||
	    parse(size ? NULL : text, size ? size : 0, &wide_c, &wide) != (size ? ERR_INVAL : ERR_OK))
		fail("bad arguments accepted", 0);
	return 0;
}

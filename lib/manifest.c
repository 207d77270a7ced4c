/*
 * manifest.c: the boot manifest parser (see include/lib/manifest.h).
 *
 * The text is cut into lines; each line is checked in a fixed order
 * (length, characters, tokens, program name, core list, arguments, room)
 * into a scratch entry, and only a line that passed every check is copied
 * into the caller's array.  A bad line stops at its first problem, records
 * one sentence, and the scan moves on to the next line.
 */
#include <lib/manifest.h>
#include <lib/fmt.h>
#include <stdarg.h>

/* A word of a line: not NUL-terminated, points into the caller's text. */
struct manifest_tok {
	const char *s;
	size_t len;
};

/* Program, core list, rights=, span=, restart, MANIFEST_ARGC_MAX arguments
 * (ntok counts the words beyond, so too many are noticed). */
#define MANIFEST_TOK_MAX (5 + MANIFEST_ARGC_MAX)
#define MANIFEST_QUOTE_MAX 40   /* characters of a bad word quoted back */

struct manifest_line {
	unsigned no;
	unsigned ntok;          /* words on the line, even those not kept */
	struct manifest_tok tok[MANIFEST_TOK_MAX];
};

struct manifest_ctx {
	const struct manifest_config *cfg;
	struct manifest *m;
	err_t first;            /* error of the first bad line */
};

__attribute__((format(printf, 4, 5)))
static err_t manifest_fail(struct manifest_ctx *c, unsigned line, err_t e,
			   const char *fmt, ...)
{
	struct manifest *m = c->m;
	struct manifest_error *er;
	va_list ap;
	int n;

	m->bad_lines++;
	if (c->first == ERR_OK)
		c->first = e;
	if (m->nerrors == m->max_errors)
		return e;
	er = &m->errors[m->nerrors++];
	er->line = line;
	er->err = e;
	if (line)
		n = fmt_snprintf(er->msg, sizeof er->msg, "manifest line %u: ", line);
	else
		n = fmt_snprintf(er->msg, sizeof er->msg, "manifest: ");
	if (n < 0 || (size_t)n >= sizeof er->msg)
		return e;
	va_start(ap, fmt);
	fmt_vsnprintf(er->msg + n, sizeof er->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return e;
}

static int manifest_quote_len(const struct manifest_tok *t)
{
	return t->len > MANIFEST_QUOTE_MAX ? MANIFEST_QUOTE_MAX : (int)t->len;
}

static bool manifest_is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool manifest_is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool manifest_is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       manifest_is_digit(ch) || ch == '_' || ch == '.' || ch == '+' ||
	       ch == '-' || ch == '/';
}

/* Length of the part before a comment, or ERR_SYNTAX for a character that
 * is neither printable ASCII nor a tab there. */
static err_t manifest_content(struct manifest_ctx *c, unsigned no, const char *s,
			      size_t len, size_t *content)
{
	size_t i;

	for (i = 0; i < len && s[i] != '#'; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch < 0x20 && ch != '\t') || ch > 0x7e)
			return manifest_fail(c, no, ERR_SYNTAX,
					     "bad character 0x%02x in column %zu",
					     ch, i + 1);
	}
	*content = i;
	return ERR_OK;
}

static void manifest_split(const char *s, size_t len, struct manifest_line *ln)
{
	size_t i = 0;

	ln->ntok = 0;
	while (i < len) {
		size_t start;

		while (i < len && manifest_is_blank(s[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !manifest_is_blank(s[i]))
			i++;
		if (ln->ntok < MANIFEST_TOK_MAX) {
			ln->tok[ln->ntok].s = s + start;
			ln->tok[ln->ntok].len = i - start;
		}
		ln->ntok++;
	}
}

static err_t manifest_program(struct manifest_ctx *c, const struct manifest_line *ln,
			      struct manifest_entry *e)
{
	const struct manifest_tok *t = &ln->tok[0];
	const struct manifest_config *cfg = c->cfg;

	if (t->len > MANIFEST_NAME_MAX)
		return manifest_fail(c, ln->no, ERR_TOOBIG,
				     "program name '%.*s...' longer than %u characters",
				     manifest_quote_len(t), t->s, MANIFEST_NAME_MAX);
	for (size_t i = 0; i < t->len; i++)
		if (!manifest_is_name_char(t->s[i]))
			return manifest_fail(c, ln->no, ERR_SYNTAX,
					     "bad program name '%.*s'",
					     manifest_quote_len(t), t->s);
	__builtin_memcpy(e->program, t->s, t->len);
	e->program[t->len] = 0;
	if (cfg->known && !cfg->known(e->program, cfg->ctx))
		return manifest_fail(c, ln->no, ERR_NOENT, "unknown program '%s'",
				     e->program);
	if (ln->ntok < 2)
		return manifest_fail(c, ln->no, ERR_SYNTAX,
				     "program '%s' has no core list", e->program);
	return ERR_OK;
}

/* A decimal core number of 1 to 9 digits filling s[0, len). */
static bool manifest_number(const char *s, size_t len, unsigned *v)
{
	if (len == 0 || len > 9)
		return false;
	*v = 0;
	for (size_t i = 0; i < len; i++) {
		if (!manifest_is_digit(s[i]))
			return false;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

static void manifest_cores_add(struct manifest_cores *set, unsigned core)
{
	set->bits[core / 64] |= (uint64_t)1 << (core % 64);
}

/* One item of a core list, `N` or `A-B`, added to set. */
static err_t manifest_core_item(struct manifest_ctx *c, unsigned no,
				const struct manifest_tok *list, const char *s,
				size_t len, struct manifest_cores *set)
{
	size_t dash = 0;
	unsigned lo = 0, hi = 0;

	while (dash < len && s[dash] != '-')
		dash++;
	if (!manifest_number(s, dash, &lo) ||
	    (dash < len && !manifest_number(s + dash + 1, len - dash - 1, &hi)))
		return manifest_fail(c, no, ERR_SYNTAX, "bad core list '%.*s'",
				     manifest_quote_len(list), list->s);
	if (dash == len)
		hi = lo;
	if (lo > hi)
		return manifest_fail(c, no, ERR_SYNTAX,
				     "bad core range '%u-%u' (start after end)", lo, hi);
	if (hi >= c->cfg->ncores)
		return manifest_fail(c, no, ERR_RANGE,
				     "core %u out of range (machine has %u core%s)",
				     lo >= c->cfg->ncores ? lo : hi, c->cfg->ncores,
				     c->cfg->ncores == 1 ? "" : "s");
	for (unsigned k = lo; k <= hi; k++) {
		if (manifest_cores_has(set, k))
			return manifest_fail(c, no, ERR_EXIST,
					     "core %u listed twice in '%.*s'",
					     k, manifest_quote_len(list), list->s);
		manifest_cores_add(set, k);
	}
	return ERR_OK;
}

static err_t manifest_cores_parse(struct manifest_ctx *c, unsigned no,
				  const struct manifest_tok *t, struct manifest_cores *set)
{
	size_t start = 0;

	__builtin_memset(set, 0, sizeof *set);
	/* tok[1] is set: manifest_program() refused lines with < 2 tokens. */
	// NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
	if (t->len == 3 && __builtin_memcmp(t->s, "all", 3) == 0) {
		for (unsigned k = 0; k < c->cfg->ncores; k++)
			manifest_cores_add(set, k);
		return ERR_OK;
	}
	for (size_t i = 0; i <= t->len; i++) {
		err_t e;

		if (i < t->len && t->s[i] != ',')
			continue;
		e = manifest_core_item(c, no, t, t->s + start, i - start, set);
		if (e != ERR_OK)
			return e;
		start = i + 1;
	}
	return ERR_OK;
}

static err_t manifest_core_list(struct manifest_ctx *c, const struct manifest_line *ln,
				struct manifest_cores *set)
{
	return manifest_cores_parse(c, ln->no, &ln->tok[1], set);
}

/*
 * The optional `span=CORES` word after the rights (or the core list): the
 * cores a domain started by this line may span, in the core-list syntax;
 * without it, the line's own cores.  Advances *first past it.
 */
static err_t manifest_span(struct manifest_ctx *c, const struct manifest_line *ln,
			   struct manifest_entry *e, unsigned *first)
{
	const struct manifest_tok *t = &ln->tok[*first];
	struct manifest_tok list;

	e->span = e->cores;
	if (*first >= ln->ntok || t->len < 5 || __builtin_memcmp(t->s, "span=", 5) != 0)
		return ERR_OK;
	list.s = t->s + 5;
	list.len = t->len - 5;
	if (list.len == 0)
		return manifest_fail(c, ln->no, ERR_SYNTAX, "empty core list in 'span='");
	(*first)++;
	return manifest_cores_parse(c, ln->no, &list, &e->span);
}

static bool manifest_tok_is(const struct manifest_tok *t, const char *w, size_t n, bool prefix)
{
	return (prefix ? t->len >= n : t->len == n) && __builtin_memcmp(t->s, w, n) == 0;
}

/*
 * The optional `restart` flag after the rights and span (or the core list):
 * e->restart; advances *first past it.  The option words come in the order
 * rights= span= restart, so one of them right after the flag is an error,
 * as are `restart=...` and the flag twice.
 */
static err_t manifest_restart(struct manifest_ctx *c, const struct manifest_line *ln,
			      struct manifest_entry *e, unsigned *first)
{
	const struct manifest_tok *t = &ln->tok[*first];

	e->restart = false;
	if (*first >= ln->ntok || *first >= MANIFEST_TOK_MAX)
		return ERR_OK;
	if (manifest_tok_is(t, "restart=", 8, true))
		return manifest_fail(c, ln->no, ERR_SYNTAX,
				     "the restart flag takes no value ('%.*s')",
				     manifest_quote_len(t), t->s);
	if (!manifest_tok_is(t, "restart", 7, false))
		return ERR_OK;
	e->restart = true;
	(*first)++;
	t = &ln->tok[*first];
	if (*first >= ln->ntok || *first >= MANIFEST_TOK_MAX)
		return ERR_OK;
	if (manifest_tok_is(t, "restart", 7, false))
		return manifest_fail(c, ln->no, ERR_EXIST, "restart given twice");
	if (manifest_tok_is(t, "rights=", 7, true) || manifest_tok_is(t, "span=", 5, true))
		return manifest_fail(c, ln->no, ERR_SYNTAX,
				     "'%.*s' after restart (the order is rights= span= restart)",
				     manifest_quote_len(t), t->s);
	return ERR_OK;
}

/* One right's name (n characters at s) -> its bit, or 0 if unknown. */
static uint32_t manifest_right_bit(const char *s, size_t n)
{
	static const char *const names[] = DOMAIN_RIGHT_NAMES;

	for (unsigned i = 0; i < DOMAIN_RIGHT_COUNT; i++) {
		size_t k = 0;

		while (k < n && names[i][k] && names[i][k] == s[k])
			k++;
		if (k == n && names[i][k] == 0)
			return 1u << i;
	}
	return 0;
}

/*
 * The optional `rights=a,b` word right after the core list: fills
 * e->rights, and *first with the token where the arguments start.
 */
static err_t manifest_rights(struct manifest_ctx *c, const struct manifest_line *ln,
			     struct manifest_entry *e, unsigned *first)
{
	const struct manifest_tok *t = &ln->tok[2];
	size_t start = 7;

	*first = 2;
	e->rights = 0;
	if (ln->ntok < 3 || t->len < 7 || __builtin_memcmp(t->s, "rights=", 7) != 0)
		return ERR_OK;
	*first = 3;
	for (size_t i = start; i <= t->len; i++) {
		uint32_t bit;

		if (i < t->len && t->s[i] != ',')
			continue;
		bit = manifest_right_bit(t->s + start, i - start);
		if (!bit)
			return manifest_fail(c, ln->no, ERR_NOENT, "unknown right '%.*s' in '%.*s'",
					     (int)(i - start), t->s + start,
					     manifest_quote_len(t), t->s);
		if (e->rights & bit)
			return manifest_fail(c, ln->no, ERR_EXIST, "right '%.*s' listed twice",
					     (int)(i - start), t->s + start);
		e->rights |= bit;
		start = i + 1;
	}
	return ERR_OK;
}

static err_t manifest_args(struct manifest_ctx *c, const struct manifest_line *ln,
			   unsigned first, struct manifest_entry *e)
{
	unsigned argc = ln->ntok - first;
	size_t used = 0;

	if (argc > MANIFEST_ARGC_MAX)
		return manifest_fail(c, ln->no, ERR_TOOBIG,
				     "%u arguments (limit %u)", argc, MANIFEST_ARGC_MAX);
	for (unsigned i = 0; i < argc; i++)
		used += ln->tok[first + i].len + 1;
	if (used > MANIFEST_ARGS_MAX + 1)
		return manifest_fail(c, ln->no, ERR_TOOBIG,
				     "arguments take %zu characters (limit %u)",
				     used - 1, MANIFEST_ARGS_MAX);
	used = 0;
	for (unsigned i = 0; i < argc; i++) {
		const struct manifest_tok *t = &ln->tok[first + i];

		e->argoff[i] = (uint16_t)used;
		__builtin_memcpy(e->args + used, t->s, t->len);
		e->args[used + t->len] = 0;
		used += t->len + 1;
	}
	e->argc = argc;
	return ERR_OK;
}

/* One line without its LF (and without the CR before it). */
static void manifest_line(struct manifest_ctx *c, unsigned no, const char *s, size_t len)
{
	struct manifest_entry e;
	struct manifest_line ln;
	size_t content = 0;
	unsigned first = 2;

	if (len > MANIFEST_LINE_MAX) {
		manifest_fail(c, no, ERR_TOOBIG, "line is %zu characters long (limit %u)",
			      len, MANIFEST_LINE_MAX);
		return;
	}
	if (manifest_content(c, no, s, len, &content) != ERR_OK)
		return;
	manifest_split(s, content, &ln);
	if (ln.ntok == 0)
		return;
	ln.no = no;
	__builtin_memset(&e, 0, sizeof e);
	e.line = no;
	if (manifest_program(c, &ln, &e) != ERR_OK ||
	    manifest_core_list(c, &ln, &e.cores) != ERR_OK ||
	    manifest_rights(c, &ln, &e, &first) != ERR_OK ||
	    manifest_span(c, &ln, &e, &first) != ERR_OK ||
	    manifest_restart(c, &ln, &e, &first) != ERR_OK ||
	    manifest_args(c, &ln, first, &e) != ERR_OK)
		return;
	if (c->m->nentries == c->m->max_entries) {
		manifest_fail(c, no, ERR_FULL, "too many services (limit %u)",
			      c->m->max_entries);
		return;
	}
	c->m->entries[c->m->nentries++] = e;
}

static bool manifest_args_ok(const struct manifest_config *cfg, const struct manifest *m)
{
	return cfg && m && cfg->ncores > 0 && cfg->ncores <= CORES_MAX &&
	       (m->entries || m->max_entries == 0) &&
	       (m->errors || m->max_errors == 0);
}

err_t manifest_parse(const char *text, size_t len, const struct manifest_config *cfg,
		     struct manifest *m)
{
	struct manifest_ctx c = { cfg, m, ERR_OK };
	size_t start = 0;
	unsigned no = 0;

	if (!manifest_args_ok(cfg, m) || (!text && len > 0))
		return ERR_INVAL;
	m->nentries = 0;
	m->nerrors = 0;
	m->bad_lines = 0;
	if (len > MANIFEST_TEXT_MAX)
		return manifest_fail(&c, 0, ERR_TOOBIG, "%zu bytes (limit %u)",
				     len, MANIFEST_TEXT_MAX);
	while (start < len) {
		size_t end = start, next;

		while (end < len && text[end] != '\n')
			end++;
		next = end + 1;
		if (end > start && text[end - 1] == '\r')
			end--;
		manifest_line(&c, ++no, text + start, end - start);
		start = next;
	}
	return c.first;
}

const char *manifest_arg(const struct manifest_entry *e, unsigned i)
{
	return i < e->argc ? e->args + e->argoff[i] : NULL;
}

size_t manifest_args_join(const struct manifest_entry *e, char *buf, size_t size)
{
	size_t n = 0;

	for (unsigned i = 0; i < e->argc; i++) {
		const char *a = manifest_arg(e, i);

		if (i > 0) {
			if (n + 1 < size)
				buf[n] = ' ';
			n++;
		}
		for (; *a; a++, n++)
			if (n + 1 < size)
				buf[n] = *a;
	}
	if (size > 0)
		buf[n < size ? n : size - 1] = 0;
	return n;
}

unsigned manifest_cores_count(const struct manifest_cores *s)
{
	unsigned n = 0;

	/* No __builtin_popcountll: without POPCNT it calls into libgcc. */
	for (unsigned w = 0; w < CORES_MAX / 64; w++)
		for (uint64_t b = s->bits[w]; b; b &= b - 1)
			n++;
	return n;
}

int manifest_cores_next(const struct manifest_cores *s, unsigned from)
{
	for (unsigned k = from; k < CORES_MAX; k++)
		if (manifest_cores_has(s, k))
			return (int)k;
	return -1;
}

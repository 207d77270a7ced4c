/* parse.c: numbers, key=value words, program names (see include/lib/parse.h). */
#include <lib/parse.h>

/* Digit value of c in base 10 or 16, or -1. */
static int parse_digit(char c, unsigned base)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (base == 16 && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (base == 16 && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

err_t parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0, base = 10;

	if (!s || !*s)
		return ERR_SYNTAX;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return ERR_SYNTAX;
	}
	for (; *s; s++) {
		int d = parse_digit(*s, (unsigned)base);
		if (d < 0)
			return ERR_SYNTAX;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return ERR_RANGE;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return ERR_OK;
}

bool parse_kv_match(const char *w, size_t len, const char *key, size_t *value_at)
{
	size_t k = 0;
	while (k < len && key[k] && w[k] == key[k])
		k++;
	if (key[k] != '\0' || k == 0)
		return false;
	if (k == len) {
		*value_at = len;
		return true;
	}
	if (w[k] == '=') {
		*value_at = k + 1;
		return true;
	}
	return false;
}

const char *parse_kv_find(int argc, char *const *argv, int first, const char *key)
{
	const char *found = 0;
	for (int i = first < 0 ? 0 : first; i < argc; i++) {
		size_t len = 0, at;
		while (argv[i][len])
			len++;
		if (parse_kv_match(argv[i], len, key, &at))
			found = argv[i] + at;
	}
	return found;
}

size_t parse_program_name(const char *path, char *out, size_t outlen)
{
	const char *base = path;
	size_t n = 0;
	for (const char *p = path; *p && *p != ' '; p++)
		if (*p == '/')
			base = p + 1;
	while (base[n] && base[n] != ' ') {
		if (n + 1 < outlen)
			out[n] = base[n];
		n++;
	}
	out[n + 1 < outlen ? n : outlen - 1] = '\0';
	return n;
}

bool parse_ends_with(const char *s, const char *suffix)
{
	size_t a = 0, b = 0;
	while (s[a])
		a++;
	while (suffix[b])
		b++;
	if (a < b)
		return false;
	for (size_t i = 0; i < b; i++)
		if (s[a - b + i] != suffix[i])
			return false;
	return true;
}

/* cmdline.c: see kernel/cmdline.h. */
#include <kernel/cmdline.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Does the word [w, w+len) have key `key` (followed by '=' or its end)? */
static bool word_has_key(const char *w, size_t len, const char *key, size_t *vstart)
{
	size_t k = 0;
	while (k < len && key[k] && w[k] == key[k])
		k++;
	if (key[k] != '\0' || k == 0)
		return false;
	if (k == len) {
		*vstart = len;
		return true;
	}
	if (w[k] == '=') {
		*vstart = k + 1;
		return true;
	}
	return false;
}

bool cmdline_get(const char *cmdline, const char *key, char *val, size_t vallen)
{
	bool found = false;
	if (vallen > 0)
		val[0] = '\0';
	if (!cmdline || !key || !key[0])
		return false;
	const char *p = cmdline;
	while (*p) {
		while (*p && is_space(*p))
			p++;
		const char *w = p;
		while (*p && !is_space(*p))
			p++;
		size_t len = (size_t)(p - w), vs;
		if (len == 0 || !word_has_key(w, len, key, &vs))
			continue;
		size_t vlen = len - vs;
		if (vlen + 1 > vallen) {
			if (vallen > 0)
				val[0] = '\0';
			found = false;
			continue;
		}
		__builtin_memcpy(val, w + vs, vlen);
		val[vlen] = '\0';
		found = true;
	}
	return found;
}

bool cmdline_get_u64(const char *cmdline, const char *key, uint64_t *out)
{
	char buf[24];
	if (!cmdline_get(cmdline, key, buf, sizeof buf) || !buf[0])
		return false;
	uint64_t v = 0;
	unsigned base = 10;
	const char *s = buf;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return false;
	}
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

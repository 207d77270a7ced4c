/* cmdline.c: see kernel/cmdline.h. */
#include <kernel/cmdline.h>
#include <lib/parse.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool cmdline_next_word(const char **pos, const char **word, size_t *len)
{
	const char *p = *pos;
	while (*p && is_space(*p))
		p++;
	const char *w = p;
	while (*p && !is_space(*p))
		p++;
	*pos = p;
	*word = w;
	*len = (size_t)(p - w);
	return *len > 0;
}

bool cmdline_get(const char *cmdline, const char *key, char *val, size_t vallen)
{
	bool found = false;
	if (vallen > 0)
		val[0] = '\0';
	if (!cmdline || !key || !key[0])
		return false;
	const char *p = cmdline, *w;
	size_t len, vs;
	while (cmdline_next_word(&p, &w, &len)) {
		if (!parse_kv_match(w, len, key, &vs))
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
	return cmdline_get(cmdline, key, buf, sizeof buf) && parse_u64(buf, out) == ERR_OK;
}

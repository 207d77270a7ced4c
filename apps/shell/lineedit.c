/* lineedit.c: the shell's line editor (see lineedit.h). */
#include "lineedit.h"

static unsigned slen(const char *s)
{
	unsigned n = 0;
	while (s[n])
		n++;
	return n;
}

static void put(struct lineedit *le, const char *s, unsigned n)
{
	for (unsigned i = 0; i < n && le->outlen < LE_OUT_MAX; i++)
		le->out[le->outlen++] = s[i];
}

static void puts_(struct lineedit *le, const char *s)
{
	put(le, s, slen(s));
}

static void back(struct lineedit *le, unsigned n)
{
	while (n--)
		put(le, "\b", 1);
}

void le_redraw(struct lineedit *le)
{
	puts_(le, "\r\x1b[K");
	puts_(le, le->prompt);
	put(le, le->buf, le->len);
	back(le, le->len - le->cur);
}

void le_init(struct lineedit *le, const char *prompt)
{
	unsigned char *p = (unsigned char *)le;
	for (unsigned i = 0; i < sizeof *le; i++)
		p[i] = 0;
	le->prompt = prompt;
	le->hpos = -1;
}

void le_new_line(struct lineedit *le)
{
	le->len = le->cur = 0;
	le->buf[0] = 0;
	le->hpos = -1;
	le->esc = 0;
	puts_(le, le->prompt);
}

void le_history_add(struct lineedit *le, const char *line)
{
	unsigned n = slen(line);
	if (!n || n > LE_LINE_MAX)
		return;
	if (le->nhist) {
		const char *last = le->hist[(le->nhist - 1) % LE_HISTORY];
		unsigned i = 0;
		while (last[i] && last[i] == line[i])
			i++;
		if (!last[i] && !line[i])
			return;
	}
	char *slot = le->hist[le->nhist % LE_HISTORY];
	for (unsigned i = 0; i <= n; i++)
		slot[i] = line[i];
	le->nhist++;
}

static void insert_char(struct lineedit *le, char c)
{
	if (le->len >= LE_LINE_MAX)
		return;
	for (unsigned i = le->len; i > le->cur; i--)
		le->buf[i] = le->buf[i - 1];
	le->buf[le->cur] = c;
	le->buf[++le->len] = 0;
	put(le, le->buf + le->cur, le->len - le->cur);
	le->cur++;
	back(le, le->len - le->cur);
}

void le_insert(struct lineedit *le, const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
			insert_char(le, *s);
}

static void backspace(struct lineedit *le)
{
	if (!le->cur)
		return;
	for (unsigned i = le->cur - 1; i < le->len; i++)
		le->buf[i] = le->buf[i + 1];
	le->cur--;
	le->len--;
	put(le, "\b", 1);
	put(le, le->buf + le->cur, le->len - le->cur);
	put(le, " ", 1);
	back(le, le->len - le->cur + 1);
}

static void set_line(struct lineedit *le, const char *s)
{
	unsigned n = 0;
	for (; n < LE_LINE_MAX && s[n]; n++)
		le->buf[n] = s[n];
	le->buf[n] = 0;
	le->len = le->cur = n;
	le_redraw(le);
}

static void history(struct lineedit *le, int dir)
{
	unsigned avail = le->nhist < LE_HISTORY ? le->nhist : LE_HISTORY;
	int to = le->hpos + dir;
	if (to < -1 || to >= (int)avail)
		return;
	if (le->hpos == -1) {
		for (unsigned i = 0; i <= le->len; i++)
			le->saved[i] = le->buf[i];
	}
	le->hpos = to;
	set_line(le, to == -1 ? le->saved : le->hist[(le->nhist - 1 - (unsigned)to) % LE_HISTORY]);
}

static void move(struct lineedit *le, char key)
{
	switch (key) {
	case 'A': history(le, 1); break;
	case 'B': history(le, -1); break;
	case 'C':
		if (le->cur < le->len)
			put(le, le->buf + le->cur++, 1);
		break;
	case 'D':
		if (le->cur) {
			le->cur--;
			put(le, "\b", 1);
		}
		break;
	case 'H': back(le, le->cur); le->cur = 0; break;
	case 'F': put(le, le->buf + le->cur, le->len - le->cur); le->cur = le->len; break;
	default: break;
	}
}

/* Inside an escape sequence: 1 after ESC, 2 after ESC [ (CSI), 3 after ESC O. */
static void escape(struct lineedit *le, unsigned char c)
{
	if (++le->esclen > LE_ESC_MAX) {
		le->esc = 0;
		return;
	}
	if (le->esc == 1) {
		le->esc = c == '[' ? 2 : c == 'O' ? 3 : 0;
		return;
	}
	if (le->esc == 3 || (c >= 0x40 && c <= 0x7e)) {
		if (le->esclen == 2) /* no parameters: a plain key */
			move(le, (char)c);
		le->esc = 0;
		return;
	}
	if (c < 0x20 || c > 0x3f)
		le->esc = 0; /* not a CSI byte: drop the sequence */
}

enum le_event le_feed(struct lineedit *le, unsigned char c)
{
	int after_cr = le->last_cr;
	le->last_cr = c == '\r';
	if (le->esc) {
		escape(le, c);
		return LE_NONE;
	}
	if (c >= 0x20 && c < 0x7f) {
		insert_char(le, (char)c);
		return LE_NONE;
	}
	switch (c) {
	case 0x1b: le->esc = 1; le->esclen = 0; return LE_NONE;
	case '\n':
		if (after_cr)
			return LE_NONE;
		/* fall through */
	case '\r':
		le->buf[le->len] = 0;
		puts_(le, "\n");
		return LE_LINE;
	case 0x03:
		puts_(le, "^C\n");
		le->len = le->cur = 0;
		le->buf[0] = 0;
		return LE_INTR;
	case 0x04: return le->len ? LE_NONE : LE_EOF;
	case 0x7f:
	case 0x08: backspace(le); return LE_NONE;
	case '\t': return LE_COMPLETE;
	case 0x01: move(le, 'H'); return LE_NONE;
	case 0x05: move(le, 'F'); return LE_NONE;
	case 0x15: le->len = le->cur = 0; le->buf[0] = 0; le_redraw(le); return LE_NONE;
	case 0x0c: le_redraw(le); return LE_NONE;
	default: return LE_NONE;
	}
}

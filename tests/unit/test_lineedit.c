/* Host tests of the shell's line editor (apps/shell/lineedit.h). */
#define TEST_PROGRAM "lineedit"
#include "test.h"
#include "../../apps/shell/lineedit.h"
#include <stdlib.h>
#include <string.h>

static struct lineedit le;

/* Feeds s; returns the last event that was not LE_NONE. */
static enum le_event type(const char *s, size_t n)
{
	enum le_event last = LE_NONE;
	for (size_t i = 0; i < n; i++) {
		enum le_event e = le_feed(&le, (unsigned char)s[i]);
		if (e != LE_NONE)
			last = e;
		le.outlen = 0;
	}
	return last;
}
#define TYPE(s) type(s, sizeof(s) - 1)

static void fresh(void)
{
	le_init(&le, "mk> ");
	le_new_line(&le);
	le.outlen = 0;
}

static void t_insert_and_enter(void)
{
	fresh();
	CHECK_EQ(TYPE("help"), LE_NONE);
	CHECK_EQ(TYPE("\r"), LE_LINE);
	CHECK_STR(le.buf, "help");
	fresh();
	CHECK_EQ(TYPE("ps\r\n"), LE_LINE);     /* CR LF is one Enter */
	CHECK_STR(le.buf, "ps");
	le_new_line(&le);
	CHECK_EQ(TYPE("\n"), LE_LINE);
	CHECK_STR(le.buf, "");
}

static void t_cursor_moves(void)
{
	fresh();
	TYPE("hlp\x1b[D\x1b[De");
	CHECK_STR(le.buf, "help");
	CHECK_EQ(le.cur, 2);
	TYPE("\x1bOC\x1bOC\x1bOC\x1bOC");       /* right past the end stops there */
	CHECK_EQ(le.cur, 4);
	TYPE("\x01X\x05Y");                     /* home, end */
	CHECK_STR(le.buf, "XhelpY");
	TYPE("\x1b[D\x7f");                     /* backspace before Y */
	CHECK_STR(le.buf, "XhelY");
	TYPE("\x01\x08\x08");                   /* backspace at the start: nothing */
	CHECK_STR(le.buf, "XhelY");
	TYPE("\x15");                           /* Ctrl-U */
	CHECK_STR(le.buf, "");
}

static void t_ctrl_keys(void)
{
	fresh();
	TYPE("abc");
	CHECK_EQ(TYPE("\x04"), LE_NONE);        /* Ctrl-D on a non-empty line: ignored */
	CHECK_EQ(TYPE("\x03"), LE_INTR);
	CHECK_STR(le.buf, "");
	CHECK_EQ(TYPE("\x04"), LE_EOF);
	fresh();
	CHECK_EQ(TYPE("sp\t"), LE_COMPLETE);
	le_insert(&le, "awn \x1b\x07x");         /* control bytes in an insertion are dropped */
	CHECK_STR(le.buf, "spawn x");
}

static void t_history(void)
{
	fresh();
	le_history_add(&le, "one");
	le_history_add(&le, "two");
	le_history_add(&le, "two");            /* same as the newest: kept once */
	le_history_add(&le, "");
	TYPE("draft");
	TYPE("\x1b[A");
	CHECK_STR(le.buf, "two");
	TYPE("\x1b[A");
	CHECK_STR(le.buf, "one");
	TYPE("\x1b[A");                         /* the oldest: stays */
	CHECK_STR(le.buf, "one");
	TYPE("\x1b[B\x1b[B");
	CHECK_STR(le.buf, "draft");             /* back to what was being typed */
	TYPE("\x1b[B");
	CHECK_STR(le.buf, "draft");
	for (int i = 0; i < 40; i++) {          /* the ring keeps the newest LE_HISTORY */
		char line[8];
		snprintf(line, sizeof line, "c%d", i);
		le_history_add(&le, line);
	}
	for (int i = 0; i < 100; i++)
		TYPE("\x1b[A");
	CHECK_STR(le.buf, "c24");
}

static void t_limits(void)
{
	fresh();
	for (int i = 0; i < 1000; i++)
		TYPE("x");
	CHECK_EQ(le.len, LE_LINE_MAX);
	TYPE("\x1b[D\x1b[Dyy");                 /* inserting into a full line: dropped */
	CHECK_EQ(le.len, LE_LINE_MAX);
	CHECK_EQ(strlen(le.buf), LE_LINE_MAX);
	fresh();
	TYPE("a\x1b[1;5Cb");                    /* a sequence with parameters: ignored */
	CHECK_STR(le.buf, "ab");
	TYPE("\x1b[99999999999999999999999Zc");  /* overlong: given up, the rest is text */
	CHECK(le.len <= LE_LINE_MAX);
	fresh();
	TYPE("\x1b\x1b\x1b[A");                 /* ESC ESC: the second ends the first */
	CHECK_STR(le.buf, "");
}

/* Any bytes: no overflow (sanitizers), invariants hold, output bounded. */
static void t_random_bytes(void)
{
	srand(16);
	fresh();
	le_history_add(&le, "ps");
	for (int i = 0; i < 200000; i++) {
		unsigned char c = (unsigned char)rand();
		enum le_event e = le_feed(&le, c);
		CHECK(le.cur <= le.len && le.len <= LE_LINE_MAX);
		CHECK(le.outlen <= LE_OUT_MAX);
		CHECK_EQ(le.buf[le.len], 0);
		le.outlen = 0;
		if (e == LE_LINE || e == LE_INTR || e == LE_EOF) {
			le_history_add(&le, le.buf);
			le_new_line(&le);
		}
		if (test_case_failed)
			return;
	}
}

int main(void)
{
	RUN(t_insert_and_enter);
	RUN(t_cursor_moves);
	RUN(t_ctrl_keys);
	RUN(t_history);
	RUN(t_limits);
	RUN(t_random_bytes);
	return test_summary();
}

/*
 * Host tests for lib/manifest.c: good manifests in every accepted
 * spelling, every kind of bad line with its exact sentence, limits at and
 * one past their bound, and the guarantee that good lines after bad ones
 * still come through.
 */
#define TEST_PROGRAM "manifest"
#include "test.h"
#include <lib/manifest.h>
#include <stdlib.h>

#define MAX_ENTRIES 8
#define MAX_ERRORS 8

static struct manifest_entry entries[MAX_ENTRIES];
static struct manifest_error errors[MAX_ERRORS];
static struct manifest m;
static struct manifest_config cfg;
static unsigned known_calls;

static bool known(const char *program, void *ctx)
{
	static const char *const names[] = { "hello", "monitor", "pingpong", "a/b.c-d_e+f" };

	CHECK(ctx == &known_calls);
	known_calls++;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(program, names[i]) == 0)
			return true;
	return false;
}

static err_t parse_n(const char *text, size_t len, unsigned ncores)
{
	memset(entries, 0x5a, sizeof entries);
	memset(errors, 0x5a, sizeof errors);
	m.entries = entries;
	m.max_entries = MAX_ENTRIES;
	m.errors = errors;
	m.max_errors = MAX_ERRORS;
	cfg.ncores = ncores;
	cfg.known = known;
	cfg.ctx = &known_calls;
	return manifest_parse(text, len, &cfg, &m);
}

static err_t parse(const char *text)
{
	return parse_n(text, strlen(text), 4);
}

/* The text is one line that is refused with error e and sentence msg. */
#define BAD_LINE(text, e, want_msg) do {                                        \
	CHECK_EQ(parse(text), e);                                          \
	CHECK_EQ(m.nentries, 0);                                           \
	CHECK_EQ(m.nerrors, 1);                                            \
	CHECK_EQ(m.bad_lines, 1);                                          \
	CHECK_EQ(errors[0].line, 1);                                       \
	CHECK_EQ(errors[0].err, e);                                        \
	CHECK_STR(errors[0].msg, want_msg);                                   \
} while (0)

/* Argument i, or "(null)" so that a failed CHECK_STR reports it. */
static const char *arg(const struct manifest_entry *e, unsigned i)
{
	const char *a = manifest_arg(e, i);

	return a ? a : "(null)";
}

/* Stop the case if the count is wrong: the entries past it are garbage. */
#define NENTRIES(n) do {                                                   \
	CHECK_EQ(m.nentries, n);                                           \
	if (m.nentries != (n))                                             \
		return;                                                    \
} while (0)

static char cores_str[1024];

/* The core set as "0,2,3" for easy comparison. */
static const char *cores(const struct manifest_cores *s)
{
	size_t n = 0;

	cores_str[0] = 0;
	for (int c = manifest_cores_next(s, 0); c >= 0; c = manifest_cores_next(s, (unsigned)c + 1))
		n += (size_t)snprintf(cores_str + n, sizeof cores_str - n, "%s%d", n ? "," : "", c);
	return cores_str;
}

static void t_good_manifest(void)
{
	const char *text =
		"# boot manifest\n"
		"\n"
		"monitor all\n"
		"   hello 0   # greet\n"
		"pingpong\t1,3\titers=100 size=64\r\n"
		"hello 0,2-3 a b c\n"
		"  # indented comment\n"
		"\t\n"
		"hello 1-2 last";            /* no final newline */

	CHECK_EQ(parse(text), ERR_OK);
	NENTRIES(5);
	CHECK_EQ(m.nerrors, 0);
	CHECK_EQ(m.bad_lines, 0);
	CHECK_STR(entries[0].program, "monitor");
	CHECK_EQ(entries[0].line, 3);
	CHECK_STR(cores(&entries[0].cores), "0,1,2,3");
	CHECK_EQ(entries[0].argc, 0);
	CHECK_STR(entries[1].program, "hello");
	CHECK_EQ(entries[1].line, 4);
	CHECK_STR(cores(&entries[1].cores), "0");
	CHECK_EQ(entries[1].argc, 0);
	CHECK_STR(entries[2].program, "pingpong");
	CHECK_STR(cores(&entries[2].cores), "1,3");
	CHECK_EQ(entries[2].argc, 2);
	CHECK_STR(arg(&entries[2], 0), "iters=100");
	CHECK_STR(arg(&entries[2], 1), "size=64");
	CHECK(manifest_arg(&entries[2], 2) == NULL);
	CHECK_STR(cores(&entries[3].cores), "0,2,3");
	CHECK_EQ(entries[3].argc, 3);
	CHECK_STR(arg(&entries[3], 2), "c");
	CHECK_EQ(entries[4].line, 9);
	CHECK_STR(cores(&entries[4].cores), "1,2");
	CHECK_STR(arg(&entries[4], 0), "last");
}

static void t_empty_and_comments(void)
{
	CHECK_EQ(parse(""), ERR_OK);
	CHECK_EQ(m.nentries, 0);
	CHECK_EQ(parse_n(NULL, 0, 4), ERR_OK);
	CHECK_EQ(parse("# only\n\n   \n#hello 0\r\n\n"), ERR_OK);
	CHECK_EQ(m.nentries, 0);
	CHECK_EQ(m.bad_lines, 0);
	/* A comment may hold anything, even bytes refused elsewhere. */
	CHECK_EQ(parse_n("hello 0 #\x01\xff\x7f\n", 13, 4), ERR_OK);
	CHECK_EQ(m.nentries, 1);
	CHECK_EQ(parse("hello 0#no space before the comment"), ERR_OK);
	CHECK_STR(cores(&entries[0].cores), "0");
}

static void t_unknown_program(void)
{
	known_calls = 0;
	BAD_LINE("helo 0", ERR_NOENT, "manifest line 1: unknown program 'helo'");
	CHECK_EQ(known_calls, 1);
	BAD_LINE("HELLO 0", ERR_NOENT, "manifest line 1: unknown program 'HELLO'");
	/* Without a predicate every well-formed name is accepted. */
	m.entries = entries;
	m.max_entries = MAX_ENTRIES;
	m.errors = errors;
	m.max_errors = MAX_ERRORS;
	cfg.known = NULL;
	CHECK_EQ(manifest_parse("helo 0", 6, &cfg, &m), ERR_OK);
	CHECK_STR(entries[0].program, "helo");
}

static void t_program_name(void)
{
	char line[80];

	CHECK_EQ(parse("a/b.c-d_e+f 0"), ERR_OK);
	CHECK_STR(entries[0].program, "a/b.c-d_e+f");
	BAD_LINE("hel$lo 0", ERR_SYNTAX, "manifest line 1: bad program name 'hel$lo'");
	BAD_LINE("h\"i 0", ERR_SYNTAX, "manifest line 1: bad program name 'h\"i'");
	/* 31 characters is the limit: found (unknown), not too long. */
	snprintf(line, sizeof line, "%s 0", "abcdefghijklmnopqrstuvwxyz01234");
	BAD_LINE(line, ERR_NOENT, "manifest line 1: unknown program 'abcdefghijklmnopqrstuvwxyz01234'");
	snprintf(line, sizeof line, "%s 0", "abcdefghijklmnopqrstuvwxyz012345");
	BAD_LINE(line, ERR_TOOBIG, "manifest line 1: program name 'abcdefghijklmnopqrstuvwxyz012345...' longer than 31 characters");
}

static void t_missing_cores(void)
{
	BAD_LINE("hello", ERR_SYNTAX, "manifest line 1: program 'hello' has no core list");
	BAD_LINE("hello   # 0", ERR_SYNTAX, "manifest line 1: program 'hello' has no core list");
}

static void t_core_syntax(void)
{
	static const char *const bad[] = {
		"3-", "-3", "3--4", "1-2-3", ",1", "1,", "1,,2", "a", "all,1", "1,all",
		"ALL", "0x1", "+1", "1.5", "1-a", "-", ",", "1234567890",
	};
	char line[64], want[128];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(line, sizeof line, "hello %s arg", bad[i]);
		snprintf(want, sizeof want, "manifest line 1: bad core list '%s'", bad[i]);
		BAD_LINE(line, ERR_SYNTAX, want);
	}
	BAD_LINE("hello 3-1", ERR_SYNTAX, "manifest line 1: bad core range '3-1' (start after end)");
	/* "0, 2": the list ends at the blank, so it is "0," (and "2" an argument). */
	BAD_LINE("hello 0, 2", ERR_SYNTAX, "manifest line 1: bad core list '0,'");
}

static void t_core_range(void)
{
	BAD_LINE("hello 9", ERR_RANGE, "manifest line 1: core 9 out of range (machine has 4 cores)");
	BAD_LINE("hello 0,4", ERR_RANGE, "manifest line 1: core 4 out of range (machine has 4 cores)");
	BAD_LINE("hello 2-300", ERR_RANGE, "manifest line 1: core 300 out of range (machine has 4 cores)");
	BAD_LINE("hello 5-7", ERR_RANGE, "manifest line 1: core 5 out of range (machine has 4 cores)");
	BAD_LINE("hello 999999999", ERR_RANGE, "manifest line 1: core 999999999 out of range (machine has 4 cores)");
	CHECK_EQ(parse_n("hello 1", 7, 1), ERR_RANGE);
	CHECK_STR(errors[0].msg, "manifest line 1: core 1 out of range (machine has 1 core)");
	CHECK_EQ(parse_n("hello 0", 7, 1), ERR_OK);
	CHECK_EQ(parse("hello 03"), ERR_OK);         /* leading zeros are decimal */
	CHECK_STR(cores(&entries[0].cores), "3");
}

static void t_core_duplicates(void)
{
	BAD_LINE("hello 0-3,2", ERR_EXIST, "manifest line 1: core 2 listed twice in '0-3,2'");
	BAD_LINE("hello 1,1", ERR_EXIST, "manifest line 1: core 1 listed twice in '1,1'");
	BAD_LINE("hello 0-1,1-2", ERR_EXIST, "manifest line 1: core 1 listed twice in '0-1,1-2'");
}

static void t_many_cores(void)
{
	CHECK_EQ(parse_n("hello all", 9, CORES_MAX), ERR_OK);
	CHECK_EQ(manifest_cores_count(&entries[0].cores), CORES_MAX);
	CHECK(manifest_cores_has(&entries[0].cores, 255));
	CHECK(!manifest_cores_has(&entries[0].cores, 256));
	CHECK_EQ(parse_n("hello 63-64,127,128,255", 23, CORES_MAX), ERR_OK);
	CHECK_STR(cores(&entries[0].cores), "63,64,127,128,255");
	CHECK_EQ(manifest_cores_count(&entries[0].cores), 5);
	CHECK_EQ(manifest_cores_next(&entries[0].cores, 129), 255);
	CHECK_EQ(manifest_cores_next(&entries[0].cores, 256), -1);
	CHECK_EQ(parse_n("hello 256", 9, CORES_MAX), ERR_RANGE);
	CHECK_STR(errors[0].msg, "manifest line 1: core 256 out of range (machine has 256 cores)");
	CHECK_EQ(parse_n("hello all", 9, 3), ERR_OK);
	CHECK_STR(cores(&entries[0].cores), "0,1,2");
}

static void t_argument_limits(void)
{
	char line[400];
	size_t n = (size_t)snprintf(line, sizeof line, "hello 0");

	for (int i = 0; i < MANIFEST_ARGC_MAX; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, " a%d", i);
	CHECK_EQ(parse(line), ERR_OK);
	CHECK_EQ(entries[0].argc, MANIFEST_ARGC_MAX);
	CHECK_STR(arg(&entries[0], MANIFEST_ARGC_MAX - 1), "a15");
	snprintf(line + n, sizeof line - n, " one-more");
	BAD_LINE(line, ERR_TOOBIG, "manifest line 1: 17 arguments (limit 16)");

	/* Two arguments of 63 characters and a blank: exactly 127. */
	n = (size_t)snprintf(line, sizeof line, "hello 0 ");
	memset(line + n, 'x', 63);
	line[n + 63] = ' ';
	memset(line + n + 64, 'y', 63);
	line[n + 127] = 0;
	CHECK_EQ(parse(line), ERR_OK);
	CHECK_EQ(strlen(arg(&entries[0], 1)), 63);
	strcat(line, "y");
	BAD_LINE(line, ERR_TOOBIG, "manifest line 1: arguments take 128 characters (limit 127)");
}

static void t_line_length(void)
{
	char line[300];

	memset(line, ' ', sizeof line);
	memcpy(line, "hello 0 #", 9);
	line[MANIFEST_LINE_MAX] = 0;
	CHECK_EQ(parse(line), ERR_OK);
	line[MANIFEST_LINE_MAX] = '\r';                 /* CRLF: CR not counted */
	line[MANIFEST_LINE_MAX + 1] = '\n';
	line[MANIFEST_LINE_MAX + 2] = 0;
	CHECK_EQ(parse(line), ERR_OK);
	memset(line, ' ', sizeof line);
	memcpy(line, "hello 0 #", 9);
	line[MANIFEST_LINE_MAX + 1] = 0;
	BAD_LINE(line, ERR_TOOBIG, "manifest line 1: line is 256 characters long (limit 255)");
}

static void t_bad_characters(void)
{
	CHECK_EQ(parse_n("hello 0\0 x", 10, 4), ERR_SYNTAX);
	CHECK_STR(errors[0].msg, "manifest line 1: bad character 0x00 in column 8");
	BAD_LINE("hello\x01 0", ERR_SYNTAX, "manifest line 1: bad character 0x01 in column 6");
	BAD_LINE("hello 0 \xc3\xa9t\xc3\xa9", ERR_SYNTAX, "manifest line 1: bad character 0xc3 in column 9");
	BAD_LINE("hello 0\rx", ERR_SYNTAX, "manifest line 1: bad character 0x0d in column 8");
	BAD_LINE("hello 0 \x7f", ERR_SYNTAX, "manifest line 1: bad character 0x7f in column 9");
}

/* Bad lines are reported with their numbers and the good ones still boot. */
static void t_bad_lines_skipped(void)
{
	const char *text =
		"monitor all\n"          /* 1 */
		"# comment\n"            /* 2 */
		"hello 0\n"              /* 3 */
		"hello 9\n"              /* 4 */
		"hello 1\n"              /* 5 */
		"helo 2\n"               /* 6 */
		"hello 3-\n"             /* 7 */
		"pingpong 2,3 x\n";      /* 8 */

	CHECK_EQ(parse(text), ERR_RANGE);            /* the first bad line's */
	NENTRIES(4);
	CHECK_EQ(entries[0].line, 1);
	CHECK_EQ(entries[1].line, 3);
	CHECK_EQ(entries[2].line, 5);
	CHECK_EQ(entries[3].line, 8);
	CHECK_STR(entries[3].program, "pingpong");
	CHECK_EQ(m.nerrors, 3);
	CHECK_EQ(m.bad_lines, 3);
	CHECK_STR(errors[0].msg, "manifest line 4: core 9 out of range (machine has 4 cores)");
	CHECK_STR(errors[1].msg, "manifest line 6: unknown program 'helo'");
	CHECK_STR(errors[2].msg, "manifest line 7: bad core list '3-'");
	CHECK_EQ(errors[2].line, 7);
	CHECK_EQ(errors[2].err, ERR_SYNTAX);
}

static void t_too_many_services(void)
{
	char text[512];
	size_t n = 0;

	for (int i = 0; i < MAX_ENTRIES + 2; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "hello %d\n", i % 4);
	CHECK_EQ(parse(text), ERR_FULL);
	CHECK_EQ(m.nentries, MAX_ENTRIES);
	CHECK_EQ(m.nerrors, 2);
	CHECK_STR(errors[0].msg, "manifest line 9: too many services (limit 8)");
	CHECK_EQ(errors[1].line, 10);
	/* A bad line past the limit is reported for what it is. */
	strcat(text, "hello 7\n");
	CHECK_EQ(parse(text), ERR_FULL);
	CHECK_STR(errors[2].msg, "manifest line 11: core 7 out of range (machine has 4 cores)");
}

static void t_too_many_errors(void)
{
	struct manifest_error few[2];
	struct manifest_entry one[1];
	struct manifest mm = { one, 1, 0, few, 2, 0, 0 };

	cfg.ncores = 4;
	cfg.known = NULL;
	CHECK_EQ(manifest_parse("a 9\nb 9\nhello 0\nc 9\nd 9\n", 24, &cfg, &mm), ERR_RANGE);
	CHECK_EQ(mm.nentries, 1);
	CHECK_EQ(mm.nerrors, 2);
	CHECK_EQ(mm.bad_lines, 4);
	CHECK_EQ(few[1].line, 2);
	/* No storage at all: still counted. */
	mm.max_errors = 0;
	mm.errors = NULL;
	mm.max_entries = 0;
	mm.entries = NULL;
	CHECK_EQ(manifest_parse("a 9\nhello 0\n", 12, &cfg, &mm), ERR_RANGE);
	CHECK_EQ(mm.bad_lines, 2);
	CHECK_EQ(mm.nentries, 0);
	CHECK_EQ(mm.nerrors, 0);
}

static void t_text_too_big(void)
{
	size_t len = MANIFEST_TEXT_MAX + 1;
	char *big = malloc(len);

	memset(big, '\n', len);
	CHECK_EQ(parse_n(big, len, 4), ERR_TOOBIG);
	CHECK_EQ(m.nerrors, 1);
	CHECK_EQ(errors[0].line, 0);
	CHECK_STR(errors[0].msg, "manifest: 65537 bytes (limit 65536)");
	CHECK_EQ(parse_n(big, len - 1, 4), ERR_OK);
	free(big);
}

static void t_bad_arguments(void)
{
	struct manifest mm = { NULL, 4, 0, NULL, 0, 0, 0 };

	CHECK_EQ(parse_n("hello 0", 7, 0), ERR_INVAL);
	CHECK_EQ(parse_n("hello 0", 7, CORES_MAX + 1), ERR_INVAL);
	CHECK_EQ(manifest_parse("hello 0", 7, NULL, &m), ERR_INVAL);
	CHECK_EQ(manifest_parse("hello 0", 7, &cfg, NULL), ERR_INVAL);
	CHECK_EQ(manifest_parse("hello 0", 7, &cfg, &mm), ERR_INVAL);
	CHECK_EQ(manifest_parse(NULL, 7, &cfg, &m), ERR_INVAL);
}

static void t_args_join(void)
{
	char buf[32];

	CHECK_EQ(parse("hello 0 alpha beta  gamma"), ERR_OK);
	CHECK_EQ(manifest_args_join(&entries[0], buf, sizeof buf), 16);
	CHECK_STR(buf, "alpha beta gamma");
	memset(buf, 'x', sizeof buf);
	CHECK_EQ(manifest_args_join(&entries[0], buf, 8), 16);
	CHECK_STR(buf, "alpha b");
	CHECK_EQ(buf[8], 'x');
	CHECK_EQ(manifest_args_join(&entries[0], NULL, 0), 16);
	CHECK_EQ(parse("hello 0"), ERR_OK);
	buf[0] = 'x';
	CHECK_EQ(manifest_args_join(&entries[0], buf, sizeof buf), 0);
	CHECK_STR(buf, "");
}

static void t_rights(void)
{
	char line[512];
	int n;

	CHECK_EQ(parse("hello 0 rights=stop,spawn a b\nhello 1 x\nhello 2 rights=kipc\n"), ERR_OK);
	NENTRIES(3);
	CHECK_EQ(entries[0].rights, DOMAIN_RIGHT_STOP | DOMAIN_RIGHT_SPAWN);
	CHECK_EQ(entries[0].argc, 2);
	CHECK_STR(arg(&entries[0], 0), "a");
	CHECK_EQ(entries[1].rights, 0);
	CHECK_EQ(entries[1].argc, 1);
	CHECK_EQ(entries[2].rights, DOMAIN_RIGHT_KIPC);
	CHECK_EQ(entries[2].argc, 0);
	CHECK_EQ(parse("hello 0 rights=console,trace,stop,spawn,bcast,kipc,notify,devmem,kill\n"), ERR_OK);
	NENTRIES(1);
	CHECK_EQ(entries[0].rights, DOMAIN_RIGHT_ALL);
	/* Only right after the cores: later it is an argument like any other. */
	CHECK_EQ(parse("hello 0 x rights=stop\n"), ERR_OK);
	NENTRIES(1);
	CHECK_EQ(entries[0].rights, 0);
	CHECK_STR(arg(&entries[0], 1), "rights=stop");
	BAD_LINE("hello 0 rights=stop,root\n", ERR_NOENT,
		 "manifest line 1: unknown right 'root' in 'rights=stop,root'");
	BAD_LINE("hello 0 rights=\n", ERR_NOENT, "manifest line 1: unknown right '' in 'rights='");
	BAD_LINE("hello 0 rights=stop,\n", ERR_NOENT,
		 "manifest line 1: unknown right '' in 'rights=stop,'");
	BAD_LINE("hello 0 rights=Stop\n", ERR_NOENT,
		 "manifest line 1: unknown right 'Stop' in 'rights=Stop'");
	BAD_LINE("hello 0 rights=stopx\n", ERR_NOENT,
		 "manifest line 1: unknown right 'stopx' in 'rights=stopx'");
	BAD_LINE("hello 0 rights=sto\n", ERR_NOENT,
		 "manifest line 1: unknown right 'sto' in 'rights=sto'");
	BAD_LINE("hello 0 rights=spawn,stop,spawn\n", ERR_EXIST,
		 "manifest line 1: right 'spawn' listed twice");
	/* rights= does not count against the argument limits. */
	n = snprintf(line, sizeof line, "hello 0 rights=stop");
	for (int i = 0; i < MANIFEST_ARGC_MAX; i++)
		n += snprintf(line + n, sizeof line - (size_t)n, " a%d", i);
	snprintf(line + n, sizeof line - (size_t)n, "\n");
	CHECK_EQ(parse(line), ERR_OK);
	NENTRIES(1);
	CHECK_EQ(entries[0].argc, MANIFEST_ARGC_MAX);
	CHECK_STR(arg(&entries[0], MANIFEST_ARGC_MAX - 1), "a15");
	snprintf(line + n, sizeof line - (size_t)n, " a16\n");
	BAD_LINE(line, ERR_TOOBIG, "manifest line 1: 17 arguments (limit 16)");
}

static void t_span(void)
{
	/* Without span= a line's domains may span its own cores only. */
	CHECK_EQ(parse("hello 0 a\nhello 1-2 rights=stop span=0,2-3 x\nhello 3 span=all\n"),
		 ERR_OK);
	NENTRIES(3);
	CHECK(manifest_cores_has(&entries[0].span, 0));
	CHECK(!manifest_cores_has(&entries[0].span, 1));
	CHECK_STR(arg(&entries[0], 0), "a");
	CHECK(manifest_cores_has(&entries[1].span, 0) && manifest_cores_has(&entries[1].span, 2) &&
	      manifest_cores_has(&entries[1].span, 3) && !manifest_cores_has(&entries[1].span, 1));
	CHECK_EQ(entries[1].rights, DOMAIN_RIGHT_STOP);
	CHECK_EQ(entries[1].argc, 1);
	CHECK_STR(arg(&entries[1], 0), "x");
	for (unsigned c = 0; c < 4; c++)
		CHECK(manifest_cores_has(&entries[2].span, c));
	CHECK_EQ(entries[2].argc, 0);
	/* Only after the cores or the rights: later it is an argument. */
	CHECK_EQ(parse("hello 0 x span=1\n"), ERR_OK);
	NENTRIES(1);
	CHECK(!manifest_cores_has(&entries[0].span, 1));
	CHECK_STR(arg(&entries[0], 1), "span=1");
	BAD_LINE("hello 0 span=\n", ERR_SYNTAX, "manifest line 1: empty core list in 'span='");
	BAD_LINE("hello 0 span=9\n", ERR_RANGE,
		 "manifest line 1: core 9 out of range (machine has 4 cores)");
	BAD_LINE("hello 0 span=1,1\n", ERR_EXIST, "manifest line 1: core 1 listed twice in '1,1'");
	BAD_LINE("hello 0 span=x\n", ERR_SYNTAX, "manifest line 1: bad core list 'x'");
}

static void t_restart_flag(void)
{
	char line[512];
	int n;

	CHECK_EQ(parse("pingpong 2 restart svc\nhello 1 x\npingpong 3 rights=kipc restart\n"
		       "pingpong 1 rights=stop span=0-3 restart a\n"), ERR_OK);
	NENTRIES(4);
	CHECK(entries[0].restart);
	CHECK_EQ(entries[0].argc, 1);
	CHECK_STR(arg(&entries[0], 0), "svc");
	CHECK(!entries[1].restart);
	CHECK(entries[2].restart);
	CHECK_EQ(entries[2].rights, DOMAIN_RIGHT_KIPC);
	CHECK_EQ(entries[2].argc, 0);
	CHECK(entries[3].restart);
	CHECK_EQ(entries[3].rights, DOMAIN_RIGHT_STOP);
	CHECK_EQ(entries[3].argc, 1);
	CHECK_STR(arg(&entries[3], 0), "a");
	/* Only among the options: later it is an argument like any other. */
	CHECK_EQ(parse("pingpong 2 svc restart\n"), ERR_OK);
	NENTRIES(1);
	CHECK(!entries[0].restart);
	CHECK_STR(arg(&entries[0], 1), "restart");
	BAD_LINE("pingpong 2 restart restart\n", ERR_EXIST, "manifest line 1: restart given twice");
	BAD_LINE("pingpong 2 restart=yes\n", ERR_SYNTAX,
		 "manifest line 1: the restart flag takes no value ('restart=yes')");
	BAD_LINE("pingpong 2 restart rights=stop\n", ERR_SYNTAX,
		 "manifest line 1: 'rights=stop' after restart (the order is rights= span= restart)");
	BAD_LINE("pingpong 2 restart span=1\n", ERR_SYNTAX,
		 "manifest line 1: 'span=1' after restart (the order is rights= span= restart)");
	/* The flag does not count against the argument limits either. */
	n = snprintf(line, sizeof line, "hello 0 rights=stop span=0 restart");
	for (int i = 0; i < MANIFEST_ARGC_MAX; i++)
		n += snprintf(line + n, sizeof line - (size_t)n, " a%d", i);
	snprintf(line + n, sizeof line - (size_t)n, "\n");
	CHECK_EQ(parse(line), ERR_OK);
	NENTRIES(1);
	CHECK(entries[0].restart);
	CHECK_EQ(entries[0].argc, MANIFEST_ARGC_MAX);
	snprintf(line + n, sizeof line - (size_t)n, " a16\n");
	BAD_LINE(line, ERR_TOOBIG, "manifest line 1: 17 arguments (limit 16)");
}

int main(void)
{
	RUN(t_span);
	RUN(t_good_manifest);
	RUN(t_restart_flag);
	RUN(t_empty_and_comments);
	RUN(t_unknown_program);
	RUN(t_program_name);
	RUN(t_missing_cores);
	RUN(t_core_syntax);
	RUN(t_core_range);
	RUN(t_core_duplicates);
	RUN(t_many_cores);
	RUN(t_argument_limits);
	RUN(t_line_length);
	RUN(t_bad_characters);
	RUN(t_bad_lines_skipped);
	RUN(t_too_many_services);
	RUN(t_too_many_errors);
	RUN(t_text_too_big);
	RUN(t_bad_arguments);
	RUN(t_args_join);
	RUN(t_rights);
	return test_summary();
}

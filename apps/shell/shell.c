/*
 * shell: the interactive shell on the serial console (docs/14-shell.md).
 *
 *   shell          (manifest: shell 0 rights=console,trace,kill,spawn,stop,kipc)
 *   shell standby NAME
 *                  a standby console: once NAME is registered it tries to
 *                  claim the console every 100 ms; while a running domain
 *                  holds it the kernel refuses (ERR_BUSY, said once); when
 *                  the holder's CPU driver ends (its core stopped) the claim
 *                  passes to this one (kernel/coninput.h), which then runs
 *                  as the shell
 *
 * Reads the console's input (SYS_CONSOLE_READ, the console right), edits
 * lines (lineedit.h), and runs one command per line; its output is raw
 * console text (SYS_CONSOLE_WRITE), the prompt is `mk> `.  What it knows
 * about the system it asks the monitors (MON_QUERY_REQ, libos mon_query);
 * what it may do is what its rights allow, like any other domain.  Every
 * error is one line naming what was wrong.  Ctrl-C interrupts a running
 * command (bench), Ctrl-D on an empty line ends the shell.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <libos/thread.h>
#include <sys/rights.h>
#include <sys/trace.h>
#include "lineedit.h"

#define PROMPT     "mk> "
#define MAX_ARGS   16
#define MAX_PROGS  32
#define WAIT_TICKS 100

static struct lineedit le;
static unsigned ncores;
static char progs[MAX_PROGS][PROGRAM_NAME_MAX];
static unsigned nprogs;
static uint8_t typeahead[256];    /* typed while a command ran */
static unsigned ntypeahead;

/* ---- output ------------------------------------------------------------ */

static void write_raw(const char *s, size_t n)
{
	while (n) {
		size_t k = n > 512 ? 512 : n;
		sys_console_write(s, k);
		s += k;
		n -= k;
	}
}

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	write_raw(buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void flush_editor(void)
{
	write_raw(le.out, le.outlen);
	le.outlen = 0;
}

/* ---- Ctrl-C while a command runs ---------------------------------------- */

/* Reads what was typed; true if it holds Ctrl-C (the rest is kept for later). */
static bool interrupted(uint64_t ticks)
{
	uint8_t in[64];
	int64_t n = sys_console_read(in, sizeof in, ticks);
	bool intr = false;
	for (int64_t i = 0; i < n; i++) {
		if (in[i] == 0x03)
			intr = true;
		else if (!intr && ntypeahead < sizeof typeahead)
			typeahead[ntypeahead++] = in[i];
	}
	return intr;
}

/* ---- parsing ------------------------------------------------------------ */

static unsigned split(char *line, char **argv)
{
	unsigned argc = 0;
	for (char *p = line; *p;) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		if (argc == MAX_ARGS)
			return MAX_ARGS + 1;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return argc;
}

static bool number(const char *s, uint64_t max, uint64_t *out)
{
	return parse_u64(s, out) == ERR_OK && *out <= max;
}

/* CORES as in the manifest: all, 3, 1-3, 0,2-3.  Sets bits; false and a line if bad. */
static bool parse_cores(const char *cmd, const char *s, uint64_t set[CORES_MAX / 64])
{
	char item[24];
	for (unsigned i = 0; i < CORES_MAX / 64; i++)
		set[i] = 0;
	if (strcmp(s, "all") == 0) {
		for (unsigned c = 0; c < ncores; c++)
			set[c / 64] |= 1ull << (c % 64);
		return true;
	}
	while (*s) {
		unsigned n = 0;
		while (s[n] && s[n] != ',')
			n++;
		if (n == 0 || n >= sizeof item) {
			say("%s: bad core list (want all, 3, 1-3 or 0,2-3)\n", cmd);
			return false;
		}
		memcpy(item, s, n);
		item[n] = 0;
		char *dash = strchr(item, '-');
		uint64_t lo, hi;
		if (dash)
			*dash = 0;
		if (!number(item, UINT32_MAX, &lo) ||
		    !(dash ? number(dash + 1, UINT32_MAX, &hi) : (hi = lo, true)) || hi < lo) {
			say("%s: bad core list '%s' (want all, 3, 1-3 or 0,2-3)\n", cmd, s);
			return false;
		}
		if (hi >= ncores) {
			say("%s: core %lu out of range (0-%u)\n", cmd, (unsigned long)hi, ncores - 1);
			return false;
		}
		for (uint64_t c = lo; c <= hi; c++)
			set[c / 64] |= 1ull << (c % 64);
		s += n + (s[n] == ',');
	}
	return true;
}

/* "C:D" (core, domain), as ps prints it. */
static bool parse_id(const char *cmd, const char *s, unsigned *core, unsigned *dom)
{
	char c[12];
	const char *colon = strchr(s, ':');
	uint64_t a, b;
	if (!colon || (size_t)(colon - s) >= sizeof c) {
		say("%s: want CORE:ID as ps shows it, got '%s'\n", cmd, s);
		return false;
	}
	memcpy(c, s, (size_t)(colon - s));
	c[colon - s] = 0;
	if (!number(c, UINT32_MAX, &a) || !number(colon + 1, UINT32_MAX, &b)) {
		say("%s: want CORE:ID as ps shows it, got '%s'\n", cmd, s);
		return false;
	}
	if (a >= ncores) {
		say("%s: core %lu out of range (0-%u)\n", cmd, (unsigned long)a, ncores - 1);
		return false;
	}
	*core = (unsigned)a;
	*dom = (unsigned)b;
	return true;
}

static const char *state_name(uint32_t s)
{
	static const char *const names[] = { "free", "ready", "running", "waiting", "ending" };
	return s < 5 ? names[s] : "?";
}

static void rights_text(uint32_t r, char *out, size_t n)
{
	static const char *const names[] = DOMAIN_RIGHT_NAMES;
	size_t at = 0;
	out[0] = 0;
	for (unsigned i = 0; i < DOMAIN_RIGHT_COUNT; i++)
		if (r & (1u << i))
			at += (size_t)snprintf(out + at, n - at, "%s%s", at ? "," : "", names[i]);
	if (!at)
		snprintf(out, n, "-");
}

static void query_failed(const char *cmd, unsigned core, err_t e)
{
	say("%s: core %u: %s\n", cmd, core, e == ERR_OK ? "no answer" : err_str(e));
}

/* ---- commands ----------------------------------------------------------- */

static void cmd_help(unsigned argc, char **argv);

static void cmd_cores(unsigned argc, char **argv)
{
	(void)argc, (void)argv;
	say("%u cores; the shell runs on core %u\n", ncores, libos_core_id());
	for (unsigned c = 0; c < ncores; c++) {
		struct mon_query_reply r;
		err_t e = mon_query(c, MON_Q_CORE, 0, 0, &r);
		if (e || r.n != 1) {
			say("core %u: down (%s)\n", c, e ? err_str(e) : "no answer");
			continue;
		}
		const uint32_t *v = mon_qentries(&r)[0].v;
		say("core %u: up, %u domains, load %u.%u%%, %u of %u frames free, node %u "
		    "package %u core %u thread %u\n", c, v[2], v[3] / 10, v[3] % 10, v[0], v[1],
		    v[4], v[5] >> 16, (v[5] >> 8) & 0xff, v[5] & 0xff);
	}
}

static void list_domains(unsigned core, uint32_t kind)
{
	struct mon_query_reply r;
	for (uint32_t at = 0;; at += r.n) {
		err_t e = mon_query(core, kind, at, 0, &r);
		if (e) {
			query_failed(kind == MON_Q_PS ? "ps" : "channels", core, e);
			return;
		}
		for (uint32_t i = 0; i < r.n; i++) {
			const uint32_t *v = mon_qentries(&r)[i].v;
			char id[16], rights[80], peers[64];
			snprintf(id, sizeof id, "%u:%u", core, v[0]);
			if (kind == MON_Q_PS) {
				rights_text(v[2], rights, sizeof rights);
				say("%-7s %-12s %-8s %6u %4u  %s\n", id, mon_qentries(&r)[i].name,
				    state_name(v[1]), v[4], v[5], v[3] ? "monitor" : rights);
				continue;
			}
			size_t at2 = 0;
			peers[0] = 0;
			for (unsigned k = 0; k < v[1] && k < 8; k++)
				at2 += (size_t)snprintf(peers + at2, sizeof peers - at2, "%s%u",
							k ? "," : "", (v[2 + k / 4] >> (8 * (k % 4))) & 0xff);
			if (v[1])
				say("%-7s %-12s %u channel%s to core%s %s%s\n", id, mon_qentries(&r)[i].name, v[1],
				    v[1] == 1 ? "" : "s", v[1] == 1 ? "" : "s", peers,
				    v[1] > 8 ? ",..." : "");
		}
		if (!r.n || at + r.n >= r.total)
			return;
	}
}

static void cmd_ps(unsigned argc, char **argv)
{
	uint64_t set[CORES_MAX / 64];
	if (argc > 1 && !parse_cores("ps", argv[1], set))
		return;
	say("%-7s %-12s %-8s %6s %4s  %s\n", "ID", "PROGRAM", "STATE", "FRAMES", "CHAN",
	    "RIGHTS");
	for (unsigned c = 0; c < ncores; c++)
		if (argc < 2 || (set[c / 64] >> (c % 64) & 1))
			list_domains(c, MON_Q_PS);
}

static void cmd_channels(unsigned argc, char **argv)
{
	(void)argc, (void)argv;
	say("channels set up by the monitors (besides each domain's own monitor channel):\n");
	for (unsigned c = 0; c < ncores; c++)
		list_domains(c, MON_Q_CHANS);
}

static void cmd_names(unsigned argc, char **argv)
{
	(void)argc, (void)argv;
	struct mon_query_reply r;
	unsigned shown = 0;
	for (uint32_t at = 0;; at += r.n) {
		err_t e = mon_query(0, MON_Q_NAMES, at, 0, &r);
		if (e) {
			query_failed("names", 0, e);
			return;
		}
		for (uint32_t i = 0; i < r.n; i++, shown++)
			say("%-24s core %u domain %u\n", mon_qentries(&r)[i].name, mon_qentries(&r)[i].v[0], mon_qentries(&r)[i].v[1]);
		if (!r.n || at + r.n >= r.total)
			break;
	}
	if (!shown)
		say("no names registered\n");
}

static void cmd_mem(unsigned argc, char **argv)
{
	(void)argc, (void)argv;
	uint64_t free_all = 0, total_all = 0;
	for (unsigned c = 0; c < ncores; c++) {
		struct mon_query_reply r;
		err_t e = mon_query(c, MON_Q_CORE, 0, 0, &r);
		if (e || r.n != 1) {
			query_failed("mem", c, e);
			continue;
		}
		const uint32_t *v = mon_qentries(&r)[0].v;
		free_all += v[0];
		total_all += v[1];
		say("core %u: %u KiB free of %u KiB\n", c, v[0] * 4, v[1] * 4);
	}
	say("all cores: %lu KiB free of %lu KiB\n", (unsigned long)(free_all * 4),
	    (unsigned long)(total_all * 4));
}

static bool known_program(const char *p)
{
	for (unsigned i = 0; i < nprogs; i++)
		if (strcmp(progs[i], p) == 0)
			return true;
	return false;
}

static void cmd_spawn(unsigned argc, char **argv)
{
	uint64_t set[CORES_MAX / 64];
	if (argc < 3) {
		say("spawn: usage: spawn PROG CORES [args]\n");
		return;
	}
	if (!known_program(argv[1]) || strcmp(argv[1], "monitor") == 0) {
		say("spawn: no program '%s' (tab lists them)\n", argv[1]);
		return;
	}
	if (!parse_cores("spawn", argv[2], set))
		return;
	for (unsigned c = 0; c < ncores; c++) {
		if (!(set[c / 64] >> (c % 64) & 1))
			continue;
		uint32_t id;
		err_t e = mon_spawn(c, argv[1], argc - 3, (const char *const *)argv + 3, &id);
		if (e)
			say("spawn: %s on core %u: %s\n", argv[1], c, err_str(e));
		else
			say("spawned %s on core %u as %u:%u\n", argv[1], c, c, id);
	}
}

static void cmd_kill(unsigned argc, char **argv)
{
	unsigned core, dom;
	struct mon_query_reply r;
	if (argc != 2) {
		say("kill: usage: kill CORE:ID (as ps shows it)\n");
		return;
	}
	if (!parse_id("kill", argv[1], &core, &dom))
		return;
	if (core == libos_core_id() && dom == libos_domain_id()) {
		say("kill: %u:%u is this shell (Ctrl-D ends it)\n", core, dom);
		return;
	}
	err_t e = mon_query(core, MON_Q_KILL, 0, dom, &r);
	if (e == ERR_PERM)
		say("kill: %u:%u refused: a monitor, or it holds rights this shell lacks\n", core, dom);
	else if (e == ERR_NOENT)
		say("kill: no domain %u:%u\n", core, dom);
	else if (e)
		say("kill: %u:%u: %s\n", core, dom, err_str(e));
	else
		say("killed %u:%u\n", core, dom);
}

static bool domain_alive(unsigned core, uint32_t id)
{
	struct mon_query_reply r;
	for (uint32_t at = 0;; at += r.n) {
		if (mon_query(core, MON_Q_PS, at, 0, &r))
			return false;
		for (uint32_t i = 0; i < r.n; i++)
			if (mon_qentries(&r)[i].v[0] == id)
				return true;
		if (!r.n || at + r.n >= r.total)
			return false;
	}
}

static void cmd_bench(unsigned argc, char **argv)
{
	char pairs[40];
	const char *args[4] = { "coord", "iters=500", "stream=500", pairs };
	uint32_t id;
	snprintf(pairs, sizeof pairs, "pairs=%s", argc > 1 ? argv[1] : "all");
	if (argc > 2 || strlen(pairs) >= sizeof pairs - 1) {
		say("bench: usage: bench [all|sample]\n");
		return;
	}
	/* pingpong's coordinator starts its partners on the other cores and
	   measures kernel IPC beside URPC */
	err_t e = mon_spawn_rights(0, "pingpong", 4, args, DOMAIN_RIGHT_SPAWN | DOMAIN_RIGHT_KIPC,
				   &id);
	if (e) {
		say("bench: cannot start pingpong on core 0: %s\n", err_str(e));
		return;
	}
	say("bench: pingpong 0:%u measures every core pair (Ctrl-C stops it)\n", id);
	while (domain_alive(0, id)) {
		if (interrupted(10)) {
			mon_query(0, MON_Q_KILL, 0, id, &(struct mon_query_reply){ 0 });
			say("bench: interrupted\n");
			return;
		}
	}
	say("bench: done\n");
}

static void cmd_trace(unsigned argc, char **argv)
{
	static const struct { const char *word; unsigned op; } ops[] = {
		{ "start", TRACE_OP_START }, { "stop", TRACE_OP_STOP }, { "dump", TRACE_OP_DUMP } };
	for (unsigned i = 0; argc == 2 && i < 3; i++) {
		if (strcmp(argv[1], ops[i].word))
			continue;
		int64_t e = sys_trace(ops[i].op);
		if (e == ERR_UNSUPPORTED)
			say("trace: no trace rings (boot with trace=off or trace=on)\n");
		else if (e)
			say("trace %s: %s\n", ops[i].word, err_str((err_t)e));
		else
			say("trace: %s\n", i == 0 ? "recording" : i == 1 ? "stopped" :
			    "dumping every core's rings (TRACE lines; tools/trace.py reads them)");
		return;
	}
	say("trace: usage: trace start|stop|dump\n");
}

static void cmd_stop(unsigned argc, char **argv)
{
	uint64_t core;
	if (argc != 2 || !number(argv[1], UINT32_MAX, &core)) {
		say("stop: usage: stop CORE\n");
		return;
	}
	if (core >= ncores) {
		say("stop: core %lu out of range (0-%u)\n", (unsigned long)core, ncores - 1);
		return;
	}
	err_t e = mon_stop_core((unsigned)core);
	if (e)
		say("stop: core %lu: %s%s%s\n", (unsigned long)core, err_str(e),
		    *mon_last_error() ? ": " : "", mon_last_error());
	else
		say("stopped core %lu\n", (unsigned long)core);
}

static void cmd_restart(unsigned argc, char **argv)
{
	uint64_t core;
	if (argc != 2 || !number(argv[1], UINT32_MAX, &core)) {
		say("restart: usage: restart CORE\n");
		return;
	}
	if (core >= ncores) {
		say("restart: core %lu out of range (0-%u)\n", (unsigned long)core, ncores - 1);
		return;
	}
	err_t e = mon_restart_core((unsigned)core);
	if (e)
		say("restart: core %lu: %s%s%s\n", (unsigned long)core, err_str(e),
		    *mon_last_error() ? ": " : "", mon_last_error());
	else
		say("restarted core %lu\n", (unsigned long)core);
}

/*
 * sleep MS: wait without reading the console; what is typed meanwhile
 * waits in the CPU driver's input buffer (1 KiB) and, once that is full,
 * in the UART and in QEMU (the console's flow control, cpudriver/coninput.c),
 * and the line editor gets all of it afterwards (test_shell's
 * shell.typed_while_asleep_kept_whole: 3000 bytes).
 */
#define SLEEP_MS_MAX 600000
static void cmd_sleep(unsigned argc, char **argv)
{
	uint64_t ms;
	if (argc != 2 || !number(argv[1], SLEEP_MS_MAX, &ms)) {
		say("sleep: usage: sleep MS (at most %u)\n", SLEEP_MS_MAX);
		return;
	}
	say("sleep: %lu ms without reading the console\n", (unsigned long)ms);
	thread_sleep_us(ms * 1000);     /* notifications (typed bytes) do not end it */
	say("sleep: done\n");
}

static void cmd_poweroff(unsigned argc, char **argv)
{
	(void)argc, (void)argv;
	say("powering off\n");
	err_t e = sys_poweroff();
	say("poweroff: %s\n", err_str(e));
}

static const struct command {
	const char *name;
	void (*run)(unsigned argc, char **argv);
	const char *help;
} commands[] = {
	{ "help", cmd_help, "this list" },
	{ "cores", cmd_cores, "each core: up or down, domains, load, free memory, topology" },
	{ "ps", cmd_ps, "[CORES]  domains per core: id, program, state, rights, frames, channels" },
	{ "spawn", cmd_spawn, "PROG CORES [args]  start PROG on CORES (all, 3, 1-3, 0,2-3)" },
	{ "kill", cmd_kill, "CORE:ID  end a domain (not a monitor, nor one with rights we lack)" },
	{ "names", cmd_names, "registered service names" },
	{ "channels", cmd_channels, "channels between domains and the cores they lead to" },
	{ "mem", cmd_mem, "free memory per core" },
	{ "bench", cmd_bench, "[all|sample]  the ping-pong between core pairs; prints the matrix" },
	{ "trace", cmd_trace, "start|stop|dump  record and print trace rings" },
	{ "stop", cmd_stop, "CORE  stop a core's CPU driver" },
	{ "restart", cmd_restart, "CORE  restart a stopped core" },
	{ "sleep", cmd_sleep, "MS  wait MS milliseconds without reading what is typed" },
	{ "poweroff", cmd_poweroff, "end the run" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void cmd_help(unsigned argc, char **argv)
{
	(void)argc, (void)argv;
	for (unsigned i = 0; i < NCOMMANDS; i++)
		say("  %-9s %s\n", commands[i].name, commands[i].help);
	say("  keys: left/right, up/down (history), Tab (complete), Ctrl-C, Ctrl-D\n");
}

static void run_line(char *line)
{
	char *argv[MAX_ARGS + 1];
	unsigned argc = split(line, argv);
	if (argc == 0)
		return;
	if (argc > MAX_ARGS) {
		say("too many words (at most %u)\n", MAX_ARGS);
		return;
	}
	argv[argc] = 0;
	for (unsigned i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[0], commands[i].name) == 0) {
			commands[i].run(argc, argv);
			return;
		}
	}
	say("%s: unknown command (try help)\n", argv[0]);
}

/* ---- completion --------------------------------------------------------- */

static void complete(void)
{
	char word[LE_LINE_MAX + 1];
	unsigned start = le.cur, nwords = 0;
	while (start && le.buf[start - 1] != ' ')
		start--;
	for (unsigned i = 0; i < start; i++)
		nwords += le.buf[i] != ' ' && (i == 0 || le.buf[i - 1] == ' ');
	unsigned wl = le.cur - start;
	memcpy(word, le.buf + start, wl);
	word[wl] = 0;
	const char *cand[MAX_PROGS + NCOMMANDS];
	unsigned n = 0;
	bool progs_wanted = nwords == 1 && strncmp(le.buf, "spawn ", 6) == 0;
	if (nwords == 0)
		for (unsigned i = 0; i < NCOMMANDS; i++)
			cand[n++] = commands[i].name;
	else if (progs_wanted)
		for (unsigned i = 0; i < nprogs; i++)
			cand[n++] = progs[i];
	const char *match[MAX_PROGS + NCOMMANDS];
	unsigned m = 0;
	for (unsigned i = 0; i < n; i++)
		if (strncmp(cand[i], word, wl) == 0)
			match[m++] = cand[i];
	if (!m)
		return;
	unsigned common = (unsigned)strlen(match[0]);
	for (unsigned i = 1; i < m; i++) {
		unsigned k = 0;
		while (k < common && match[i][k] == match[0][k])
			k++;
		common = k;
	}
	char add[LE_LINE_MAX + 2];
	unsigned an = common > wl ? common - wl : 0;
	memcpy(add, match[0] + wl, an);
	add[an] = 0;
	if (m == 1) {
		add[an++] = ' ';
		add[an] = 0;
	}
	if (m > 1 && !an) {
		say("\n");
		for (unsigned i = 0; i < m; i++)
			say("%s%s", match[i], i + 1 < m ? "  " : "\n");
		le_redraw(&le);
	}
	le_insert(&le, add);
	flush_editor();
}

/* ---- main loop ---------------------------------------------------------- */

static void load_programs(void)
{
	for (unsigned i = 0; nprogs < MAX_PROGS; i++) {
		char name[PROGRAM_NAME_MAX];
		if (sys_module_name(i, name) != ERR_OK)
			break;
		size_t nl = strlen(name);
		if ((nl > 9 && strcmp(name + nl - 9, ".manifest") == 0) || strcmp(name, "monitor") == 0)
			continue;
		memcpy(progs[nprogs++], name, PROGRAM_NAME_MAX);
	}
}

/* One typed byte; false when the shell should end. */
static bool feed(uint8_t c)
{
	enum le_event ev = le_feed(&le, c);
	flush_editor();
	switch (ev) {
	case LE_LINE: {
		char line[LE_LINE_MAX + 1];
		memcpy(line, le.buf, sizeof line);
		le_history_add(&le, line);
		run_line(line);
		le_new_line(&le);
		flush_editor();
		return true;
	}
	case LE_INTR:
		le_new_line(&le);
		flush_editor();
		return true;
	case LE_EOF:
		say("\nshell: end of input\n");
		return false;
	case LE_COMPLETE:
		complete();
		return true;
	default:
		return true;
	}
}

/* shell standby NAME: the first claim that is not refused busy (see the top). */
static int64_t standby(const char *name)
{
	uint8_t in[1];
	uint32_t core, dom;
	bool said = false;
	while (mon_lookup(name, &core, &dom) != ERR_OK)
		sys_wait(TICK_HZ / 10);
	for (;;) {
		int64_t n = sys_console_read(in, 0, 0);
		if (n != ERR_BUSY)
			return n;
		if (!said)
			printf("standby on core %u: the console is held by a running domain (%s); "
			       "waiting\n", libos_core_id(), err_str(ERR_BUSY));
		said = true;
		sys_wait(TICK_HZ / 10);
	}
}

int main(int argc, char **argv)
{
	uint8_t in[64];
	ncores = libos_ncores();
	load_programs();
	le_init(&le, PROMPT);
	if (argc == 2 || argc > 3 || (argc == 3 && strcmp(argv[1], "standby"))) {
		printf("usage: shell [standby NAME]\n");
		return 1;
	}
	int64_t n = argc == 3 ? standby(argv[2]) : sys_console_read(in, 0, 0);
	if (n < 0) {
		printf("cannot read the console: %s\n", err_str((err_t)n));
		return 1;
	}
	say("\nmultikernel shell on core %u: %u cores; type help\n", libos_core_id(), ncores);
	le_new_line(&le);
	flush_editor();
	for (;;) {
		unsigned k = ntypeahead;
		ntypeahead = 0;
		for (unsigned i = 0; i < k; i++)
			if (!feed(typeahead[i]))
				return 0;
		n = sys_console_read(in, sizeof in, WAIT_TICKS);
		if (n < 0) {
			say("shell: console: %s\n", err_str((err_t)n));
			return 1;
		}
		for (int64_t i = 0; i < n; i++)
			if (!feed(in[i]))
				return 0;
	}
}

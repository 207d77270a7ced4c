/*
 * lineedit.h: the shell's line editor, a pure state machine fed one typed
 * byte at a time (host-tested: tests/unit/test_lineedit.c).
 *
 * le_feed() edits the line and appends what the terminal must show to
 * le->out (echo, cursor moves, redraws); the caller writes le->out and sets
 * outlen to 0 after every call.  Keys: printable ASCII inserts at the
 * cursor; Backspace/DEL deletes before it; left/right move (ESC [ C/D or
 * ESC O C/D); up/down walk the history; Ctrl-A/Ctrl-E go home/end; Ctrl-U
 * clears the line; Ctrl-L redraws; Enter (CR, LF or CR LF) ends the line;
 * Ctrl-C abandons it; Ctrl-D on an empty line is end of input; Tab asks
 * the caller to complete.  Every other byte (other control characters,
 * unknown or overlong escape sequences, bytes >= 0x80) is ignored, and a
 * line never grows past LE_LINE_MAX characters: no input can overflow or
 * wedge the editor.
 */
#ifndef SHELL_LINEEDIT_H
#define SHELL_LINEEDIT_H

#define LE_LINE_MAX  160
#define LE_HISTORY   16
#define LE_OUT_MAX   1024
#define LE_ESC_MAX   16      /* bytes of one escape sequence before giving up */

enum le_event { LE_NONE, LE_LINE, LE_INTR, LE_EOF, LE_COMPLETE };

struct lineedit {
	const char *prompt;
	char buf[LE_LINE_MAX + 1];      /* the line, NUL-terminated */
	unsigned len, cur;              /* length, cursor */
	char hist[LE_HISTORY][LE_LINE_MAX + 1];
	unsigned nhist;                 /* lines ever added (newest at nhist-1) */
	int hpos;                       /* -1: editing; k: showing k-th newest */
	char saved[LE_LINE_MAX + 1];    /* the line being edited while browsing */
	unsigned esc, esclen;           /* escape-sequence state */
	int last_cr;
	char out[LE_OUT_MAX];
	unsigned outlen;
};

void le_init(struct lineedit *le, const char *prompt);
enum le_event le_feed(struct lineedit *le, unsigned char c);
/* Start a new empty line (after LE_LINE or LE_INTR) and show the prompt. */
void le_new_line(struct lineedit *le);
/* Remember a finished line (not empty, not equal to the newest). */
void le_history_add(struct lineedit *le, const char *line);
/* Insert text at the cursor (completion); characters past the limit are dropped. */
void le_insert(struct lineedit *le, const char *s);
/* Show the prompt and the line again, cursor in place (after other output). */
void le_redraw(struct lineedit *le);

#endif

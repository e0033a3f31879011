/*
 * editor.c - the line editor: Left/Right, Home/End (Ctrl-A/E), Ctrl-U,
 * Backspace, Delete, printable characters.
 */
#include "config.h"
#include "editor.h"

#include <stdio.h>
#include <string.h>

#include "tty.h"

void editor_set(struct editor *ed, const char *text)
{
	snprintf(ed->text, sizeof(ed->text), "%.*s", EDITOR_MAX, text);
	ed->cursor = strlen(ed->text);
}

enum editor_result editor_key(struct editor *ed, int k)
{
	size_t len = strlen(ed->text);

	switch (k) {
	case K_ENTER:
		return EDITOR_SUBMIT;
	case K_ESC:
		return EDITOR_CANCEL;
	case K_LEFT:
		if (ed->cursor > 0)
			ed->cursor--;
		return EDITOR_CHANGED;
	case K_RIGHT:
		if (ed->cursor < len)
			ed->cursor++;
		return EDITOR_CHANGED;
	case K_HOME:
	case 1: /* Ctrl-A */
		ed->cursor = 0;
		return EDITOR_CHANGED;
	case K_END:
	case 5: /* Ctrl-E */
		ed->cursor = len;
		return EDITOR_CHANGED;
	case 21: /* Ctrl-U */
		ed->text[0] = '\0';
		ed->cursor = 0;
		return EDITOR_CHANGED;
	case K_BACKSPACE:
		if (ed->cursor > 0) {
			memmove(ed->text + ed->cursor - 1, ed->text + ed->cursor,
			        len - ed->cursor + 1);
			ed->cursor--;
		}
		return EDITOR_CHANGED;
	case K_DELETE:
		if (ed->cursor < len)
			memmove(ed->text + ed->cursor, ed->text + ed->cursor + 1, len - ed->cursor);
		return EDITOR_CHANGED;
	default:
		if (k >= 0x20 && k < 0x7f && len < EDITOR_MAX) {
			memmove(ed->text + ed->cursor + 1, ed->text + ed->cursor,
			        len - ed->cursor + 1);
			ed->text[ed->cursor++] = (char)k;
			return EDITOR_CHANGED;
		}
		/* UTF-8 comes byte by byte: dropping them silently would turn
		 * bücher.de into bcher.de, another name, and probe it. A '?'
		 * marks the character (its first byte) so the entry cannot pass */
		if (k >= 0xc0 && k < 0x100 && len < EDITOR_MAX) {
			memmove(ed->text + ed->cursor + 1, ed->text + ed->cursor,
			        len - ed->cursor + 1);
			ed->text[ed->cursor++] = '?';
		}
		if (k >= 0x80 && k < 0x100)
			return EDITOR_REFUSED;
		return EDITOR_UNCHANGED;
	}
}

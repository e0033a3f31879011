/*
 * editor.h - the line editor of the add and edit prompts: pure text and a
 * cursor, no terminal, no dashboard. Its key function says what happened;
 * the caller decides what a submit means.
 *
 * Invariant: text is NUL-terminated, at most EDITOR_MAX bytes, printable
 * ASCII only; 0 <= cursor <= strlen(text).
 */
#ifndef SONAR_EDITOR_H
#define SONAR_EDITOR_H

#include <stddef.h>

#include "targets.h"

#define EDITOR_MAX TARGET_MAX

struct editor {
	char text[EDITOR_MAX + 1];
	size_t cursor;
};

/* What a key did to the editor. */
enum editor_result {
	EDITOR_UNCHANGED, /* nothing (a key the editor does not use) */
	EDITOR_CHANGED,   /* the text or the cursor moved */
	EDITOR_SUBMIT,    /* Enter: the text is done */
	EDITOR_CANCEL,    /* Esc: give up */
	EDITOR_REFUSED,   /* a non-ASCII character (no IDN): a '?' stands for it */
};

/* Start editing text (cut to EDITOR_MAX), the cursor at its end. */
void editor_set(struct editor *ed, const char *text);
/* Take one key (a tty.h K_* or a character). */
enum editor_result editor_key(struct editor *ed, int key);

#endif

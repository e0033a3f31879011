/*
 * prompt.h - the add and edit prompts: the line editor (editor.c) opened
 * for a or e, what its submit does (add a target, or rename the selected
 * one), and pasted text, which is for the prompt only: a paste of several
 * lines into the add prompt adds each line.
 */
#ifndef SONAR_DASH_PROMPT_H
#define SONAR_DASH_PROMPT_H

#include <stdbool.h>

#include "state.h"

/* a: open the line editor to add a target. */
void prompt_add(struct dash *d);
/* e: open it on the selected target's name, to rename that target. */
void prompt_edit(struct dash *d);
/* C: open it on the column set (letters), to choose the columns. */
void prompt_columns(struct dash *d);
/*
 * Take key k when it is the prompt's: while the editor is open, and every
 * key of a paste (its begin and end markers included). false: a command
 * key for the key table.
 */
bool prompt_take(struct dash *d, int k);

#endif

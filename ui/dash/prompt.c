/*
 * prompt.c - the line editor's owner: it opens the editor for a (add) and e
 * (edit), turns a submit into a new target or a renamed one, and takes
 * pasted text.
 *
 * States: closed (d->prompt NULL), open to add, open to edit (d->editing);
 * and, across them, pasting (between the paste's begin and end markers).
 * A paste never runs commands: with the editor closed it is dropped; in the
 * add prompt each line is submitted and the prompt opens again for the
 * next; an edit takes one line. Refused lines are counted and said once,
 * when the paste ends.
 */
#include "config.h"
#include "prompt.h"

#include <stdio.h>
#include <string.h>

#include "columns.h"
#include "conffile.h"
#include "rows.h"
#include "target_url.h"
#include "tty.h"

/* Open the line editor. */
static void open_prompt(struct dash *d, const char *label, const char *text, bool editing)
{
	d->prompt = label;
	d->editing = editing;
	editor_set(&d->ed, text);
	d->dirty = true;
}

static const char columns_label[] = "Columns (letters LSRNABWVJMPQU or names): ";

/* Enter in the columns prompt: the new column set, saved as the
 * configuration's `columns` (the next start shows them too), or why not
 * (the editor stays open to fix it). */
static bool submit_columns(struct dash *d, const char *spec)
{
	char why[300], letters[COL_COUNT + 1], path[4096];

	if (columns_parse(spec, &d->columns, why, sizeof(why)) < 0) {
		say(d, true, "%s", why);
		return false;
	}
	d->prompt = NULL;
	columns_format(&d->columns, letters, sizeof(letters));
	if (conffile_store("columns", letters, path, sizeof(path), why, sizeof(why)) < 0)
		say(d, true, "columns: %s (not saved: %s)", letters, why);
	else
		say(d, false, "columns: %s, saved in %s", letters, path);
	return true;
}

/* Enter in the line editor: add or rename a target (spaces around the
 * name are not part of it; a host, tcp://HOST:PORT or udp://HOST:PORT).
 * False when the name was refused. */
static bool submit_prompt(struct dash *d)
{
	char s[sizeof(d->ed.text)], why[160];
	struct target_url u;
	size_t len;
	struct row *r;
	const char *p = d->ed.text;

	while (*p == ' ' || *p == '\t')
		p++;
	snprintf(s, sizeof(s), "%s", p);
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
	if (!*s) {
		d->prompt = NULL;
		return true;
	}
	if (d->prompt == columns_label)
		return submit_columns(d, s);
	/* refused, the editor stays open to fix it */
	if (target_url_parse(s, &u, why, sizeof(why)) < 0) {
		say(d, true, "'%.80s': %s", s, why);
		return false;
	}
	if (u.protocol == SONAR_PROTO_ICMP && !sonar_is_hostname(s) && !sonar_is_ipv4_address(s) &&
	    !sonar_is_ipv6_address(s)) {
		say(d, true, "'%s' is not a host name or an address", s);
		return false;
	}
	d->prompt = NULL;
	if (d->editing && (r = rows_selected(d))) {
		rows_rename(d, r, s);
		say(d, false, "now probing %s", s);
	} else {
		struct row *by = rows_selected(d);
		int section = by ? by->section : -1;

		if (!(r = rows_add(d, s)))
			return true;
		r->section = section; /* in the group of the row it was added by */
		d->sel_key = r->key;
		say(d, false, "added %s", s);
	}
	return true;
}

/* A key in the line editor. */
static void edit_key(struct dash *d, int k)
{
	switch (editor_key(&d->ed, k)) {
	case EDITOR_SUBMIT:
		submit_prompt(d);
		break;
	case EDITOR_CANCEL:
		d->prompt = NULL;
		break;
	case EDITOR_REFUSED:
		say(d, true, "only ASCII: type an international name in its xn-- (punycode) form");
		break;
	case EDITOR_CHANGED:
	case EDITOR_UNCHANGED:
		break;
	}
	d->dirty = true;
}

/*
 * A key that was pasted: text for the line editor only, never a command.
 * In the add prompt each line is a target (Enter adds it and the prompt
 * opens again for the next line); without a prompt the paste is dropped.
 */
static void pasted_key(struct dash *d, int k)
{
	if (!d->prompt) {
		say(d, true, "pasted text is for the prompt: press a, then paste");
		return;
	}
	if (k == K_ENTER) {
		bool adding = !d->editing;

		if (!d->ed.text[0])
			return; /* an empty line */
		if (!submit_prompt(d)) {
			/* refused: counted, said when the paste ends; next line */
			if (d->paste_refused++ == 0) {
				size_t n = strlen(d->ed.text);

				if (n >= sizeof(d->paste_first_refused))
					n = sizeof(d->paste_first_refused) - 1;
				memcpy(d->paste_first_refused, d->ed.text, n);
				d->paste_first_refused[n] = '\0';
			}
			editor_set(&d->ed, "");
		} else {
			d->paste_added++;
			if (adding)
				open_prompt(d, "Add target: ", "", false);
			else if (d->prompt == NULL)
				d->pasting = false; /* an edit takes one line */
		}
		return;
	}
	if (k == K_ESC || (k & K_ALT) || k >= 0x10000 || k < 0x20)
		return; /* no editing keys inside a paste */
	edit_key(d, k);
}

void prompt_add(struct dash *d)
{
	open_prompt(d, "Add target: ", "", false);
}

void prompt_edit(struct dash *d)
{
	struct row *r = rows_selected(d);

	if (r)
		open_prompt(d, "Edit target: ", r->name, true);
}

void prompt_columns(struct dash *d)
{
	char letters[COL_COUNT + 1];

	open_prompt(d, columns_label, columns_format(&d->columns, letters, sizeof(letters)), false);
}

bool prompt_take(struct dash *d, int k)
{
	if (k == K_PASTE_BEGIN) {
		d->pasting = true;
		d->paste_added = d->paste_refused = 0;
		return true;
	}
	/* the end of a paste, or a lone Esc if its end marker was lost (the
	 * Esc then does what Esc does) */
	if (k == K_PASTE_END || (d->pasting && k == K_ESC)) {
		if (d->pasting && d->paste_refused)
			say(d, true, "%d added, %d refused (the first: '%s')", d->paste_added,
			    d->paste_refused, d->paste_first_refused);
		d->pasting = false;
		if (k == K_PASTE_END)
			return true;
	}
	if (d->pasting) {
		pasted_key(d, k);
		return true;
	}
	if (d->prompt) {
		edit_key(d, k);
		return true;
	}
	return false;
}

/*
 * cells.c - strings as terminal cells (UTF-8 decoded here, strictly: no
 * overlong forms, no surrogates, nothing past U+10FFFF), and the drawing
 * primitives every screen uses on the canvas.
 */
#include "config.h"
#include "cells.h"

#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "format.h"
#include "model.h"

/* The character at s: its code point and byte length; -1 when s does not
 * start with one (a stray or cut byte). */
static int32_t decode(const unsigned char *s, size_t *len)
{
	static const int32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
	int32_t cp;
	size_t n, i;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return -1;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1; /* also the NUL of a cut string */
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*len = n;
	return cp;
}

/*
 * The character at p: its byte length and columns; false when a '?' (one
 * column) stands for it instead (not printable here, or not UTF-8).
 */
static bool step(const unsigned char *p, bool utf8, size_t *len, int *cols)
{
	int32_t cp = decode(p, len);

	*cols = 1;
	if (cp < 0x20 || cp == 0x7f) /* also -1: a byte that is not UTF-8 */
		return false;
	if (cp < 0x7f)
		return true;
	if (!utf8 || cp < 0xa0) /* an ASCII terminal, or a C1 control */
		return false;
	*cols = wcwidth((wchar_t)cp);
	if (*cols < 0) {
		*cols = 1;
		return false;
	}
	return true;
}

int cells_width(const char *s, bool utf8)
{
	const unsigned char *p = (const unsigned char *)s;
	int cols = 0;

	while (*p) {
		size_t len;
		int w;

		step(p, utf8, &len, &w);
		cols += w;
		p += len;
	}
	return cols;
}

int cells_fit(const char *s, int n, bool utf8, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used = 0;
	int cols = 0;

	if (cap == 0)
		return 0;
	while (*p) {
		size_t len;
		int w;
		bool shown = step(p, utf8, &len, &w);
		size_t bytes = shown ? len : 1;

		if (cols + w > n || used + bytes >= cap)
			break;
		memcpy(out + used, shown ? (const void *)p : "?", bytes);
		used += bytes;
		cols += w;
		p += len;
	}
	out[used] = '\0';
	return cols;
}

int cells_text(const struct canvas *c, int y, int x, int n, const char *s, enum slot slot)
{
	char buf[2048];
	int cols;

	if (n <= 0 || x >= c->w)
		return 0;
	if (x + n > c->w)
		n = c->w - x;
	cols = cells_fit(s, n, c->utf8, buf, sizeof(buf));
	c->put(c->ctx, y, x, buf, cols, slot);
	return cols;
}

void cells_rtext(const struct canvas *c, int y, int x, int n, const char *s, enum slot slot)
{
	int len = cells_width(s, c->utf8);

	cells_text(c, y, x + (len < n ? n - len : 0), n, s, slot);
}

void cells_bar(const struct canvas *c, int y, enum slot slot)
{
	char buf[1024];
	int n = c->w < (int)sizeof(buf) - 1 ? c->w : (int)sizeof(buf) - 1;

	memset(buf, ' ', (size_t)n);
	buf[n] = '\0';
	c->put(c->ctx, y, 0, buf, n, slot);
}

const char *cells_glyph(float cell, bool utf8, enum slot *slot)
{
	static const char *const blocks[] = {"\u2581", "\u2582", "\u2584", "\u2586", "\u2588"};
	static const char *const ascii[] = {".", ":", "-", "=", "#"};
	int band;

	if (cell == CELL_LOST) {
		*slot = SLOT_LOST;
		return utf8 ? "\u00d7" : "x";
	}
	if (cell == CELL_ERROR) {
		*slot = SLOT_ERROR;
		return "!";
	}
	band = latency_band(cell);
	*slot = (enum slot)(SLOT_HIST1 + band - 1);
	return utf8 ? blocks[band - 1] : ascii[band - 1];
}

/*
 * snapshot.c - screen snapshots for the view tests: a view drawn on a grid
 * of cells (no terminal), as text and slots, compared with
 * tests/unit/snapshots/NAME.txt (snapshot.h says how).
 */
#include "config.h"
#include "snapshot.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

/* The slots as one letter each, for the style half of a snapshot. */
static const char slot_letters[SLOT_COUNT + 1] = "THrSspmEhgwbL12345dACDFGIJKX";
#define SLOT_LEGEND                                                                                \
	"-- slots: T title H header r row S selected s status p prompt m message E error h help "  \
	"g good w warning b bad L lost 1-5 history d dim A C D F G I J K series-1 to 8 "           \
	"X alert\n"

/*
 * The next character of s: its bytes (*len) and columns (wcwidth, in the
 * test's UTF-8 locale). Bytes that are not UTF-8 come back as U+FFFD, so a
 * view that cuts a character in two is seen in the snapshot.
 */
static const char *next_glyph(const char *s, size_t *len, int *cols, char *buf)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;

	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, strlen(s), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*len = 1;
		*cols = 1;
		return "\xef\xbf\xbd";
	}
	*len = n;
	*cols = wcwidth(wc);
	if (*cols < 0) { /* a control character reached the terminal */
		*cols = 1;
		return "^";
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* canvas put: the glyphs, clipped to the grid, each in its slot. */
static void grid_put(void *ctx, int y, int x, const char *text, int ncols, enum slot slot)
{
	struct grid *g = ctx;

	(void)ncols;
	if (y < 0 || y >= g->h)
		return;
	while (*text) {
		char buf[8];
		size_t len;
		int cols;
		const char *glyph = next_glyph(text, &len, &cols, buf);

		text += len;
		if (cols == 0 && x > 0 && x <= g->w) { /* a combining mark */
			struct cell *prev = &g->cell[y][x - 1];

			if (strlen(prev->g) + strlen(glyph) < sizeof(prev->g))
				strcat(prev->g, glyph);
			continue;
		}
		if (x >= 0 && x + cols <= g->w) {
			snprintf(g->cell[y][x].g, sizeof(g->cell[y][x].g), "%s", glyph);
			g->cell[y][x].slot = (int)slot;
			if (cols == 2) {
				g->cell[y][x + 1].g[0] = '\0';
				g->cell[y][x + 1].slot = (int)slot;
			}
		}
		x += cols;
	}
}

/* canvas cursor */
static void grid_cursor(void *ctx, int y, int x)
{
	struct grid *g = ctx;

	g->cursor_y = y;
	g->cursor_x = x;
}

/* Draw v on a w x h grid (utf8: the terminal takes UTF-8 glyphs). */
struct grid *snapshot_draw(const struct view *v, int w, int h, bool utf8)
{
	static struct grid g;
	struct canvas c;
	int y, x;

	memset(&g, 0, sizeof(g));
	g.w = w;
	g.h = h;
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			snprintf(g.cell[y][x].g, sizeof(g.cell[y][x].g), " ");
			g.cell[y][x].slot = -1;
		}
	memset(&c, 0, sizeof(c));
	c.w = w;
	c.h = h;
	c.utf8 = utf8;
	c.put = grid_put;
	c.cursor = grid_cursor;
	c.ctx = &g;
	view_draw(v, &c);
	return &g;
}

/* The grid's text, each line without its trailing spaces. */
size_t snapshot_text(const struct grid *g, char *out, size_t cap)
{
	size_t n = 0;
	int y, x;

	for (y = 0; y < g->h; y++) {
		size_t start = n;
		size_t end = n; /* after the last cell that is not a space */

		for (x = 0; x < g->w; x++) {
			n += (size_t)snprintf(out + n, cap - n, "%s", g->cell[y][x].g);
			if (strcmp(g->cell[y][x].g, " ") != 0)
				end = n;
		}
		n = end > start ? end : start;
		n += (size_t)snprintf(out + n, cap - n, "\n");
	}
	return n;
}

/* The text, then the slot of every cell as a letter (' ' unwritten). */
void snapshot_render(const struct grid *g, char *out, size_t cap)
{
	size_t n = snapshot_text(g, out, cap);
	int y, x;

	n += (size_t)snprintf(out + n, cap - n, "%s", SLOT_LEGEND);
	for (y = 0; y < g->h; y++) {
		int end = g->w;

		while (end > 0 && g->cell[y][end - 1].slot < 0)
			end--;
		for (x = 0; x < end; x++) {
			int s = g->cell[y][x].slot;

			out[n++] = s < 0 || s >= SLOT_COUNT ? ' ' : slot_letters[s];
		}
		out[n++] = '\n';
	}
	out[n] = '\0';
}

/* Compare what was drawn (text) with the snapshot NAME. */
static void compare(const char *name, const char *text)
{
	static char want[SNAP_TEXT_MAX];
	char path[512];
	size_t got;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/unit/snapshots/%s.txt", TOP_SRCDIR, name);
	if (getenv("SONAR_UPDATE_SNAPSHOTS") &&
	    strcmp(getenv("SONAR_UPDATE_SNAPSHOTS"), "1") == 0) {
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
		return;
	}
	f = fopen(path, "r");
	got = f ? fread(want, 1, sizeof(want) - 1, f) : 0;
	if (f)
		fclose(f);
	want[got] = '\0';
	if (strcmp(text, want) != 0) {
		snprintf(path, sizeof(path), "%s.txt.new", name);
		f = fopen(path, "w");
		if (f) {
			fputs(text, f);
			fclose(f);
		}
		print_error("snapshot %s differs: see %s\n", name, path);
	}
	assert_string_equal(text, want);
}

/* Draw v on a w x h canvas and compare it, text and slots, with NAME. */
void snapshot_as(const char *name, const struct view *v, int w, int h, bool utf8)
{
	static char text[SNAP_TEXT_MAX];

	snapshot_render(snapshot_draw(v, w, h, utf8), text, sizeof(text));
	compare(name, text);
}

/* The same on an ASCII terminal (LANG=C). */
void snapshot(const char *name, const struct view *v, int w, int h)
{
	snapshot_as(name, v, w, h, false);
}

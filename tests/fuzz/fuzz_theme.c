/*
 * fuzz_theme.c - libFuzzer: the theme parser on any text.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t;
	char err[256];

	theme_parse((const char *)data, size, "fuzz.theme", &t, err, sizeof(err));
	return 0;
}

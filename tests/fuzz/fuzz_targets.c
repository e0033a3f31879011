/*
 * fuzz_targets.c - libFuzzer: the targets file parser on any bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct target_list l = {0};
	char err[512];
	FILE *f;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	targets_read_stream(f, "fuzz", &l, err, sizeof(err));
	fclose(f);
	targets_free(&l);
	return 0;
}

/*
 * fuzz_targets.c - libFuzzer: the targets file parser on any bytes, as
 * sonar multiping reads it and as the dashboard does (its URL check, and
 * its layout: [groups], comments, what follows a target).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "target_url.h"
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	int pass;

	if (size == 0)
		return 0;
	for (pass = 0; pass < 3; pass++) {
		struct target_list l = {0};
		FILE *f = fmemopen((void *)data, size, "r");

		if (!f)
			return 0;
		if (pass >= 1)
			l.check = target_url_check;
		l.layout = pass == 2;
		targets_read_stream(f, "fuzz", &l, err, sizeof(err));
		fclose(f);
		targets_free(&l);
	}
	return 0;
}

/*
 * fuzz_cli.c - libFuzzer: the command line parser. The input is split at
 * NUL bytes into arguments (at most 32) and parsed as a subcommand's options
 * would be; nothing is started.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* No usage text in the fuzzer's output. */
static void quiet_usage(FILE *f)
{
	(void)f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[34];
	int argc = 1;
	size_t i, start = 0;
	struct sonar_options o;
	struct cli_common cc = {PRIV_AUTO, FORMAT_TEXT, false, NULL};

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "sonar";
	for (i = 0; i <= size && argc < 33; i++) {
		if (i == size || buf[i] == '\0') {
			argv[argc++] = buf + start;
			start = i + 1;
		}
	}
	argv[argc] = NULL;
	sonar_ping_defaults(&o);
	cli_parse(argc, argv, "fuzz", NULL, NULL, NULL, NULL, quiet_usage, &o, &cc);
	free(cc.payload);
	free(buf);
	return 0;
}

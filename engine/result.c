/*
 * result.c - the one owner of an operation's results and of where RTTs are
 * stored.
 *
 * An op that keeps its results and has a count gets one block with a row of
 * count RTTs for each of its first rtt_block_n targets (10,000 targets: one
 * allocation, not 10,000). A target in the block writes its RTTs into its
 * row and its finished result points at the same row; any other target's
 * RTTs (continuous ops, targets added later) are its own allocation, and
 * its result gets a copy. Nobody else asks whether a pointer is in the
 * block: they call result_rtts_free().
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

bool result_rtts_shared(const struct op *op, const double *rtts)
{
	return op->rtt_block && rtts && rtts >= op->rtt_block &&
	       rtts < op->rtt_block + op->rtt_block_n * (size_t)op->opt.count;
}

void result_rtts_free(const struct op *op, double *rtts)
{
	if (!result_rtts_shared(op, rtts))
		free(rtts);
}

int result_blocks(struct op *op, size_t n)
{
	free(op->rtt_block);
	op->rtt_block = NULL;
	op->rtt_block_n = 0;
	if (!op->results_owned || op->opt.count <= 0 || n == 0)
		return 0;
	op->rtt_block = calloc(n * (size_t)op->opt.count, sizeof(double));
	if (!op->rtt_block)
		return -1;
	op->rtt_block_n = n;
	return 0;
}

double *result_rtt_row(struct op *op, size_t index)
{
	if (index >= op->rtt_block_n)
		return NULL;
	return op->rtt_block + index * (size_t)op->opt.count;
}

void result_write(struct target *t)
{
	struct op *op = t->op;
	struct sonar_host *h = &op->results[t->index];

	if (!t->st.n && !t->error && t->sent)
		t->error = SONAR_ETIMEOUT;
	result_rtts_free(op, h->rtts);
	target_host(t, h, true);
	/* the result holds the RTTs now (a copy, or the same row) */
	result_rtts_free(op, t->rtts);
	t->rtts = NULL;
	t->rtts_cap = 0;
}

void result_clear(struct op *op, size_t index)
{
	struct sonar_host *h = &op->results[index];

	result_rtts_free(op, h->rtts);
	memset(h, 0, sizeof(*h));
}

void results_free(struct op *op)
{
	size_t i;

	for (i = 0; op->results_owned && op->results && i < op->n; i++)
		result_rtts_free(op, op->results[i].rtts);
	if (op->results_owned)
		free(op->results);
	op->results = NULL;
	free(op->rtt_block);
	op->rtt_block = NULL;
	op->rtt_block_n = 0;
}

/*
 * result.c - the one owner of an operation's results and of where RTTs are
 * stored.
 *
 * An op that keeps its results and has a count gets one block with a row of
 * count RTTs for each of its first rtt_block_n targets (10,000 targets: one
 * allocation, not 10,000). Target i < rtt_block_n writes its RTTs into row
 * i, and its finished result points at the same row (a trace's report may
 * move results to lower indexes: every trace result is a row); any other
 * target's RTTs (continuous ops, targets added later) are its own
 * allocation, and its result gets a copy. The index decides, here only.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "internal.h"

bool result_rtts_shared(const struct op *op, size_t index)
{
	return index < op->rtt_block_n;
}

void result_rtts_free(const struct op *op, size_t index, double *rtts)
{
	if (!result_rtts_shared(op, index))
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

	/* nothing answered and something timed out (not merely stopped) */
	if (!t->st.n && !t->error && t->sent > t->outstanding)
		t->error = SONAR_ETIMEOUT;
	result_rtts_free(op, t->index, h->rtts);
	target_host(t, h, true);
	/* the result holds the RTTs now (a copy, or the same row) */
	result_rtts_free(op, t->index, t->rtts);
	t->rtts = NULL;
	t->rtts_cap = 0;
}

void result_clear(struct op *op, size_t index)
{
	struct sonar_host *h = &op->results[index];

	result_rtts_free(op, index, h->rtts);
	memset(h, 0, sizeof(*h));
}

void results_free(struct op *op)
{
	size_t i;

	for (i = 0; op->results_owned && op->results && i < op->n; i++)
		result_rtts_free(op, i, op->results[i].rtts);
	if (op->results_owned)
		free(op->results);
	op->results = NULL;
	free(op->rtt_block);
	op->rtt_block = NULL;
	op->rtt_block_n = 0;
}

void sonar_host_clear(struct sonar_host *h)
{
	if (!h)
		return;
	free(h->rtts);
	free((struct sonar_mpls *)h->mpls);
	memset(h, 0, sizeof(*h));
}

int sonar_host_copy(struct sonar_host *dst, const struct sonar_host *src)
{
	size_t bytes =
	    src->rtts && src->rtts_count > 0 ? (size_t)src->rtts_count * sizeof(double) : 0;

	*dst = *src;
	dst->rtts = NULL;
	dst->rtts_count = 0;
	dst->mpls = NULL;
	dst->mpls_count = 0;
	if (src->mpls && src->mpls_count > 0) {
		size_t mb = (size_t)src->mpls_count * sizeof(*src->mpls);
		struct sonar_mpls *m = malloc(mb);

		if (!m)
			return error_set(SONAR_ENOMEM, "Out of memory");
		memcpy(m, src->mpls, mb);
		dst->mpls = m;
		dst->mpls_count = src->mpls_count;
	}
	if (!bytes)
		return 0;
	dst->rtts = malloc(bytes);
	if (!dst->rtts)
		return error_set(SONAR_ENOMEM, "Out of memory");
	memcpy(dst->rtts, src->rtts, bytes);
	dst->rtts_count = src->rtts_count;
	return 0;
}

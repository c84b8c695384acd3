#include "core/counters.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "proto/gtpc.h"

struct vpg_counters vpg_counters;

static const char *const ctr_names[VPG_CTR__COUNT] = {
#define VPG_CTR_NAME(name, text) [VPG_CTR_##name] = text,
	VPG_CTR_LIST(VPG_CTR_NAME)
#undef VPG_CTR_NAME
};

const char *
counters_name(enum vpg_ctr c)
{
	return (unsigned)c < VPG_CTR__COUNT ? ctr_names[c] : "invalid";
}

uint64_t
counters_total_drops(void)
{
	uint64_t sum = 0;

	for (int i = 1; i < VPG_DROP__COUNT; i++)
		sum += vpg_counters.drop[i];
	return sum;
}

static void
print_by_type(FILE *out, const char *prefix, const uint64_t *table)
{
	for (int t = 0; t < 256; t++)
		if (table[t] != 0)
			fprintf(out, "%s.%s %" PRIu64 "\n", prefix, gtpc_type_name((uint8_t)t),
			    table[t]);
}

static void
print_all(FILE *out, uint64_t sessions_active)
{
	fprintf(out, "counters begin\n");
	fprintf(out, "sessions_active %" PRIu64 "\n", sessions_active);
	for (int i = 0; i < VPG_CTR__COUNT; i++)
		fprintf(out, "%s %" PRIu64 "\n", ctr_names[i], vpg_counters.ctr[i]);
	for (int i = 1; i < VPG_DROP__COUNT; i++)
		fprintf(out, "drop.%s %" PRIu64 "\n", vpg_drop_name(i), vpg_counters.drop[i]);
	print_by_type(out, "gtpc_rx", vpg_counters.gtpc_rx);
	print_by_type(out, "gtpc_tx", vpg_counters.gtpc_tx);
	for (int c = 0; c < 256; c++)
		if (vpg_counters.gtpc_tx_cause[c] != 0)
			fprintf(out, "gtpc_tx_cause.%d %" PRIu64 "\n", c,
			    vpg_counters.gtpc_tx_cause[c]);
	fprintf(out, "counters end\n");
}

/*
 * The block goes out in one write: stdout and the log often share a file,
 * and a log line written between two of stdio's buffer-sized writes would
 * land inside the block.
 */
void
counters_print(FILE *out, uint64_t sessions_active)
{
	char *buf = NULL;
	size_t len = 0, done = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (mem == NULL) {
		print_all(out, sessions_active);
		fflush(out);
		return;
	}
	print_all(mem, sessions_active);
	fclose(mem);
	fflush(out);
	while (done < len) {
		ssize_t n = write(fileno(out), buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	free(buf);
}

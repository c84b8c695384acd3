/*
 * Passes every frame: for the far end of a veth in the tests. XDP_TX and
 * XDP_REDIRECT into a veth deliver only when its peer has an XDP program
 * (or GRO on), so the test namespaces load this one on their ends.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int
xdp_pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

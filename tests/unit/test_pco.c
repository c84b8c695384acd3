/*
 * Unit tests for src/proto/pco.c, Protocol Configuration Options (TS 24.008
 * §10.5.6.3).
 *
 * Each vector below was put as the value of the PCO IE (132) of a GTPv1-C
 * Create PDP Context Request (requests) or Response (answers), written to a
 * pcap as UDP/2123 (python3-scapy) and decoded by tshark 4.0.17 (`tshark -V`)
 * as the comment above it says, with `tshark -q -z expert` empty.
 * sgsnemu_pap_only is what sgsnemu 1.9 (Debian osmo-ggsn) sends, captured on
 * the loopback of a network namespace with dumpcap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "proto/pco.h"

/*
 * tshark: PPP for use with IP PDP type; IPCP (0x8021) Configuration Request
 * id 0 with Primary and Secondary DNS 0.0.0.0; DNS Server IPv4 Address
 * Request (0x000d); DNS Server IPv6 Address Request (0x0003); IP address
 * allocation via NAS signalling (0x000a); IPv4 Link MTU Request (0x0010).
 */
static const uint8_t device_request[] = { 0x80, 0x80, 0x21, 0x10, 0x01, 0x00, 0x00, 0x10, 0x81,
	0x06, 0x00, 0x00, 0x00, 0x00, 0x83, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x00,
	0x03, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x10, 0x00 };

/*
 * tshark: DNS Server IPv4 Address (0x000d) 100.64.0.53; the same 192.0.2.53;
 * IPCP Configuration Nak id 0, Primary DNS 100.64.0.53, Secondary DNS
 * 192.0.2.53; IPv4 Link MTU (0x0010) 1500 octets.
 */
static const uint8_t full_answer[] = { 0x80, 0x00, 0x0d, 0x04, 0x64, 0x40, 0x00, 0x35, 0x00, 0x0d,
	0x04, 0xc0, 0x00, 0x02, 0x35, 0x80, 0x21, 0x10, 0x03, 0x00, 0x00, 0x10, 0x81, 0x06, 0x64,
	0x40, 0x00, 0x35, 0x83, 0x06, 0xc0, 0x00, 0x02, 0x35, 0x00, 0x10, 0x02, 0x05, 0xdc };

/*
 * tshark: PAP (0xc023) Authenticate-Request id 1, Peer-ID "mig", Password
 * "hemmelig"; IPCP Configuration Request id 42 with Primary DNS 0.0.0.0 only.
 */
static const uint8_t pap_ipcp_primary[] = { 0x80, 0xc0, 0x23, 0x11, 0x01, 0x01, 0x00, 0x11, 0x03,
	0x6d, 0x69, 0x67, 0x08, 0x68, 0x65, 0x6d, 0x6d, 0x65, 0x6c, 0x69, 0x67, 0x80, 0x21, 0x0a,
	0x01, 0x2a, 0x00, 0x0a, 0x81, 0x06, 0x00, 0x00, 0x00, 0x00 };

/* tshark: IPCP Configuration Nak id 42, Primary DNS 100.64.0.53. */
static const uint8_t primary_nak_answer[] = { 0x80, 0x80, 0x21, 0x0a, 0x03, 0x2a, 0x00, 0x0a, 0x81,
	0x06, 0x64, 0x40, 0x00, 0x35 };

/* sgsnemu 1.9's only container: PAP with its default user "mig". */
static const uint8_t sgsnemu_pap_only[] = { 0x80, 0xc0, 0x23, 0x11, 0x01, 0x01, 0x00, 0x11, 0x03,
	0x6d, 0x69, 0x67, 0x08, 0x68, 0x65, 0x6d, 0x6d, 0x65, 0x6c, 0x69, 0x67 };

static uint32_t
addr_be(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	const uint8_t o[4] = { a, b, c, d };
	uint32_t v;

	memcpy(&v, o, sizeof(v));
	return v;
}

static struct pco_offer
two_dns_offer(void)
{
	struct pco_offer o = { .n_dns = 2, .link_mtu = 1500 };

	o.dns_be[0] = addr_be(100, 64, 0, 53);
	o.dns_be[1] = addr_be(192, 0, 2, 53);
	return o;
}

static void
assert_asks_nothing(const struct pco_request *req)
{
	assert_false(req->dns_v4);
	assert_false(req->ipcp_dns);
	assert_int_equal(req->ipcp_id, 0);
	assert_false(req->link_mtu_v4);
}

/* A request of octet 3 then one IPCP container holding the PPP packet ppp. */
static size_t
mk_ipcp_request(uint8_t *out, const uint8_t *ppp, uint8_t len)
{
	out[0] = 0x80;
	out[1] = 0x80;
	out[2] = 0x21;
	out[3] = len;
	memcpy(out + 4, ppp, len);
	return 4u + len;
}

static void
test_pco_parse_device_request_reads_all_three(void **state)
{
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(device_request, sizeof(device_request), &req), 0);
	assert_true(req.dns_v4);
	assert_true(req.ipcp_dns);
	assert_int_equal(req.ipcp_id, 0);
	assert_true(req.link_mtu_v4);
}

static void
test_pco_parse_pap_then_ipcp_primary_reads_ipcp_id(void **state)
{
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(pap_ipcp_primary, sizeof(pap_ipcp_primary), &req), 0);
	assert_true(req.ipcp_dns);
	assert_int_equal(req.ipcp_id, 42);
	assert_false(req.dns_v4);
	assert_false(req.link_mtu_v4);
}

static void
test_pco_parse_sgsnemu_pap_only_asks_nothing(void **state)
{
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(sgsnemu_pap_only, sizeof(sgsnemu_pap_only), &req), 0);
	assert_asks_nothing(&req);
}

static void
test_pco_parse_octet3_only_asks_nothing(void **state)
{
	static const uint8_t v[] = { 0x80 };
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(v, sizeof(v), &req), 0);
	assert_asks_nothing(&req);
}

static void
test_pco_parse_empty_malformed(void **state)
{
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(device_request, 0, &req), -1);
	assert_asks_nothing(&req);
}

static void
test_pco_parse_other_protocol_malformed(void **state)
{
	uint8_t v[sizeof(device_request)];
	struct pco_request req;

	(void)state;
	memcpy(v, device_request, sizeof(v));
	v[0] = 0x81; /* configuration protocol 1: none is defined but PPP */
	assert_int_equal(pco_parse(v, sizeof(v), &req), -1);
	assert_asks_nothing(&req);
}

static void
test_pco_parse_ext_bit_clear_accepted(void **state)
{
	uint8_t v[sizeof(device_request)];
	struct pco_request req;

	(void)state;
	memcpy(v, device_request, sizeof(v));
	v[0] = 0x00;
	assert_int_equal(pco_parse(v, sizeof(v), &req), 0);
	assert_true(req.dns_v4);
}

static void
test_pco_parse_container_past_end_malformed_and_cleared(void **state)
{
	uint8_t v[sizeof(device_request)];
	struct pco_request req;

	(void)state;
	memcpy(v, device_request, sizeof(v));
	v[sizeof(v) - 1] = 1; /* the last container, 0x0010, claims one octet more */
	assert_int_equal(pco_parse(v, sizeof(v), &req), -1);
	/* The containers read before it do not survive the refusal. */
	assert_asks_nothing(&req);
}

static void
test_pco_parse_every_truncation_malformed(void **state)
{
	static const size_t ends[] = { 1, 20, 23, 26, 29 }; /* container boundaries */
	struct pco_request req;
	size_t len, i;

	(void)state;
	for (len = 1; len < sizeof(device_request); len++) {
		int want = -1;

		for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
			if (ends[i] == len)
				want = 0;
		assert_int_equal(pco_parse(device_request, len, &req), want);
	}
}

static void
test_pco_parse_request_with_contents_still_asks(void **state)
{
	static const uint8_t v[] = { 0x80, 0x00, 0x0d, 0x01, 0xff, 0x00, 0x10, 0x02, 0x05, 0xdc };
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(v, sizeof(v), &req), 0);
	assert_true(req.dns_v4);
	assert_true(req.link_mtu_v4);
}

static void
test_pco_parse_ipcp_without_dns_options_not_asked(void **state)
{
	/* RFC 1332 §3.3 IP-Address 0.0.0.0 only. */
	static const uint8_t ppp[] = { 0x01, 0x07, 0x00, 0x0a, 0x03, 0x06, 0, 0, 0, 0 };
	uint8_t v[32];
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(v, mk_ipcp_request(v, ppp, sizeof(ppp)), &req), 0);
	assert_asks_nothing(&req);
}

static void
test_pco_parse_ipcp_secondary_only_asked(void **state)
{
	static const uint8_t ppp[] = { 0x01, 0x09, 0x00, 0x0a, 0x83, 0x06, 0, 0, 0, 0 };
	uint8_t v[32];
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(v, mk_ipcp_request(v, ppp, sizeof(ppp)), &req), 0);
	assert_true(req.ipcp_dns);
	assert_int_equal(req.ipcp_id, 9);
}

static void
test_pco_parse_ipcp_ack_not_asked(void **state)
{
	static const uint8_t ppp[] = { 0x02, 0x07, 0x00, 0x0a, 0x81, 0x06, 0, 0, 0, 0 };
	uint8_t v[32];
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(v, mk_ipcp_request(v, ppp, sizeof(ppp)), &req), 0);
	assert_asks_nothing(&req);
}

static void
test_pco_parse_ipcp_length_past_container_not_asked(void **state)
{
	static const uint8_t ppp[] = { 0x01, 0x07, 0x00, 0x0b, 0x81, 0x06, 0, 0, 0, 0 };
	uint8_t v[32];
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(v, mk_ipcp_request(v, ppp, sizeof(ppp)), &req), 0);
	assert_false(req.ipcp_dns);
}

static void
test_pco_parse_ipcp_length_below_header_not_asked(void **state)
{
	static const uint8_t ppp[] = { 0x01, 0x07, 0x00, 0x03, 0x81, 0x06, 0, 0, 0, 0 };
	uint8_t v[32];
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(v, mk_ipcp_request(v, ppp, sizeof(ppp)), &req), 0);
	assert_false(req.ipcp_dns);
}

static void
test_pco_parse_ipcp_option_length_zero_not_asked(void **state)
{
	/* A zero-length option would never advance: the packet is malformed. */
	static const uint8_t ppp[] = { 0x01, 0x07, 0x00, 0x0c, 0x81, 0x06, 0, 0, 0, 0, 0x03, 0x00 };
	uint8_t v[32];
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(v, mk_ipcp_request(v, ppp, sizeof(ppp)), &req), 0);
	assert_false(req.ipcp_dns);
}

static void
test_pco_parse_ipcp_dns_option_wrong_length_not_asked(void **state)
{
	static const uint8_t ppp[] = { 0x01, 0x07, 0x00, 0x08, 0x81, 0x04, 0, 0 };
	uint8_t v[32];
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(v, mk_ipcp_request(v, ppp, sizeof(ppp)), &req), 0);
	assert_false(req.ipcp_dns);
}

static void
test_pco_parse_ipcp_padding_ignored(void **state)
{
	/* RFC 1661 §5: octets past the PPP length are padding, even if they look like options. */
	static const uint8_t ppp[] = { 0x01, 0x05, 0x00, 0x0a, 0x81, 0x06, 0, 0, 0, 0, 0x00, 0xff };
	uint8_t v[32];
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(v, mk_ipcp_request(v, ppp, sizeof(ppp)), &req), 0);
	assert_true(req.ipcp_dns);
	assert_int_equal(req.ipcp_id, 5);
}

static void
test_pco_parse_second_ipcp_request_keeps_first_id(void **state)
{
	static const uint8_t v[] = { 0x80, 0x80, 0x21, 0x0a, 0x01, 0x01, 0x00, 0x0a, 0x81, 0x06, 0,
		0, 0, 0, 0x80, 0x21, 0x0a, 0x01, 0x02, 0x00, 0x0a, 0x83, 0x06, 0, 0, 0, 0 };
	struct pco_request req;

	(void)state;
	assert_int_equal(pco_parse(v, sizeof(v), &req), 0);
	assert_true(req.ipcp_dns);
	assert_int_equal(req.ipcp_id, 1);
}

static void
test_pco_build_answer_full_matches_vector(void **state)
{
	const struct pco_request req = { .dns_v4 = true, .ipcp_dns = true, .link_mtu_v4 = true };
	const struct pco_offer offer = two_dns_offer();
	uint8_t out[64];

	(void)state;
	assert_int_equal(pco_build_answer(&req, &offer, out, sizeof(out)), sizeof(full_answer));
	assert_memory_equal(out, full_answer, sizeof(full_answer));
}

static void
test_pco_build_answer_ipcp_primary_only_matches_vector(void **state)
{
	struct pco_request req;
	struct pco_offer offer = two_dns_offer();
	uint8_t out[64];

	(void)state;
	offer.n_dns = 1;
	assert_int_equal(pco_parse(pap_ipcp_primary, sizeof(pap_ipcp_primary), &req), 0);
	assert_int_equal(
	    pco_build_answer(&req, &offer, out, sizeof(out)), sizeof(primary_nak_answer));
	assert_memory_equal(out, primary_nak_answer, sizeof(primary_nak_answer));
}

static void
test_pco_build_answer_one_dns_one_container(void **state)
{
	static const uint8_t want[] = { 0x80, 0x00, 0x0d, 0x04, 0x64, 0x40, 0x00, 0x35 };
	const struct pco_request req = { .dns_v4 = true };
	struct pco_offer offer = two_dns_offer();
	uint8_t out[64];

	(void)state;
	offer.n_dns = 1;
	assert_int_equal(pco_build_answer(&req, &offer, out, sizeof(out)), sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
}

static void
test_pco_build_answer_mtu_only(void **state)
{
	static const uint8_t want[] = { 0x80, 0x00, 0x10, 0x02, 0x23, 0x28 };
	const struct pco_request req = { .link_mtu_v4 = true };
	struct pco_offer offer = two_dns_offer();
	uint8_t out[64];

	(void)state;
	offer.link_mtu = 9000;
	assert_int_equal(pco_build_answer(&req, &offer, out, sizeof(out)), sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
}

static void
test_pco_build_answer_nothing_asked_returns_zero(void **state)
{
	const struct pco_request req = { 0 };
	const struct pco_offer offer = two_dns_offer();
	uint8_t out[64];

	(void)state;
	assert_int_equal(pco_build_answer(&req, &offer, out, sizeof(out)), 0);
}

static void
test_pco_build_answer_dns_asked_none_offered_returns_zero(void **state)
{
	const struct pco_request req = { .dns_v4 = true, .ipcp_dns = true, .ipcp_id = 3 };
	const struct pco_offer offer = { .n_dns = 0, .link_mtu = 1500 };
	uint8_t out[64];

	(void)state;
	assert_int_equal(pco_build_answer(&req, &offer, out, sizeof(out)), 0);
}

static void
test_pco_build_answer_mtu_asked_not_offered_returns_zero(void **state)
{
	const struct pco_request req = { .link_mtu_v4 = true };
	struct pco_offer offer = two_dns_offer();
	uint8_t out[64];

	(void)state;
	offer.link_mtu = 0;
	assert_int_equal(pco_build_answer(&req, &offer, out, sizeof(out)), 0);
}

static void
test_pco_build_answer_exact_cap_fits_one_short_returns_zero(void **state)
{
	const struct pco_request req = { .dns_v4 = true, .ipcp_dns = true, .link_mtu_v4 = true };
	const struct pco_offer offer = two_dns_offer();
	uint8_t out[sizeof(full_answer) + 1];

	(void)state;
	out[sizeof(full_answer)] = 0x5a;
	assert_int_equal(
	    pco_build_answer(&req, &offer, out, sizeof(full_answer)), sizeof(full_answer));
	assert_memory_equal(out, full_answer, sizeof(full_answer));
	assert_int_equal(out[sizeof(full_answer)], 0x5a);
	assert_int_equal(pco_build_answer(&req, &offer, out, sizeof(full_answer) - 1), 0);
	assert_int_equal(pco_build_answer(&req, &offer, out, 0), 0);
}

static void
test_pco_build_answer_too_many_dns_clamped(void **state)
{
	const struct pco_request req = { .dns_v4 = true, .ipcp_dns = true, .link_mtu_v4 = true };
	struct pco_offer offer = two_dns_offer();
	uint8_t out[64];

	(void)state;
	offer.n_dns = 7;
	assert_int_equal(pco_build_answer(&req, &offer, out, sizeof(out)), sizeof(full_answer));
	assert_memory_equal(out, full_answer, sizeof(full_answer));
}

static void
test_pco_build_answer_parses_back(void **state)
{
	const struct pco_request req = { .dns_v4 = true, .ipcp_dns = true, .link_mtu_v4 = true };
	const struct pco_offer offer = two_dns_offer();
	struct pco_request back;
	uint8_t out[64];
	size_t len;

	(void)state;
	len = pco_build_answer(&req, &offer, out, sizeof(out));
	assert_int_equal(pco_parse(out, len, &back), 0);
	/* A Configure-Nak is no request; the two answer containers share the requests' IDs. */
	assert_false(back.ipcp_dns);
	assert_true(back.dns_v4);
	assert_true(back.link_mtu_v4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pco_parse_device_request_reads_all_three),
		cmocka_unit_test(test_pco_parse_pap_then_ipcp_primary_reads_ipcp_id),
		cmocka_unit_test(test_pco_parse_sgsnemu_pap_only_asks_nothing),
		cmocka_unit_test(test_pco_parse_octet3_only_asks_nothing),
		cmocka_unit_test(test_pco_parse_empty_malformed),
		cmocka_unit_test(test_pco_parse_other_protocol_malformed),
		cmocka_unit_test(test_pco_parse_ext_bit_clear_accepted),
		cmocka_unit_test(test_pco_parse_container_past_end_malformed_and_cleared),
		cmocka_unit_test(test_pco_parse_every_truncation_malformed),
		cmocka_unit_test(test_pco_parse_request_with_contents_still_asks),
		cmocka_unit_test(test_pco_parse_ipcp_without_dns_options_not_asked),
		cmocka_unit_test(test_pco_parse_ipcp_secondary_only_asked),
		cmocka_unit_test(test_pco_parse_ipcp_ack_not_asked),
		cmocka_unit_test(test_pco_parse_ipcp_length_past_container_not_asked),
		cmocka_unit_test(test_pco_parse_ipcp_length_below_header_not_asked),
		cmocka_unit_test(test_pco_parse_ipcp_option_length_zero_not_asked),
		cmocka_unit_test(test_pco_parse_ipcp_dns_option_wrong_length_not_asked),
		cmocka_unit_test(test_pco_parse_ipcp_padding_ignored),
		cmocka_unit_test(test_pco_parse_second_ipcp_request_keeps_first_id),
		cmocka_unit_test(test_pco_build_answer_full_matches_vector),
		cmocka_unit_test(test_pco_build_answer_ipcp_primary_only_matches_vector),
		cmocka_unit_test(test_pco_build_answer_one_dns_one_container),
		cmocka_unit_test(test_pco_build_answer_mtu_only),
		cmocka_unit_test(test_pco_build_answer_nothing_asked_returns_zero),
		cmocka_unit_test(test_pco_build_answer_dns_asked_none_offered_returns_zero),
		cmocka_unit_test(test_pco_build_answer_mtu_asked_not_offered_returns_zero),
		cmocka_unit_test(test_pco_build_answer_exact_cap_fits_one_short_returns_zero),
		cmocka_unit_test(test_pco_build_answer_too_many_dns_clamped),
		cmocka_unit_test(test_pco_build_answer_parses_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

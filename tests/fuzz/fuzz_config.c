/*
 * libFuzzer harness for the bootstrap file parser: the input is the JSON
 * text. An accepted config must satisfy every rule config_parse promises
 * (the cross-field ones included); a refused one must leave a one-line
 * message and nothing allocated. Either way config_free runs, so
 * LeakSanitizer sees every path.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/config.h"
#include "conf/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
usable(const struct config *cfg, uint32_t addr_be)
{
	return config_in_subnet(cfg, addr_be) && addr_be != cfg->subnet_be &&
	       addr_be != config_broadcast(cfg);
}

static void
check_accepted(const struct config *cfg)
{
	if (cfg->prefix < 8 || cfg->prefix > 30 || !usable(cfg, cfg->gateway_be))
		abort();
	if (cfg->state_dir[0] != '/' || cfg->api_port == 0 || parse_ifname(cfg->egress_if) < 0)
		abort();
	if (cfg->n_apns > CONFIG_MAX_APNS || (cfg->n_map > 0 && cfg->map == NULL))
		abort();
	for (unsigned i = 0; i < cfg->n_apns; i++)
		if (cfg->apns[i][0] == '\0' || memchr(cfg->apns[i], '\0', CONFIG_APN_LEN) == NULL)
			abort();
	for (size_t i = 0; i < cfg->n_map; i++) {
		if (parse_imsi(cfg->map[i].imsi) < 0 || !usable(cfg, cfg->map[i].addr_be) ||
		    cfg->map[i].addr_be == cfg->gateway_be)
			abort();
		for (size_t j = 0; j < i; j++)
			if (strcmp(cfg->map[i].imsi, cfg->map[j].imsi) == 0 ||
			    cfg->map[i].addr_be == cfg->map[j].addr_be)
				abort();
	}
}

static void
check_refused(const struct config *cfg, const char *err)
{
	size_t n = strnlen(err, CONFIG_ERR_LEN);

	if (n == 0 || n == CONFIG_ERR_LEN || memchr(err, '\n', n) != NULL)
		abort();
	if (cfg->map != NULL || cfg->n_map != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	static char err[CONFIG_ERR_LEN];

	memset(err, 0, sizeof(err));
	if (config_parse((const char *)data, size, &cfg, err) == 0)
		check_accepted(&cfg);
	else
		check_refused(&cfg, err);
	config_free(&cfg);
	return 0;
}

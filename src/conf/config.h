/*
 * The bootstrap file, `vpgd -c vpgd.json`: read, validated, and turned into
 * a struct the daemon wires its parts from. Anything unknown or out of place
 * is an error naming the key; nothing is guessed.
 */
#ifndef VPG_CONF_CONFIG_H
#define VPG_CONF_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cidr_list.h"
#include "proto/pco.h"

#define CONFIG_MAX_APNS	   32
#define CONFIG_APN_LEN	   101 /* TS 23.003 §9.1: at most 100 octets */
#define CONFIG_ERR_LEN	   256
#define CONFIG_NODE_ID_LEN 256	       /* an FQDN, TS 29.244 §8.2.38 */
#define CONFIG_MAX_DNS	   PCO_MAX_DNS /* a primary and a secondary name server */
/*
 * deviceMtu: what devices are told their link MTU is. 1280 is the least any
 * IPv6 link has (RFC 8200 §5), so no device stack refuses it; 9000 is the
 * usual jumbo frame.
 */
#define CONFIG_DEVICE_MTU_DEFAULT 1500
#define CONFIG_DEVICE_MTU_MIN	  1280
#define CONFIG_DEVICE_MTU_MAX	  9000

struct config_map_entry {
	char imsi[16];
	uint32_t addr_be;
};

/* gtp.echoInterval, seconds: how often SGSNs and SGWs with sessions are echoed. */
#define CONFIG_ECHO_DEFAULT_S 60
/* TS 29.060 §7.2.1 and TS 29.274 §7.1.1 ask for no more than one a minute; less is for labs, and
 * warned. */
#define CONFIG_ECHO_SPEC_MIN_S 60
#define CONFIG_ECHO_MIN_S      1
#define CONFIG_ECHO_MAX_S      3600

/*
 * gtp.replayCacheMB (each of the GGSN and the PGW) and pfcp.replayCacheMB:
 * the answers kept for retransmitted requests, at most. 512 MiB holds some
 * 3.3 million Create PDP Context answers (about 150 octets each): 180,000
 * Creates/s over the 18 s a peer retransmits.
 */
#define CONFIG_REPLAY_MB_DEFAULT 512
#define CONFIG_REPLAY_MB_MIN	 1
#define CONFIG_REPLAY_MB_MAX	 4096

/*
 * allowedPeers: the sources each control protocol takes datagrams from.
 * gtp.allowedPeers covers GTPv1-C, GTPv2-C and PFCP; gtpv2.allowedPeers and
 * pfcp.allowedPeers replace it for their protocol. A protocol that none of
 * them covers (auto) takes the subnets of the interfaces holding its listen
 * address, which config_resolve_peers reads at start-up.
 */
struct config_peers {
	struct cidr_list list;
	bool automatic; /* no list in the file: the listen address's subnets */
};

/* The unprivileged user the gateway runs as when started as root. */
#define CONFIG_USER_DEFAULT "vpgd"
#define CONFIG_USER_LEN	    33 /* useradd's 32 characters */

/*
 * peek: Peek's packet captures. maxSessions run at once (the data path's
 * tap has 16 slots), each file at most maxBytes (then it ends DONE,
 * truncated), kept retention seconds after it ends (7 days by default, as
 * the commercial service keeps them).
 */
#define CONFIG_PEEK_SESSIONS_DEFAULT  4
#define CONFIG_PEEK_SESSIONS_MAX      16
#define CONFIG_PEEK_BYTES_DEFAULT     (64ll << 20)
#define CONFIG_PEEK_BYTES_MIN	      (64ll << 10)
#define CONFIG_PEEK_BYTES_MAX	      (5ll << 30)
#define CONFIG_PEEK_RETENTION_DEFAULT (7 * 86400)
#define CONFIG_PEEK_RETENTION_MIN     60
#define CONFIG_PEEK_RETENTION_MAX     (90 * 86400)

/* xdp.mode: off (the default), native (the driver's XDP) or generic (the kernel's, any driver). */
enum config_xdp_mode { CONFIG_XDP_OFF, CONFIG_XDP_NATIVE, CONFIG_XDP_GENERIC };
#define CONFIG_XDP_MAX_IFS 8

struct config {
	uint32_t subnet_be; /* deviceSubnetCidrRange */
	uint8_t prefix;
	uint32_t gateway_be;	 /* gatewayAddress */
	uint32_t gtp_addr_be;	 /* gtp.listenAddress: GTP-U, and GTP-C of the GGSN role */
	uint16_t gtp_echo_s;	 /* gtp.echoInterval: Echo to GTP-C peers with sessions; 0: never */
	uint16_t gtp_replay_mb;	 /* gtp.replayCacheMB, for the GGSN and the PGW each */
	uint16_t pfcp_replay_mb; /* pfcp.replayCacheMB */
	bool ggsn_enabled;	 /* ggsn.enabled: the GGSN role (GTPv1-C), default on */
	bool pfcp_enabled;	 /* the UPF role: "pfcp" present and pfcp.enabled not false */
	uint32_t pfcp_addr_be;	 /* pfcp.listenAddress */
	char pfcp_node_id[CONFIG_NODE_ID_LEN]; /* pfcp.nodeId: an IPv4 address or an FQDN */
	/*
	 * The PGW role: "gtpv2" present and gtpv2.enabled not false. Its
	 * listenAddress defaults to gtp.listenAddress; on the GGSN's own address
	 * both roles share udp/2123 and messages go by GTP version.
	 */
	bool pgw_enabled;
	uint32_t pgw_addr_be;  /* gtpv2.listenAddress */
	uint32_t gate_addr_be; /* gate.listenAddress */
	bool gate_direct;      /* gate.transmit: "direct" (the default) or "stack" */
	uint32_t api_addr_be;  /* api.listen */
	uint16_t api_port;
	char api_token[129];
	char state_dir[PATH_MAX];
	char user[CONFIG_USER_LEN]; /* user: the gateway's own, once root has set up */
	unsigned n_apns;	    /* 0: any APN is accepted */
	char apns[CONFIG_MAX_APNS][CONFIG_APN_LEN];
	unsigned n_dns; /* dns: handed to devices in PCO, in order */
	uint32_t dns_be[CONFIG_MAX_DNS];
	uint16_t device_mtu; /* deviceMtu */
	bool egress_enabled;
	bool egress_nat;
	char egress_if[16];
	/* xdp: the fast path's mode and the interfaces it attaches to (fwd/xdp.h) */
	enum config_xdp_mode xdp_mode;
	unsigned n_xdp_ifs;
	char xdp_ifs[CONFIG_XDP_MAX_IFS][16];
	size_t n_map;
	struct config_map_entry *map;	/* ipAddressMap, owned */
	struct config_peers gtp_peers;	/* gtp.allowedPeers: the GGSN role's SGSNs */
	struct config_peers pgw_peers;	/* gtpv2.allowedPeers, else gtp's: the SGWs */
	struct config_peers pfcp_peers; /* pfcp.allowedPeers, else gtp's: SMFs and PGW-Cs */
	unsigned peek_max_sessions;	/* peek.maxSessions */
	uint64_t peek_max_bytes;	/* peek.maxBytes */
	uint32_t peek_retention_s;	/* peek.retention */
};

/*
 * Parses the file at path (or, for config_parse, a JSON text) into cfg.
 * The text is JSON with full-line "//" comments (conf/config_text.h).
 * Returns 0, or -1 with a one-line message naming the key in err.
 */
int config_load(const char *path, struct config *cfg, char err[CONFIG_ERR_LEN]);
int config_parse(const char *text, size_t len, struct config *cfg, char err[CONFIG_ERR_LEN]);
void config_free(struct config *cfg);

/*
 * Fills each automatic list of allowed peers with the subnets of the local
 * interfaces that hold its protocol's listen address (every IPv4
 * interface's for 0.0.0.0), read with getifaddrs. Returns 0, or -1 with a
 * message naming the key to set in err when no interface holds it.
 */
int config_resolve_peers(struct config *cfg, char err[CONFIG_ERR_LEN]);

/* The subnet's broadcast address, in network order. */
uint32_t config_broadcast(const struct config *cfg);
/* True when addr lies inside the device subnet. */
bool config_in_subnet(const struct config *cfg, uint32_t addr_be);

#endif

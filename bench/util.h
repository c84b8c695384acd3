/*
 * What the benchmark's C tools share: reading the sessions file that
 * bench/run writes after the attach ("TEID ADDRESS" a line) and parsing
 * "a.b.c.d[:port]" and MAC addresses. Header only: each tool is one program built from its
 * own file (bench/Makefile).
 */
#ifndef VPG_BENCH_UTIL_H
#define VPG_BENCH_UTIL_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bench_session {
	uint32_t teid;	  /* host order */
	uint32_t addr_be; /* the device's address */
};

/* Every well-formed line of path; NULL when it cannot be read. Exits on no memory. */
static inline struct bench_session *
bench_load_sessions(const char *path, size_t *count)
{
	FILE *f = fopen(path, "r");
	struct bench_session *s = NULL;
	size_t n = 0, cap = 0;
	char line[128], addr[64];
	unsigned long teid;

	if (f == NULL)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		struct in_addr a;

		if (sscanf(line, "%lu %63s", &teid, addr) != 2 || inet_pton(AF_INET, addr, &a) != 1)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			s = realloc(s, cap * sizeof(*s));
			if (s == NULL)
				exit(1);
		}
		s[n].teid = (uint32_t)teid;
		s[n].addr_be = a.s_addr;
		n++;
	}
	fclose(f);
	*count = n;
	return s;
}

/* "a.b.c.d" or "a.b.c.d:port" (port 0 when absent); -1 when it is neither. */
static inline int
bench_parse_addr(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);

	if (n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(colon ? (unsigned short)atoi(colon + 1) : 0);
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

/* "aa:bb:cc:dd:ee:ff"; -1 when it is not one. */
static inline int
bench_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (v[i] > 255)
			return -1;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

#endif

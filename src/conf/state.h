/*
 * What the gateway keeps in its state directory across restarts that is not
 * configuration: the GTP restart counter (TS 29.060 §7.7.11), which tells
 * SGSNs that our contexts from before are gone.
 */
#ifndef VPG_CONF_STATE_H
#define VPG_CONF_STATE_H

#include <stdint.h>

/* Creates dir if needed; 0 or a negative errno. */
int state_prepare_dir(const char *dir);
/* Reads the last counter, stores it plus one (modulo 256) durably, returns the new value. */
int state_bump_restart_counter(const char *dir, uint8_t *counter);

#endif

/*
 * From PFCP's decoded rules (proto/pfcp.h) to the session core's rule set
 * (core/rules.h): every Create/Update of a PDR, FAR, QER or URR, checked and
 * written into a set that rules_link then checks as a whole. What the
 * forwarding path cannot do (an IPv6-only tunnel, more SDF filters or
 * rules than a set holds) is refused here, naming the rule, so that a
 * session never holds a rule that silently does something else.
 */
#ifndef VPG_ROLES_UPF_RULES_H
#define VPG_ROLES_UPF_RULES_H

#include <stdint.h>

struct pfcp_err;
struct pfcp_far;
struct pfcp_pdr;
struct pfcp_qer;
struct pfcp_urr;
struct rules;

/*
 * Each returns 0, or -1 with the cause and Offending IE in err and the id of
 * the rule at fault in *rule_id. A PDR's Local F-TEID and UE IP Address are
 * taken as given when explicit; CHOOSE is the caller's to fill in.
 */
int upf_rules_create_pdr(
    struct rules *r, const struct pfcp_pdr *p, struct pfcp_err *err, uint32_t *rule_id);
int upf_rules_update_pdr(
    struct rules *r, const struct pfcp_pdr *p, struct pfcp_err *err, uint32_t *rule_id);
int upf_rules_create_far(
    struct rules *r, const struct pfcp_far *f, struct pfcp_err *err, uint32_t *rule_id);
int upf_rules_update_far(
    struct rules *r, const struct pfcp_far *f, struct pfcp_err *err, uint32_t *rule_id);
int upf_rules_create_qer(struct rules *r, const struct pfcp_qer *q, uint64_t now_ms,
    struct pfcp_err *err, uint32_t *rule_id);
int upf_rules_update_qer(struct rules *r, const struct pfcp_qer *q, uint64_t now_ms,
    struct pfcp_err *err, uint32_t *rule_id);
int upf_rules_create_urr(
    struct rules *r, const struct pfcp_urr *u, struct pfcp_err *err, uint32_t *rule_id);
int upf_rules_update_urr(
    struct rules *r, const struct pfcp_urr *u, struct pfcp_err *err, uint32_t *rule_id);

#endif

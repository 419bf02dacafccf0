/*
 * role.h - roles and what each may do.
 *
 * One table (role.c) maps every role to its Chinese name and permission
 * bits. Routes name the bit they need; the router checks it. A new account
 * may only be given a role whose permissions are a subset of its creator's.
 */
#ifndef PINGAN_ROLE_H
#define PINGAN_ROLE_H

enum perm {
    P_AREA_READ = 1u << 0,
    P_AREA_WRITE = 1u << 1,
    P_ACCOUNT_READ = 1u << 2,
    P_ACCOUNT_WRITE = 1u << 3,
    P_AUDIT_READ = 1u << 4,
    P_PERSON_READ = 1u << 5,   /* the registry, identifiers masked */
    P_PERSON_WRITE = 1u << 6,  /* register and change people */
    P_PERSON_REVEAL = 1u << 7, /* see ID numbers and phones, with a reason, audited */
    P_GROUP_READ = 1u << 8,    /* special-group membership (sensitive: PIPL art. 28) */
    P_GROUP_WRITE = 1u << 9,
    P_EVENT_READ = 1u << 10,   /* events and work orders in scope (a department: its own) */
    P_EVENT_REPORT = 1u << 11, /* report an event (问题采集) */
    P_EVENT_ACT = 1u << 12,    /* take part in the loop; which steps, workflow.c decides */
    P_DISPUTE_READ = 1u << 13,  /* the dispute (矛盾纠纷) ledger in scope */
    P_DISPUTE_WRITE = 1u << 14, /* screen, register and mediate disputes */
    P_PETITION_READ = 1u << 15, /* the petition (信访) ledger in scope */
    P_PETITION_WRITE = 1u << 16, /* register and handle petitions */
    P_ZERO_READ = 1u << 17,     /* "三零" creation subjects, colours and letters */
    P_ZERO_WRITE = 1u << 18,    /* keep subjects, rules, reviews; issue letters */
    P_RISK_READ = 1u << 19,     /* social-stability risk assessments (2466) */
    P_RISK_WRITE = 1u << 20,
    P_CAMERA_READ = 1u << 21,   /* the camera network (雪亮工程) */
    P_CAMERA_WRITE = 1u << 22,  /* register cameras, post status and alarms */
    P_STATS_READ = 1u << 23,    /* statistics, dashboard, rankings and briefings */
};

struct role {
    const char *key;
    const char *name_zh;
    unsigned perms;
    int needs_department; /* handler accounts belong to a department */
};

/* NULL-terminated table of every role. */
extern const struct role roles[];

/* Returns the role or NULL if key is not a role. */
const struct role *role_find(const char *key);
/* Returns 1 if the role has every bit of perm (perm 0: always 1). */
int role_allows(const char *key, unsigned perm);
/* Returns 1 if granter may hand out role `granted` (permission subset). */
int role_may_grant(const char *granter, const char *granted);

#include "util/banned.h"
#endif

#include "role.h"

#include <string.h>

#define ALL                                                                                        \
    (P_AREA_READ | P_AREA_WRITE | P_ACCOUNT_READ | P_ACCOUNT_WRITE | P_AUDIT_READ | P_PERSON_READ |  \
     P_PERSON_WRITE | P_PERSON_REVEAL | P_GROUP_READ | P_GROUP_WRITE | EVENTS | DISPUTES |          \
     PETITIONS | ZERO | RISK | CAMERAS | P_STATS_READ)
#define REGISTRY (P_PERSON_READ | P_PERSON_WRITE | P_PERSON_REVEAL)
#define GROUPS (P_GROUP_READ | P_GROUP_WRITE)
#define EVENTS (P_EVENT_READ | P_EVENT_REPORT | P_EVENT_ACT)
#define DISPUTES (P_DISPUTE_READ | P_DISPUTE_WRITE)
#define PETITIONS (P_PETITION_READ | P_PETITION_WRITE)
#define ZERO (P_ZERO_READ | P_ZERO_WRITE)
#define RISK (P_RISK_READ | P_RISK_WRITE)
#define CAMERAS (P_CAMERA_READ | P_CAMERA_WRITE)
/* What a leader reads of every ledger: figures and cases, not the registry's identifiers. */
#define OVERVIEW (P_DISPUTE_READ | P_PETITION_READ | P_ZERO_READ | P_RISK_READ | P_CAMERA_READ | P_STATS_READ)

/*
 * Who may see identifiers in clear (P_PERSON_REVEAL, always with a reason
 * and an audit line): those who must reach or identify a resident — the
 * grid worker of the grid, dispatchers, mediators, petition officers and
 * administrators. Leaders see figures, not identities; department handlers
 * see the people of their work orders (a later issue), not the registry.
 * Special-group membership (P_GROUP_*) is sensitive personal information
 * (PIPL art. 28): only those who keep the duty of visiting see it — grid
 * workers, dispatchers and administrators.
 */
const struct role roles[] = {
    {"admin", "系统管理员", ALL, 0},
    {"leader", "领导", P_AREA_READ | P_ACCOUNT_READ | P_PERSON_READ | P_EVENT_READ | OVERVIEW, 0},
    {"dispatcher", "调度员",
     P_AREA_READ | REGISTRY | GROUPS | EVENTS | DISPUTES | P_PETITION_READ | ZERO | RISK | CAMERAS |
         P_STATS_READ,
     0},
    {"handler", "部门处置人员", P_AREA_READ | EVENTS, 1},
    /* Grid workers screen disputes (网格首诊) and see the cameras of their grid. */
    {"grid_worker", "网格员", P_AREA_READ | REGISTRY | GROUPS | EVENTS | DISPUTES | P_CAMERA_READ, 0},
    {"mediator", "调解员",
     P_AREA_READ | P_PERSON_READ | P_PERSON_REVEAL | P_EVENT_READ | P_EVENT_REPORT | DISPUTES, 0},
    {"petition_officer", "信访干部",
     P_AREA_READ | P_PERSON_READ | P_PERSON_REVEAL | P_EVENT_READ | P_EVENT_REPORT | PETITIONS |
         P_DISPUTE_READ,
     0},
    /* The video platform's machine account: registers cameras, posts their
     * status and alarms (an alarm's snapshot is an upload, hence
     * P_EVENT_REPORT); reads nothing else. */
    {"video_platform", "视频平台接口", CAMERAS | P_EVENT_REPORT, 0},
    {NULL, NULL, 0, 0},
};

const struct role *role_find(const char *key)
{
    if (!key)
        return NULL;
    for (const struct role *r = roles; r->key; r++)
        if (strcmp(r->key, key) == 0)
            return r;
    return NULL;
}

int role_allows(const char *key, unsigned perm)
{
    const struct role *r = role_find(key);
    return r && (r->perms & perm) == perm;
}

int role_may_grant(const char *granter, const char *granted)
{
    const struct role *a = role_find(granter), *b = role_find(granted);
    return a && b && (a->perms & P_ACCOUNT_WRITE) && (b->perms & ~a->perms) == 0;
}

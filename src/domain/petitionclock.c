#include "petitionclock.h"

#include <string.h>

static const struct {
    const char *status, *node, *name;
    int days;
} nodes[] = {
    {"registered", "refer", "转送交办或告知", 15},
    {"referred", "notify", "受理告知", 15},
    {"accepted", "handle", "办理答复", 60},
    {"review_requested", "review", "复查答复", 30},
    {"recheck_requested", "recheck", "复核答复", 30},
};
#define NNODES (sizeof(nodes) / sizeof(nodes[0]))

static int64_t yellow_point(int64_t started, int64_t deadline, int yellow_percent)
{
    return started + (deadline - started) * yellow_percent / 100;
}

void petitionclock_start(const char *status, int64_t at, int yellow_percent,
                         struct petition_clock *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; status && i < NNODES; i++)
        if (strcmp(nodes[i].status, status) == 0) {
            out->node = nodes[i].node;
            out->started = at;
            out->deadline = at + nodes[i].days * PETITION_DAY_MS;
            out->yellow = yellow_point(at, out->deadline, yellow_percent);
        }
    if (status && (strcmp(status, "replied") == 0 || strcmp(status, "reviewed") == 0))
        out->window = at + PETITION_WINDOW_DAYS * PETITION_DAY_MS;
}

void petitionclock_extend(struct petition_clock *c, int days, int yellow_percent)
{
    if (!c->node)
        return;
    c->deadline += days * PETITION_DAY_MS;
    c->yellow = yellow_point(c->started, c->deadline, yellow_percent);
}

int petitionclock_days(const char *node)
{
    for (size_t i = 0; node && i < NNODES; i++)
        if (strcmp(nodes[i].node, node) == 0)
            return nodes[i].days;
    return 0;
}

const char *petitionclock_node_name(const char *node)
{
    for (size_t i = 0; node && i < NNODES; i++)
        if (strcmp(nodes[i].node, node) == 0)
            return nodes[i].name;
    return NULL;
}

const char *petitionclock_light(int64_t now, int64_t deadline, int64_t yellow)
{
    if (!deadline)
        return "none";
    if (now >= deadline)
        return "red";
    if (yellow && now >= yellow)
        return "yellow";
    return "green";
}

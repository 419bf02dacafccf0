#include "workflow.h"

#include <string.h>

#define FROM(...) ((const char *const[]){__VA_ARGS__, NULL})
#define OPEN "reported", "registered", "dispatched", "accepted", "handled", "suspended"

static const struct transition table[] = {
    {"register", "立案", FROM("reported"), "registered", CAP_CENTRE, ALLOW_MINOR | NEED_MINOR},
    {"reject", "不予立案", FROM("reported"), "rejected", CAP_CENTRE, NEED_REASON},
    {"dispatch", "派遣", FROM("registered"), "dispatched", CAP_CENTRE,
     ALLOW_MINOR | ALLOW_DEPTS | NEED_MINOR},
    {"accept", "签收", FROM("dispatched"), "accepted", CAP_LEAD, 0},
    {"return", "退回", FROM("dispatched", "accepted"), "registered", CAP_LEAD, NEED_REASON},
    {"handle", "处置反馈", FROM("accepted"), "handled", CAP_LEAD, NEED_NOTE | NEED_NO_PENDING_EXT},
    {"resolve", "现场解决", FROM("reported"), "handled", CAP_GRID,
     NEED_NOTE | ALLOW_MINOR | NEED_MINOR | NEED_GRID_LEVEL},
    {"close", "核查结案", FROM("handled"), "closed", CAP_CENTRE, 0},
    {"reopen", "核查不通过", FROM("handled"), "accepted", CAP_CENTRE, NEED_REASON},
    {"evaluate", "评价", FROM("closed"), "evaluated", CAP_REPORTER, NEED_RATING},
    {"rate_handling", "考评处置", FROM("closed", "evaluated"), TO_SAME, CAP_CENTRE, NEED_RATING},
    {"request_extension", "申请延期", FROM("accepted"), TO_SAME, CAP_LEAD,
     NEED_HOURS | NEED_REASON | NEED_NO_PENDING_EXT},
    {"grant_extension", "同意延期", FROM("accepted"), TO_SAME, CAP_CENTRE, NEED_PENDING_EXT},
    {"refuse_extension", "不同意延期", FROM("accepted"), TO_SAME, CAP_CENTRE,
     NEED_REASON | NEED_PENDING_EXT},
    {"escalate", "上报上级", FROM("reported", "registered", "dispatched", "accepted"), TO_SAME,
     CAP_CENTRE | CAP_GRID | CAP_SYSTEM, 0},
    {"suspend", "挂起", FROM("registered", "dispatched", "accepted"), "suspended", CAP_CENTRE,
     NEED_REASON},
    {"resume", "恢复", FROM("suspended"), TO_HELD, CAP_CENTRE, 0},
    {"merge", "合并", FROM("reported", "registered"), "merged", CAP_CENTRE, NEED_TARGET},
    {"comment", "备注", FROM(OPEN), TO_SAME, CAP_CENTRE | CAP_LEAD | CAP_COHANDLER | CAP_GRID,
     NEED_NOTE},
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

static const struct {
    const char *key, *name;
    int open;
} statuses[] = {
    {"reported", "待立案", 1},  {"registered", "待派遣", 1}, {"dispatched", "待签收", 1},
    {"accepted", "处置中", 1},  {"handled", "待核查", 1},    {"closed", "已结案", 0},
    {"evaluated", "已评价", 0}, {"rejected", "不予立案", 0}, {"suspended", "挂起", 1},
    {"merged", "已合并", 0},
};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))

const struct transition *workflow_find(const char *action)
{
    for (size_t i = 0; action && i < NTABLE; i++)
        if (strcmp(table[i].action, action) == 0)
            return &table[i];
    return NULL;
}

int workflow_allows(const struct transition *t, const char *status, unsigned caps)
{
    if (!t || !(t->who & caps))
        return 0;
    for (const char *const *f = t->from; *f; f++)
        if (strcmp(*f, status) == 0)
            return 1;
    return 0;
}

int workflow_fits(const struct transition *t, unsigned facts)
{
    int pending = (facts & FACT_EXTENSION_PENDING) != 0;
    if ((t->needs & NEED_PENDING_EXT) && !pending)
        return 0;
    if ((t->needs & NEED_NO_PENDING_EXT) && pending)
        return 0;
    if ((t->needs & NEED_GRID_LEVEL) && (facts & FACT_NOT_GRID_LEVEL))
        return 0;
    return 1;
}

json_t *workflow_allowed_json(const char *status, unsigned caps, unsigned facts)
{
    json_t *out = json_array();
    for (size_t i = 0; i < NTABLE; i++)
        if (workflow_allows(&table[i], status, caps & ~(unsigned)CAP_SYSTEM) &&
            workflow_fits(&table[i], facts))
            json_array_append_new(out, json_string(table[i].action));
    return out;
}

const char *workflow_status_name(const char *status)
{
    for (size_t i = 0; status && i < NSTATUS; i++)
        if (strcmp(statuses[i].key, status) == 0)
            return statuses[i].name;
    return NULL;
}

int workflow_is_open(const char *status)
{
    for (size_t i = 0; status && i < NSTATUS; i++)
        if (strcmp(statuses[i].key, status) == 0)
            return statuses[i].open;
    return 0;
}

json_t *workflow_table_json(void)
{
    static const char *const caps[] = {"centre", "lead", "cohandler", "grid", "reporter", "system"};
    static const char *const needs[] = {"reason",     "note",          "rating",
                                        "hours",      "into",          "minor (optional)",
                                        "departments (optional)",      "category",
                                        "pending extension",           "no pending extension",
                                        "grid-level category"};
    json_t *out = json_array();
    for (size_t i = 0; i < NTABLE; i++) {
        json_t *from = json_array(), *who = json_array(), *need = json_array();
        for (const char *const *f = table[i].from; *f; f++)
            json_array_append_new(from, json_string(*f));
        for (size_t k = 0; k < sizeof(caps) / sizeof(caps[0]); k++)
            if (table[i].who & (1u << k))
                json_array_append_new(who, json_string(caps[k]));
        for (size_t k = 0; k < sizeof(needs) / sizeof(needs[0]); k++)
            if (table[i].needs & (1u << k))
                json_array_append_new(need, json_string(needs[k]));
        const char *to = strcmp(table[i].to, TO_SAME) == 0   ? "(unchanged)"
                         : strcmp(table[i].to, TO_HELD) == 0 ? "(the status before the suspension)"
                                                              : table[i].to;
        json_array_append_new(out, json_pack("{s:s,s:s,s:o,s:s,s:o,s:o}", "action",
                                             table[i].action, "name", table[i].name, "from", from,
                                             "to", to, "who", who, "needs", need));
    }
    return out;
}

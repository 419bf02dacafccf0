#include "petitionflow.h"

#include <string.h>

#define FROM(...) ((const char *const[]){__VA_ARGS__, NULL})
#define OPEN                                                                                       \
    "registered", "referred", "accepted", "replied", "review_requested", "reviewed",               \
        "recheck_requested"

static const struct petition_step table[] = {
    /* 第22条: the 信访部门 refers (转送) or assigns (交办) within 15 days. */
    {"refer", "转送/交办", FROM("registered"), "referred", PNEED_HANDLER, 0, 0},
    /* 第23条: the organ tells in writing whether it accepts, within 15 days. */
    /* 第23条: not its competence — an objection within 5 working days. */
    {"object", "异议（非本机关职权）", FROM("referred"), "registered",
     PNEED_REASON | PNEED_OBJECTION, 0, 0},
    {"accept", "受理（书面告知）", FROM("registered", "referred"), "accepted", 0, 0, 0},
    {"refuse", "不予受理（书面告知）", FROM("registered", "referred"), "refused", PNEED_REASON, 0,
     0},
    /* 第34条: 60 days, extended once by ≤ 30 with the reason told. */
    {"extend", "延期（告知理由）", FROM("accepted"), PTO_SAME,
     PNEED_DAYS | PNEED_REASON | PNEED_NOT_EXTENDED, 0, 0},
    /* 第32条: the 信访处理意见书. */
    {"reply", "答复（处理意见书）", FROM("accepted"), "replied", PNEED_OUTCOME | PNEED_NOTE, 0, 0},
    /* 第35条: 复查 asked within 30 days of the reply, answered within 30. */
    {"request_review", "申请复查", FROM("replied"), "review_requested", PNEED_REASON | PNEED_WINDOW,
     1, 0},
    {"review", "复查意见", FROM("review_requested"), "reviewed", PNEED_OUTCOME | PNEED_NOTE, 0, 0},
    /* 第36条: 复核 likewise; after it the matter is closed for good. */
    {"request_recheck", "申请复核", FROM("reviewed"), "recheck_requested",
     PNEED_REASON | PNEED_WINDOW, 1, 0},
    {"recheck", "复核意见", FROM("recheck_requested"), "closed", PNEED_OUTCOME | PNEED_NOTE, 0, 0},
    {"close", "终结", FROM("replied", "reviewed"), "closed", 0, 0, 0},
    /* 第39条: 督办 for 推诿、敷衍、拖延. */
    {"supervise", "督办", FROM(OPEN), PTO_SAME, PNEED_REASON, 0, 0},
    {"comment", "备注", FROM(OPEN), PTO_SAME, PNEED_NOTE, 0, 1},
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

static const struct {
    const char *key, *name;
    int open;
} statuses[] = {
    {"registered", "已登记", 1},        {"referred", "已转送交办", 1},
    {"accepted", "办理中", 1},          {"replied", "已答复", 1},
    {"review_requested", "复查中", 1},  {"reviewed", "已复查", 1},
    {"recheck_requested", "复核中", 1}, {"closed", "已终结", 0},
    {"refused", "不予受理", 0},
};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))

const struct petition_step *petitionflow_find(const char *action)
{
    for (size_t i = 0; action && i < NTABLE; i++)
        if (strcmp(table[i].action, action) == 0)
            return &table[i];
    return NULL;
}

int petitionflow_allows(const struct petition_step *s, const char *status)
{
    if (!s || !status)
        return 0;
    for (const char *const *f = s->from; *f; f++)
        if (strcmp(*f, status) == 0)
            return 1;
    return 0;
}

int petitionflow_fits(const struct petition_step *s, unsigned facts)
{
    if ((s->needs & PNEED_WINDOW) && !(facts & PFACT_WINDOW_OPEN))
        return 0;
    if ((s->needs & PNEED_NOT_EXTENDED) && (facts & PFACT_EXTENDED))
        return 0;
    if ((s->needs & PNEED_OBJECTION) && !(facts & PFACT_OBJECTION_OPEN))
        return 0;
    return 1;
}

json_t *petitionflow_allowed_json(const char *status, unsigned facts)
{
    json_t *out = json_array();
    for (size_t i = 0; i < NTABLE; i++)
        if (petitionflow_allows(&table[i], status) && petitionflow_fits(&table[i], facts))
            json_array_append_new(out, json_string(table[i].action));
    return out;
}

const char *petitionflow_status_name(const char *status)
{
    for (size_t i = 0; status && i < NSTATUS; i++)
        if (strcmp(statuses[i].key, status) == 0)
            return statuses[i].name;
    return NULL;
}

int petitionflow_is_open(const char *status)
{
    for (size_t i = 0; status && i < NSTATUS; i++)
        if (strcmp(statuses[i].key, status) == 0)
            return statuses[i].open;
    return 0;
}

const char *petitionflow_outcome_name(const char *outcome)
{
    if (!outcome)
        return NULL;
    if (strcmp(outcome, "support") == 0)
        return "支持";
    if (strcmp(outcome, "explain") == 0)
        return "解释说明";
    if (strcmp(outcome, "reject") == 0)
        return "不予支持";
    return NULL;
}

json_t *petitionflow_table_json(void)
{
    static const char *const needs[] = {
        "reason",           "note",
        "outcome",          "days",
        "handler",          "petitioner's window open",
        "not yet extended", "within 5 working days of the referral"};
    json_t *out = json_array();
    for (size_t i = 0; i < NTABLE; i++) {
        json_t *from = json_array(), *need = json_array();
        for (const char *const *f = table[i].from; *f; f++)
            json_array_append_new(from, json_string(*f));
        for (size_t k = 0; k < sizeof(needs) / sizeof(needs[0]); k++)
            if (table[i].needs & (1u << k))
                json_array_append_new(need, json_string(needs[k]));
        json_array_append_new(
            out, json_pack("{s:s,s:s,s:o,s:s,s:o,s:b}", "action", table[i].action, "name",
                           table[i].name, "from", from, "to",
                           strcmp(table[i].to, PTO_SAME) == 0 ? "(unchanged)" : table[i].to,
                           "needs", need, "petitioner", table[i].petitioner));
    }
    return out;
}

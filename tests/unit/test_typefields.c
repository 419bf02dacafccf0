/* domain/typefields: the items of each special group and kind of unit. */
#include <jansson.h>

#include "unit.h"
#include "domain/typefields.h"

/* Checks fields given as JSON text; returns the error code ("" if none) and
 * leaves the field at fault in *field. */
static const char *check(const char *record, const char *type, const char *text,
                         const char **field)
{
    static char code[64];
    json_t *f = json_loads(text, 0, NULL);
    struct err e = ERR_INIT;
    int r = typefields_check(record, type, f, &e);
    json_decref(f);
    *field = e.field;
    snprintf(code, sizeof(code), "%s", r == 0 ? "" : e.code ? e.code : "?");
    return code;
}

static void test_valid_items(void)
{
    const char *field;
    CHECK_STR(check("group", "mental", "{\"diagnosis\":\"精神分裂症\",\"onset_date\":\"2019-03-01\","
                                       "\"low_income\":true,\"incident_count\":2,"
                                       "\"help\":[\"药物治疗\",\"就业帮扶\"]}", &field), "");
    CHECK_STR(check("group", "correction", "{\"correction_type\":\"缓刑\",\"crime\":\"盗窃罪\"}",
                    &field), "");
    CHECK_STR(check("group", "youth", "{\"youth_type\":\"农村留守儿童\",\"help\":null}", &field),
              "");
    CHECK_STR(check("org", "school", "{\"safety_officer\":\"李主任\",\"students\":480}", &field), "");
    CHECK_STR(check("org", "enterprise", "{\"hazardous_chemicals\":false}", &field), "");
    CHECK_STR(check("group", "drug", "{}", &field), "");
    struct err e = ERR_INIT;
    CHECK(typefields_check("org", "other", NULL, &e) == 0);
}

static void test_errors_name_the_item(void)
{
    const char *field = NULL;
    CHECK_STR(check("group", "mental", "{\"diagnosis\":\"抑郁症\"}", &field), "invalid_choice");
    CHECK_STR(field, "fields.diagnosis");
    CHECK_STR(check("group", "correction", "{\"correction_type\":\"拘役\"}", &field),
              "invalid_choice");
    CHECK_STR(field, "fields.correction_type");
    CHECK_STR(check("group", "released", "{\"release_date\":\"2023-02-30\"}", &field),
              "invalid_date");
    CHECK_STR(field, "fields.release_date");
    CHECK_STR(check("group", "released", "{\"recidivist\":\"是\"}", &field), "invalid_type");
    CHECK_STR(field, "fields.recidivist");
    CHECK_STR(check("group", "mental", "{\"incident_count\":-1}", &field), "invalid_type");
    CHECK_STR(field, "fields.incident_count");
    CHECK_STR(check("group", "mental", "{\"incident_count\":1.5}", &field), "invalid_type");
    CHECK_STR(check("group", "mental", "{\"help\":\"药物治疗\"}", &field), "invalid_type");
    CHECK_STR(field, "fields.help");
    CHECK_STR(check("group", "mental", "{\"help\":[\"a\",3]}", &field), "invalid_type");
    CHECK_STR(check("org", "school", "{\"students\":\"480\"}", &field), "invalid_type");
    CHECK_STR(field, "fields.students");
    /* An item another type has is unknown here. */
    CHECK_STR(check("group", "drug", "{\"diagnosis\":\"精神分裂症\"}", &field), "unknown_field");
    CHECK_STR(field, "fields");
    CHECK_STR(check("org", "other", "{\"x\":\"1\"}", &field), "unknown_field");
    CHECK_STR(check("group", "drug", "[1]", &field), "invalid_type");
    CHECK_STR(field, "fields");
    /* Text is checked like every other text (control characters, length). */
    CHECK_STR(check("group", "drug", "{\"control\":\"a\\u0001b\"}", &field), "invalid_text");
}

static void test_table(void)
{
    json_t *t = typefields_json();
    json_t *mental = json_object_get(json_object_get(t, "group"), "mental");
    CHECK(json_is_array(mental) && json_array_size(mental) > 5);
    json_t *first = json_array_get(mental, 0);
    CHECK_STR(json_string_value(json_object_get(first, "key")), "diagnosis");
    CHECK_STR(json_string_value(json_object_get(first, "kind")), "choice");
    CHECK(json_array_size(json_object_get(first, "choices")) == 6);
    const char *groups[] = {"released", "correction", "mental", "drug", "aids", "youth"};
    for (size_t i = 0; i < 6; i++)
        CHECK(json_array_size(json_object_get(json_object_get(t, "group"), groups[i])) > 0);
    json_t *school = json_object_get(json_object_get(t, "org"), "school");
    int officer = 0;
    size_t i;
    json_t *x;
    json_array_foreach(school, i, x) officer |=
        strcmp(json_string_value(json_object_get(x, "key")), "safety_officer") == 0;
    CHECK(officer);
    json_decref(t);
}

UNIT_MAIN(test_valid_items, test_errors_name_the_item, test_table)

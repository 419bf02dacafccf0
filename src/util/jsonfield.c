#include "jsonfield.h"

#include <string.h>

int jf_only(json_t *obj, const char *const allowed[], struct err *e)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, key) == 0)
                ok = 1;
        if (!ok)
            return err_set(e, ERR_INVALID, "unknown_field", key, "未知字段 %s", key);
    }
    return 0;
}

int jf_check_text(const char *s, size_t len, const char *field, size_t max_chars, struct err *e)
{
    size_t chars = 0;
    int blank = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return err_set(e, ERR_INVALID, "invalid_text", field, "字段 %s 含有控制字符", field);
        if ((c & 0xC0) != 0x80)
            chars++;
        if (c != ' ')
            blank = 0;
    }
    if (blank)
        return err_set(e, ERR_INVALID, "empty_field", field, "字段 %s 不能为空", field);
    if (chars > max_chars)
        return err_set(e, ERR_INVALID, "too_long", field, "字段 %s 不能超过 %zu 个字符", field,
                       max_chars);
    return 0;
}

int jf_str(json_t *obj, const char *key, int required, size_t max_chars, const char **out,
           struct err *e)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return err_set(e, ERR_INVALID, "missing_field", key, "缺少字段 %s", key);
        return 0;
    }
    if (!json_is_string(v))
        return err_set(e, ERR_INVALID, "invalid_type", key, "字段 %s 必须是字符串", key);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) != len)
        return err_set(e, ERR_INVALID, "invalid_text", key, "字段 %s 含有控制字符", key);
    if (jf_check_text(s, len, key, max_chars, e) < 0)
        return -1;
    *out = s;
    return 0;
}

int jf_int(json_t *obj, const char *key, int required, int64_t min, int64_t max, int64_t *out,
           int *present, struct err *e)
{
    json_t *v = json_object_get(obj, key);
    if (present)
        *present = 0;
    if (!v || json_is_null(v)) {
        if (required)
            return err_set(e, ERR_INVALID, "missing_field", key, "缺少字段 %s", key);
        return 0;
    }
    if (!json_is_integer(v))
        return err_set(e, ERR_INVALID, "invalid_type", key, "字段 %s 必须是整数", key);
    json_int_t n = json_integer_value(v);
    if (n < min || n > max)
        return err_set(e, ERR_INVALID, "out_of_range", key, "字段 %s 必须在 %lld 到 %lld 之间",
                       key, (long long)min, (long long)max);
    *out = n;
    if (present)
        *present = 1;
    return 0;
}

int jf_bool(json_t *obj, const char *key, int required, int *out, int *present, struct err *e)
{
    json_t *v = json_object_get(obj, key);
    if (present)
        *present = 0;
    if (!v || json_is_null(v)) {
        if (required)
            return err_set(e, ERR_INVALID, "missing_field", key, "缺少字段 %s", key);
        return 0;
    }
    if (!json_is_boolean(v))
        return err_set(e, ERR_INVALID, "invalid_type", key, "字段 %s 必须是 true 或 false", key);
    *out = json_is_true(v);
    if (present)
        *present = 1;
    return 0;
}

int jf_point(json_t *obj, double *lng, double *lat, int *present, struct err *e)
{
    json_t *x = json_object_get(obj, "lng"), *y = json_object_get(obj, "lat");
    *present = 0;
    if ((!x || json_is_null(x)) && (!y || json_is_null(y)))
        return 0;
    if (!json_is_number(x) || !json_is_number(y))
        return err_set(e, ERR_INVALID, "invalid_type", x && json_is_number(x) ? "lat" : "lng",
                       "经纬度 lng、lat 须同时给出且为数字");
    *lng = json_number_value(x);
    *lat = json_number_value(y);
    if (*lng < -180 || *lng > 180)
        return err_set(e, ERR_INVALID, "out_of_range", "lng", "经度应在 -180 到 180 之间");
    if (*lat < -90 || *lat > 90)
        return err_set(e, ERR_INVALID, "out_of_range", "lat", "纬度应在 -90 到 90 之间");
    *present = 1;
    return 0;
}

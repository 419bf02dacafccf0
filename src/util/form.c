#include "form.h"

#include <string.h>

#include "buf.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) into out (reset first); -1 on a broken %-escape. */
static int decode(const char *s, size_t n, struct buf *out)
{
    buf_reset(out);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (n - i < 3 || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
                return -1;
            c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        }
        if (buf_addch(out, c) < 0)
            return -1;
    }
    return 0;
}

/* 1 if the bytes are UTF-8 without NUL (usable as an object key). */
static int utf8_name(const struct buf *b)
{
    if (memchr(b->ptr, '\0', b->len))
        return 0;
    json_t *probe = json_stringn(b->ptr, b->len);
    json_decref(probe);
    return probe != NULL;
}

/* Adds one decoded pair; -1 with e set. */
static int add_pair(json_t *obj, const struct buf *name, const struct buf *value, struct err *e)
{
    json_t *v = json_stringn(value->ptr, value->len);
    if (!v || !utf8_name(name)) {
        json_decref(v);
        return err_set(e, ERR_INVALID, "invalid_form", NULL, "表单内容不是有效的 UTF-8");
    }
    size_t n = name->len;
    int multi = n > 2 && name->ptr[n - 2] == '[' && name->ptr[n - 1] == ']';
    json_t *old = json_object_get(obj, name->ptr);
    if (old && !multi) {
        json_decref(v);
        return err_set(e, ERR_INVALID, "invalid_form", NULL, "表单字段 %.64s 重复", name->ptr);
    }
    if (!multi)
        return json_object_set_new(obj, name->ptr, v) == 0 ? 0 : -1;
    if (!old) {
        old = json_array();
        json_object_set_new(obj, name->ptr, old);
    }
    json_array_append_new(old, v);
    return 0;
}

json_t *form_parse(const char *data, size_t len, struct err *e)
{
    json_t *obj = json_object();
    struct buf name = BUF_INIT, value = BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0;) {
        const char *amp = memchr(data + i, '&', len - i);
        size_t end = amp ? (size_t)(amp - data) : len;
        const char *eq = memchr(data + i, '=', end - i);
        size_t name_end = eq ? (size_t)(eq - data) : end;
        if (end > i) { /* "a=1&&b=2": an empty pair is nothing */
            buf_reset(&value);
            if (decode(data + i, name_end - i, &name) < 0 || name.len == 0 ||
                (eq && decode(eq + 1, end - name_end - 1, &value) < 0))
                rc = err_set(e, ERR_INVALID, "invalid_form", NULL,
                             "表单编码无效（名称为空或 %% 转义不完整）");
            else
                rc = add_pair(obj, &name, &value, e);
        }
        i = end + 1;
    }
    buf_release(&name);
    buf_release(&value);
    if (rc < 0) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

#include "xml.h"

#include <string.h>

/* Text content: the five markup characters escaped; control characters
 * other than tab, LF and CR are not allowed in XML 1.0 and are dropped. */
static int add_text(struct buf *out, const char *s, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': rc = buf_addstr(out, "&amp;"); break;
        case '<': rc = buf_addstr(out, "&lt;"); break;
        case '>': rc = buf_addstr(out, "&gt;"); break;
        case '"': rc = buf_addstr(out, "&quot;"); break;
        case '\'': rc = buf_addstr(out, "&apos;"); break;
        default:
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                rc = buf_addch(out, (char)c);
        }
    }
    return rc;
}

static int element(struct buf *out, const char *name, json_t *v);

/* The name of an array's items: the member name without a trailing "s". */
static int items(struct buf *out, const char *name, json_t *arr)
{
    size_t n = strlen(name);
    char one[64];
    if (n > 1 && n < sizeof(one) && name[n - 1] == 's')
        snprintf(one, sizeof(one), "%.*s", (int)(n - 1), name);
    else
        snprintf(one, sizeof(one), "item");
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        if (element(out, one, x) < 0)
            return -1;
    }
    return 0;
}

static int content(struct buf *out, const char *name, json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *x;
        json_object_foreach(v, key, x)
        {
            if (element(out, key, x) < 0)
                return -1;
        }
        return 0;
    }
    case JSON_ARRAY:
        return items(out, name, v);
    case JSON_STRING:
        return add_text(out, json_string_value(v), json_string_length(v));
    case JSON_TRUE:
        return buf_addstr(out, "true");
    case JSON_FALSE:
        return buf_addstr(out, "false");
    case JSON_NULL:
        return 0;
    default: {
        /* Numbers exactly as the JSON answer writes them. */
        char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));
        int rc = s ? buf_addstr(out, s) : -1;
        free(s);
        return rc;
    }
    }
}

static int element(struct buf *out, const char *name, json_t *v)
{
    if (json_is_null(v))
        return buf_addf(out, "<%s/>", name);
    if (buf_addf(out, "<%s>", name) < 0 || content(out, name, v) < 0)
        return -1;
    return buf_addf(out, "</%s>", name);
}

int xml_from_json(struct buf *out, const char *root, const char *item, json_t *v)
{
    if (buf_addstr(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n") < 0 ||
        buf_addf(out, "<%s>", root) < 0)
        return -1;
    int rc = json_is_array(v) ? 0 : content(out, root, v);
    size_t i;
    json_t *x;
    if (json_is_array(v))
        json_array_foreach(v, i, x)
        {
            if (rc == 0)
                rc = element(out, item, x);
        }
    return rc < 0 ? -1 : buf_addf(out, "</%s>\n", root);
}

/*
 * xml.h - JSON values written as schemaless XML, for APIs whose XML is a
 * mechanical mapping of their JSON (Open311 GeoReport v2).
 *
 * One renderer feeds both formats: a handler builds the json_t, and the XML
 * is derived from it, so the two cannot drift apart. The mapping:
 *   object      -> an element per member, in the object's order
 *   array       -> one child element per item, named by the member's name
 *                  without its trailing "s" (endpoints -> endpoint), or
 *                  by `item` for the top-level array
 *   string      -> text, escaped; characters XML 1.0 cannot hold are dropped
 *   number      -> as JSON writes it (reals with 12 significant digits)
 *   true/false  -> "true" / "false"
 *   null        -> an empty element
 */
#ifndef PINGAN_XML_H
#define PINGAN_XML_H

#include <jansson.h>

#include "buf.h"

/* Appends <?xml ...?> and <root>v</root> to out; a top-level array's items
 * become <item> elements. Returns 0, or -1 when out's cap is reached. */
int xml_from_json(struct buf *out, const char *root, const char *item, json_t *v);

#include "banned.h"
#endif

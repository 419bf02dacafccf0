/*
 * typefields.h - the items of a record that depend on its type: the ledger
 * of each special group (standards.md §1.4: 原罪名 of a released prisoner,
 * 矫正类别 of a person under community correction, 目前诊断类型 of a severe
 * mental disorder, …) and of some kinds of unit (a school's safety officers,
 * an enterprise's hazardous-chemicals flag, standards.md §1.5–1.6).
 *
 * One table says, per record and type, which items exist, their Chinese
 * label and their kind (text, date, yes/no, count, one of fixed values, a
 * list). The API validates a record's "fields" object against it — an
 * unknown item or a value of the wrong kind is an error naming the item
 * ("fields.release_date") — and serves the table so the UI draws its forms
 * from the same source. Values fixed by law or the health rules (矫正类别,
 * the six managed diagnoses, the five groups of key youth) are choices;
 * items whose official code lists were not found stay free text.
 *
 * Personal identifiers of third parties (a guardian's ID number or phone)
 * are deliberately not items: they would sit in clear in the JSON. The
 * guardianship team is recorded by name and role instead.
 */
#ifndef PINGAN_TYPEFIELDS_H
#define PINGAN_TYPEFIELDS_H

#include <jansson.h>

#include "util/err.h"

/* Checks fields (an object, or NULL for none) of a record ("group" or "org")
 * of a type. 0, or -1 with e naming the item at fault. */
int typefields_check(const char *record, const char *type, json_t *fields, struct err *e);

/* The whole table: {"group":{"released":[{key,label,kind,choices?}…],…},
 * "org":{"school":[…],…}}. */
json_t *typefields_json(void);

#include "util/banned.h"
#endif

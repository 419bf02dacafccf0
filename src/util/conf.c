#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum conf_type { CONF_STR, CONF_LONG };

struct conf_def {
    const char *name;
    enum conf_type type;
    size_t offset;
    size_t size; /* for strings */
    const char *def;
    long min, max;
    const char *help;
};

#define STR(n, d, h) {#n, CONF_STR, offsetof(struct config, n), sizeof(((struct config *)0)->n), d, 0, 0, h}
#define LNG(n, d, lo, hi, h) {#n, CONF_LONG, offsetof(struct config, n), 0, d, lo, hi, h}

static const struct conf_def defs[] = {
    STR(db, "pingan.db", "SQLite database file"),
    STR(listen, "127.0.0.1", "address to listen on (IPv4 or IPv6 literal)"),
    LNG(port, "8080", 1, 65535, "TCP port"),
    LNG(threads, "0", 0, 256, "HTTP worker threads (0 = 2 per core)"),
    LNG(max_body, "1048576", 1024, 1073741824, "largest request body in bytes (larger: 413)"),
    LNG(attachment_max_bytes, "8388608", 1024, 1073741824,
        "largest photo upload in bytes (larger: 413); replaces max_body on that route"),
    STR(attachment_dir, "", "directory of the photos, named by SHA-256 (empty: DB.files beside the database)"),
    LNG(max_header, "32768", 4096, 1048576, "memory per connection for the request line and headers, bytes"),
    LNG(max_connections, "4096", 8, 100000, "simultaneous connections"),
    LNG(connection_timeout, "30", 1, 3600, "seconds a connection may stay idle"),
    LNG(session_idle, "1800", 60, 86400, "seconds of inactivity after which a session expires"),
    LNG(lock_after, "5", 1, 100, "failed logins in a row that lock an account"),
    LNG(lock_seconds, "900", 1, 86400, "seconds an account stays locked"),
    LNG(throttle_failures, "20", 1, 100000, "failed logins per client address per window before 429"),
    LNG(throttle_window, "600", 1, 86400, "seconds of the per-address failure window"),
    LNG(argon2_ops, "2", 1, 10, "argon2id passes (libsodium opslimit)"),
    LNG(argon2_mem_kib, "65536", 8, 4194304, "argon2id memory in KiB (libsodium memlimit / 1024)"),
    LNG(db_sync_full, "1", 0, 1, "1: fsync the WAL on every commit (durable on return); 0: NORMAL"),
    STR(web_root, "", "directory of the UI's static files (empty: web/ beside the binary)"),
    STR(log_level, "info", "debug, info, warn or error"),
    STR(area_levels, "county=县,township=乡镇,village=村社区,grid=网格,microgrid=微网格",
        "the area levels from the top down, key=name separated by commas"),
    LNG(test_clock, "0", 0, 1, "1 enables POST /api/v1/_test/clock (tests only; never in production)"),
    LNG(shutdown_grace, "10", 0, 600, "seconds to let requests in flight finish on SIGTERM"),
    LNG(response_cache, "1", 0, 1, "1: keep rendered area pages and statistics in memory until the data changes"),
    STR(visit_duties, "mental@3=7,mental=30,correction=7,drug=14,released=30,aids=30,youth=30",
        "days between visits of special groups: type[@lowest danger level]=days, first match"),
    LNG(deadline_desk_h, "2", 1, 8760, "hours the centre has to register (立案) or refuse a new report"),
    LNG(deadline_accept_h, "4", 1, 8760, "hours a department has to accept (签收) a dispatched event"),
    LNG(deadline_verify_h, "24", 1, 8760, "hours the centre has to verify (核查) a handled event"),
    LNG(escalate_every_h, "24", 1, 8760, "an overdue event escalates one level up, again after these hours"),
    LNG(sweep_seconds, "60", 0, 86400, "seconds between sweeps that escalate overdue events (0: none)"),
    LNG(yellow_percent, "80", 1, 99, "percent of a step's time used after which its light turns yellow"),
    LNG(public_report_limit, "10", 1, 100000,
        "reports one client address may file without an account per public_window (more: 429)"),
    LNG(public_guess_limit, "20", 1, 100000,
        "unknown tracking codes one client address may ask for per public_window (more: 429)"),
    LNG(public_window, "3600", 60, 604800, "seconds of the per-address window of the public channel"),
    STR(classifier_model, "", "the classifier's model file (empty: DB.model, trained on first use)"),
    LNG(train_every_h, "24", 0, 8760,
        "hours between retrainings of the classifier from settled categories (0: never)"),
    LNG(classify_review_below, "50", 0, 100,
        "percent: a proposed category scoring below this is marked needs_review"),
    LNG(dup_radius_m, "300", 1, 100000, "possible duplicates: open events within this many metres"),
    LNG(dup_window_h, "72", 1, 8760, "possible duplicates: reported within this many hours"),
    LNG(dup_min_similarity, "30", 1, 100, "possible duplicates: texts at least this alike, percent"),
    LNG(camera_offline_h, "24", 1, 8760,
        "a camera offline (or silent while the video platform reports others) this many hours raises an event"),
    STR(key_file, "", "key file of personal data, mode 0600, created on first run (empty: DB.key)"),
    LNG(tiling_tolerance_m2, "10", 0, 1000000000,
        "gaps, overlaps and overhangs up to this many m² are not reported by the tiling check"),
};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

/* Where each setting's value came from, for --print-config. */
static char sources[NDEFS][600];

int conf_parse_long(const char *s, long *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end != '\0' || isspace((unsigned char)*s))
        return -1;
    *out = v;
    return 0;
}

static const struct conf_def *find(const char *key, size_t *idx)
{
    for (size_t i = 0; i < NDEFS; i++) {
        if (strcmp(defs[i].name, key) == 0) {
            if (idx)
                *idx = i;
            return &defs[i];
        }
    }
    return NULL;
}

int conf_set(struct config *cfg, const char *key, const char *value, const char *source, char *err,
             size_t errsize)
{
    size_t idx;
    const struct conf_def *d = find(key, &idx);
    if (!d) {
        snprintf(err, errsize, "%s: unknown setting '%s'", source, key);
        return -1;
    }
    char *field = (char *)cfg + d->offset;
    if (d->type == CONF_STR) {
        size_t n = strlen(value);
        if (n >= d->size) {
            snprintf(err, errsize, "%s: %s is too long (at most %zu bytes)", source, key,
                     d->size - 1);
            return -1;
        }
        memcpy(field, value, n + 1);
    } else {
        long v;
        if (conf_parse_long(value, &v) < 0) {
            snprintf(err, errsize, "%s: %s must be an integer, got '%s'", source, key, value);
            return -1;
        }
        if (v < d->min || v > d->max) {
            snprintf(err, errsize, "%s: %s must be between %ld and %ld, got %ld", source, key,
                     d->min, d->max, v);
            return -1;
        }
        memcpy(field, &v, sizeof(v));
    }
    snprintf(sources[idx], sizeof(sources[idx]), "%s", source);
    return 0;
}

void conf_defaults(struct config *cfg)
{
    char err[256];
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < NDEFS; i++) {
        if (conf_set(cfg, defs[i].name, defs[i].def, "default", err, sizeof(err)) < 0) {
            fprintf(stderr, "BUG: bad default: %s\n", err);
            abort();
        }
    }
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int load_file(struct config *cfg, const char *path, char *err, size_t errsize)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsize, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int lineno = 0, rc = 0;
    static char where[600];
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errsize, "%s:%d: expected 'name = value'", path, lineno);
            rc = -1;
            break;
        }
        *eq = '\0';
        snprintf(where, sizeof(where), "%s:%d", path, lineno);
        if (conf_set(cfg, trim(s), trim(eq + 1), where, err, errsize) < 0) {
            rc = -1;
            break;
        }
    }
    fclose(f);
    return rc;
}

static int is_extra(const char *name, const char *const *extra)
{
    for (; extra && *extra; extra++)
        if (strcmp(name, *extra) == 0)
            return 1;
    return 0;
}

int conf_load(struct config *cfg, int argc, char **argv, const char *const *extra, char *err,
              size_t errsize)
{
    const char *file = getenv("PINGAN_CONFIG");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            file = argv[i + 1];
    }
    if (file && *file && load_file(cfg, file, err, errsize) < 0)
        return -1;

    for (size_t i = 0; i < NDEFS; i++) {
        char env[64] = "PINGAN_";
        size_t n = 7;
        for (const char *p = defs[i].name; *p && n < sizeof(env) - 1; p++)
            env[n++] = (char)toupper((unsigned char)*p);
        env[n] = '\0';
        const char *v = getenv(env);
        if (v) {
            char src[80];
            snprintf(src, sizeof(src), "environment %s", env);
            if (conf_set(cfg, defs[i].name, v, src, err, errsize) < 0)
                return -1;
        }
    }

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            snprintf(err, errsize, "unexpected argument '%s'", a);
            return -1;
        }
        char name[64];
        const char *eqv = strchr(a, '=');
        size_t len = eqv ? (size_t)(eqv - a - 2) : strlen(a + 2);
        if (len >= sizeof(name)) {
            snprintf(err, errsize, "unknown flag '%s'", a);
            return -1;
        }
        for (size_t k = 0; k < len; k++)
            name[k] = a[2 + k] == '-' ? '_' : a[2 + k];
        name[len] = '\0';
        if (is_extra(name, extra))
            continue;
        if (strcmp(name, "config") == 0) {
            i++;
            continue;
        }
        if (!find(name, NULL)) {
            snprintf(err, errsize, "unknown flag '%s' (see --help)", a);
            return -1;
        }
        const char *v = eqv ? eqv + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!v) {
            snprintf(err, errsize, "flag '%s' needs a value", a);
            return -1;
        }
        if (conf_set(cfg, name, v, "flag", err, errsize) < 0)
            return -1;
    }
    return 0;
}

void conf_print(const struct config *cfg, FILE *out)
{
    for (size_t i = 0; i < NDEFS; i++) {
        const char *field = (const char *)cfg + defs[i].offset;
        if (defs[i].type == CONF_STR)
            fprintf(out, "%s = %s", defs[i].name, field);
        else {
            long v;
            memcpy(&v, field, sizeof(v));
            fprintf(out, "%s = %ld", defs[i].name, v);
        }
        fprintf(out, "    # %s\n", sources[i][0] ? sources[i] : "default");
    }
}

void conf_print_sample(FILE *out)
{
    fputs("# Pingan configuration. Every line is `name = value`; '#' starts a comment.\n"
          "# The same names work as environment variables (PINGAN_NAME) and flags (--name).\n"
          "# Precedence: default < this file < environment < flag.\n",
          out);
    for (size_t i = 0; i < NDEFS; i++) {
        fprintf(out, "\n# %s", defs[i].help);
        if (defs[i].type == CONF_LONG)
            fprintf(out, " [%ld..%ld]", defs[i].min, defs[i].max);
        fprintf(out, "\n# %s = %s\n", defs[i].name, defs[i].def);
    }
}

void conf_print_flags(FILE *out)
{
    for (size_t i = 0; i < NDEFS; i++) {
        char flag[64];
        size_t n = 0;
        for (const char *p = defs[i].name; *p && n < sizeof(flag) - 1; p++)
            flag[n++] = *p == '_' ? '-' : *p;
        flag[n] = '\0';
        fprintf(out, "  --%-20s %s (default: %s)\n", flag, defs[i].help, defs[i].def);
    }
}

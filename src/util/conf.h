/*
 * conf.h - configuration as one typed table.
 *
 * Every setting is one row of the table in conf.c: name, type, default, range
 * and help. The same table drives the config file (`name = value` lines),
 * the environment (PINGAN_NAME), the command-line flags (--name value, with
 * '_' written '-'), range checks with located messages, --print-config, and
 * docs/pingan.conf.sample (`pingan config --sample`). Precedence, lowest first:
 * default < file < environment < flag.
 */
#ifndef PINGAN_CONF_H
#define PINGAN_CONF_H

#include <stdio.h>

struct config {
    char db[512];
    char listen[64];
    long port;
    long threads;
    long max_body;
    long attachment_max_bytes;
    char attachment_dir[512];
    long max_header;
    long max_connections;
    long connection_timeout;
    long session_idle;
    long lock_after;
    long lock_seconds;
    long throttle_failures;
    long throttle_window;
    long argon2_ops;
    long argon2_mem_kib;
    long db_sync_full;
    char web_root[512];
    char log_level[16];
    char area_levels[512];
    long test_clock;
    long shutdown_grace;
    long response_cache;
    long tiling_tolerance_m2;
    char key_file[512];
    char visit_duties[256];
    long deadline_desk_h;
    long deadline_accept_h;
    long deadline_verify_h;
    long escalate_every_h;
    long yellow_percent;
    long sweep_seconds;
    char classifier_model[512];
    long classify_review_below;
    long train_every_h;
    long dup_radius_m;
    long dup_window_h;
    long dup_min_similarity;
    long camera_offline_h;
    long public_report_limit;
    long public_guess_limit;
    long public_window;
};

/* Fills cfg with the defaults. */
void conf_defaults(struct config *cfg);

/*
 * Applies the file named by --config/PINGAN_CONFIG (if any), then the
 * environment, then flags from argv (argv[0] is not a flag). Flags not in the
 * table are an error unless listed in `extra` (NULL-terminated names without
 * dashes, taking no value), which are left for the caller.
 * On error writes a located message into err and returns -1.
 */
int conf_load(struct config *cfg, int argc, char **argv, const char *const *extra, char *err,
              size_t errsize);
/* Sets one key from text; source names where it came from for messages. */
int conf_set(struct config *cfg, const char *key, const char *value, const char *source, char *err,
             size_t errsize);
/* Writes every setting as `name = value  # source` lines. */
void conf_print(const struct config *cfg, FILE *out);
/* Writes the documented sample config file. */
void conf_print_sample(FILE *out);
/* Writes the flags help (one line per setting). */
void conf_print_flags(FILE *out);

/* Strict decimal integer parse: returns 0 and sets *out, or -1. */
int conf_parse_long(const char *s, long *out);

#include "banned.h"
#endif

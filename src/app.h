/*
 * app.h - the one global state of a running pingan, created in main and
 * reached through the request (r->app).
 */
#ifndef PINGAN_APP_H
#define PINGAN_APP_H

#include <stdatomic.h>

#include "util/conf.h"

#define PINGAN_VERSION "0.1.0"

struct seal;

struct app {
    struct config cfg;
    struct seal *seal; /* the keys of personal data (key_file) */
    char web_root[1024]; /* resolved directory of the UI files */
    char files_dir[1024]; /* resolved attachment_dir (store/files.h) */
    atomic_int in_flight; /* requests being handled */
    atomic_int stopping;  /* set on SIGTERM/SIGINT */
};

#include "util/banned.h"
#endif

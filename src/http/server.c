#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "http/request.h"
#include "http/router.h"
#include "http/stream.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

static const char LOG_TAG[] = "http";

/* Request ids: unique and unpredictable enough to correlate logs, without a
 * system call per request (splitmix64 over a per-thread random seed). */
static uint64_t next_request_id(void)
{
    static _Thread_local uint64_t state;
    if (!state)
        randombytes_buf(&state, sizeof(state));
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static struct req *req_new(struct app *app, struct MHD_Connection *c, const char *method,
                           const char *url)
{
    struct req *r = xcalloc(1, sizeof(*r));
    r->app = app;
    r->conn = c;
    r->t0_us = clock_mono_us();
    r->method = arena_strdup(&r->arena, method);
    r->path = arena_strdup(&r->arena, url);
    snprintf(r->id, sizeof(r->id), "%016llx", (unsigned long long)next_request_id());
    r->body_limit = router_body_limit(app, method, url);
    buf_init(&r->body, (size_t)r->body_limit);
    buf_init(&r->out, 64u << 20);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->address,
                  sizeof(r->address));
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->address,
                  sizeof(r->address));
    else
        snprintf(r->address, sizeof(r->address), "unknown");
    atomic_fetch_add(&app->in_flight, 1);
    return r;
}

static void req_free(struct req *r)
{
    if (r->reply_fd > 0)
        close(r->reply_fd);
    atomic_fetch_sub(&r->app->in_flight, 1);
    buf_release(&r->body);
    buf_release(&r->out);
    if (r->json)
        json_decref(r->json);
    if (r->err_extra)
        json_decref(r->err_extra);
    if (r->audit_detail)
        json_decref(r->audit_detail);
    arena_release(&r->arena);
    free(r);
}

static void render_error(struct req *r)
{
    error_renderer_fn own = router_error_renderer(r->path);
    if (own) {
        if (!r->status)
            r->status = 500;
        own(r);
        return;
    }
    json_t *err = json_pack("{s:s,s:s}", "code", r->err_code, "message", r->err_message);
    if (r->err_field)
        json_object_set_new(err, "field", json_string(r->err_field));
    if (r->err_extra) {
        json_object_set(err, r->err_extra_key, r->err_extra);
    }
    int status = r->status ? r->status : 500;
    reply_json(r, status, json_pack("{s:o}", "error", err));
    r->status = status;
}

static const char *content_type_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".map", "application/json"},
        {".webmanifest", "application/manifest+json"},
    };
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (strcmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

/* Opens the static file for path, or -1. SPA routes fall back to index.html. */
static int open_static(struct req *r, const char **served, off_t *size)
{
    const char *p = r->path;
    if (strstr(p, "..") || strchr(p, '\\') || p[0] != '/')
        return -1;
    const char *rel = strcmp(p, "/") == 0 ? "/index.html" : p;
    const char *last = strrchr(rel, '/');
    for (int attempt = 0; attempt < 2; attempt++) {
        char full[2048];
        snprintf(full, sizeof(full), "%s%s", r->app->web_root, rel);
        int fd = open(full, O_RDONLY | O_CLOEXEC);
        struct stat stt;
        if (fd >= 0 && fstat(fd, &stt) == 0 && S_ISREG(stt.st_mode)) {
            *served = rel;
            *size = stt.st_size;
            return fd;
        }
        if (fd >= 0)
            close(fd);
        if (strchr(last, '.'))
            break; /* a missing asset is a 404, not the app shell */
        rel = "/index.html";
    }
    return -1;
}

static void access_log(struct req *r, size_t bytes)
{
    static const char LOG_TAG_ACCESS[] = "access";
    if (LOG_INFO >= log_min_level)
        log_write(LOG_INFO, LOG_TAG_ACCESS, "%s %s %d %s %zu %lldus", r->method, r->path,
                  r->status, r->who.username ? r->who.username : "-", bytes,
                  (long long)(clock_mono_us() - r->t0_us));
}

static void add_common_headers(struct req *r, struct MHD_Response *resp, int api)
{
    MHD_add_response_header(resp, "X-Request-Id", r->id);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (api) {
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    } else {
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
        MHD_add_response_header(
            resp, "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'");
    }
    for (int i = 0; i < r->nheaders; i++) {
        /* An error answer carries no cookie a handler set before it failed
         * (e.g. a login whose audit row could not be written). */
        if (r->failed && strcmp(r->header_name[i], "Retry-After") != 0)
            continue;
        MHD_add_response_header(resp, r->header_name[i], r->header_value[i]);
    }
}

static enum MHD_Result send_stream(struct req *r)
{
    struct MHD_Response *resp = stream_response(r->conn, r->who.scope_path, r->who.department_id);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "text/event-stream; charset=utf-8");
    MHD_add_response_header(resp, "X-Accel-Buffering", "no");
    add_common_headers(r, resp, 1);
    enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    access_log(r, 0);
    return ret;
}

static enum MHD_Result send_buffer(struct req *r)
{
    if (r->stream && !r->failed)
        return send_stream(r);
    if (r->reply_fd > 0 && r->failed) {
        close(r->reply_fd);
        r->reply_fd = 0;
    }
    if (r->reply_fd > 0) {
        struct MHD_Response *resp = MHD_create_response_from_fd(r->reply_size, r->reply_fd);
        if (!resp) {
            close(r->reply_fd);
            return MHD_NO;
        }
        r->reply_fd = 0; /* the response owns it now */
        MHD_add_response_header(resp, "Content-Type", r->content_type);
        add_common_headers(r, resp, 1);
        enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
        MHD_destroy_response(resp);
        access_log(r, (size_t)r->reply_size);
        return ret;
    }
    if (r->failed)
        render_error(r);
    size_t len = r->out.len;
    char *body = buf_detach(&r->out, NULL);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    if (r->content_type)
        MHD_add_response_header(resp, "Content-Type", r->content_type);
    add_common_headers(r, resp, 1);
    if (r->body_too_large)
        MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    access_log(r, len);
    return ret;
}

static enum MHD_Result serve_static(struct req *r)
{
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        req_fail(r, 405, "method_not_allowed", NULL, "静态文件只支持 GET");
        return send_buffer(r);
    }
    const char *served;
    off_t size;
    int fd = open_static(r, &served, &size);
    if (fd < 0) {
        req_fail(r, 404, "not_found", NULL, "文件不存在: %s", r->path);
        return send_buffer(r);
    }
    struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)size, fd);
    if (!resp) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", content_type_of(served));
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    add_common_headers(r, resp, 0);
    r->status = 200;
    enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    access_log(r, (size_t)size);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    struct app *app = cls;
    struct req *r = *con_cls;
    if (!r) {
        r = req_new(app, c, method, url);
        *con_cls = r;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        char *end;
        unsigned long long n = cl ? strtoull(cl, &end, 10) : 0;
        /* A declared length over the limit: up to four times the limit the
         * body is read and dropped, so that a client still sending (a phone
         * uploading a photo too large) gets its 413 instead of a reset;
         * beyond that it is answered at once and the connection closed. */
        if (cl && n > (unsigned long long)r->body_limit)
            r->body_too_large = n <= 4ull * (unsigned long long)r->body_limit ? 2 : 1;
        if (r->body_too_large != 1)
            return MHD_YES;
    }
    log_request_id = r->id;
    if (*upload_size) {
        if (!r->body_too_large && buf_add(&r->body, upload_data, *upload_size) < 0)
            r->body_too_large = 2;
        if (r->body_too_large == 2)
            r->discarded += *upload_size;
        *upload_size = 0;
        /* A body without Content-Length that ran over the limit is read to
         * its end and dropped (up to 64 times the limit), so that the client
         * gets its 413 instead of a reset connection. */
        if (!r->body_too_large || r->discarded < 64 * (size_t)r->body_limit) {
            log_request_id = NULL;
            return MHD_YES;
        }
    }
    enum MHD_Result ret;
    if (r->body_too_large) {
        /* A declared length over the limit is answered at once: the body is
         * never read, and the connection is closed after the response. */
        req_fail(r, 413, "body_too_large", NULL, "请求体超过上限 %ld 字节", r->body_limit);
        ret = send_buffer(r);
    } else if (strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0 ||
               strncmp(url, "/open311/", 9) == 0) {
        router_dispatch(r);
        ret = send_buffer(r);
    } else {
        ret = serve_static(r);
    }
    log_request_id = NULL;
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    struct req *r = *con_cls;
    if (r) {
        if (r->db && db_in_tx(r->db))
            db_rollback(r->db); /* defensive: a handler left a transaction open */
        req_free(r);
    }
    *con_cls = NULL;
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    log_warn("libmicrohttpd: %s", msg);
}

int server_run(struct app *app)
{
    struct config *cfg = &app->cfg;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC |
                     MHD_ALLOW_SUSPEND_RESUME;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, cfg->listen, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)cfg->port);
    } else if (inet_pton(AF_INET6, cfg->listen, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((uint16_t)cfg->port);
        flags |= MHD_USE_IPv6;
    } else {
        log_error("listen: '%s' is not an IPv4 or IPv6 address", cfg->listen);
        return -1;
    }
    long threads = cfg->threads ? cfg->threads : 2 * sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1)
        threads = 2;

    /* Block the stop signals in every thread; this one waits for them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, app, MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)cfg->max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)cfg->connection_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)cfg->max_header, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        log_error("cannot listen on %s port %ld: %s", cfg->listen, cfg->port, strerror(errno));
        return -1;
    }
    log_info("pingan %s serving http://%s:%ld/ (%ld threads, db %s)", PINGAN_VERSION,
             cfg->listen, cfg->port, threads, cfg->db);
    stream_start();
    /* A line that scripts and tests wait for. */
    fprintf(stdout, "listening on http://%s:%ld/\n", cfg->listen, cfg->port);
    fflush(stdout);

    int sig = 0;
    sigwait(&set, &sig);
    atomic_store(&app->stopping, 1);
    stream_shutdown(); /* event streams end; they do not hold up the shutdown */
    log_info("signal %d: no longer accepting; finishing %d request(s) in flight", sig,
             atomic_load(&app->in_flight));
    MHD_socket ls = MHD_quiesce_daemon(d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    int64_t deadline = clock_mono_us() + (int64_t)cfg->shutdown_grace * 1000000;
    while (atomic_load(&app->in_flight) > 0 && clock_mono_us() < deadline)
        usleep(10000);
    MHD_stop_daemon(d);
    db_close_all();
    log_info("stopped cleanly");
    return 0;
}

#include "stream.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/area.h"
#include "util/xalloc.h"

#define RING 1024

struct sub {
    struct MHD_Connection *conn;
    uint64_t next;       /* the next sequence number to send */
    char scope[192];
    int64_t department_id;
    int suspended;
    int beat;            /* a heartbeat is due */
    int greeted;         /* the opening comment was sent */
    struct sub *prev, *nextsub;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct stream_record ring[RING];
static uint64_t seq; /* records published so far */
static struct sub *subs;
static atomic_int closing;
static pthread_t beat_thread;
static int beating;

/* Resumes every suspended stream; with lock held. */
static void wake_locked(int heartbeat)
{
    for (struct sub *s = subs; s; s = s->nextsub) {
        if (heartbeat)
            s->beat = 1;
        if (s->suspended) {
            s->suspended = 0;
            MHD_resume_connection(s->conn);
        }
    }
}

void stream_publish(const struct stream_record *rec)
{
    pthread_mutex_lock(&lock);
    ring[seq % RING] = *rec;
    seq++;
    wake_locked(0);
    pthread_mutex_unlock(&lock);
}

static int visible(const struct sub *s, const struct stream_record *r)
{
    if (!area_path_within(s->scope, r->area_path))
        return 0;
    if (!s->department_id)
        return 1;
    for (int i = 0; i < r->ndepts; i++)
        if (r->depts[i] == s->department_id)
            return 1;
    return 0;
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct sub *s = cls;
    size_t used = 0;
    pthread_mutex_lock(&lock);
    if (atomic_load(&closing)) {
        pthread_mutex_unlock(&lock);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    if (!s->greeted) {
        used += (size_t)snprintf(buf, max, ": pingan stream\nretry: 3000\n\n");
        s->greeted = 1;
    }
    if (seq - s->next > RING) {
        /* Fallen behind what the ring holds: tell the client to refetch. */
        used += (size_t)snprintf(buf + used, max - used, "event: reset\ndata: {}\n\n");
        s->next = seq;
    }
    while (s->next < seq && max - used > 512) {
        const struct stream_record *r = &ring[s->next % RING];
        s->next++;
        if (!visible(s, r))
            continue;
        int n = snprintf(buf + used, max - used,
                         "id: %llu\nevent: %s\ndata: {\"id\":%lld,\"action\":\"%s\",\"status\":"
                         "\"%s\",\"at_ms\":%lld}\n\n",
                         (unsigned long long)s->next, r->kind, (long long)r->event_id, r->action,
                         r->status, (long long)r->at_ms);
        if (n < 0 || (size_t)n >= max - used)
            break;
        used += (size_t)n;
    }
    if (!used && s->beat)
        used += (size_t)snprintf(buf, max, ": keepalive\n\n");
    s->beat = 0;
    if (!used) {
        s->suspended = 1;
        MHD_suspend_connection(s->conn);
    }
    pthread_mutex_unlock(&lock);
    return (ssize_t)used;
}

static void release(void *cls)
{
    struct sub *s = cls;
    pthread_mutex_lock(&lock);
    if (s->prev)
        s->prev->nextsub = s->nextsub;
    else
        subs = s->nextsub;
    if (s->nextsub)
        s->nextsub->prev = s->prev;
    pthread_mutex_unlock(&lock);
    free(s);
}

struct MHD_Response *stream_response(struct MHD_Connection *conn, const char *scope,
                                     int64_t department_id)
{
    struct sub *s = xcalloc(1, sizeof(*s));
    s->conn = conn;
    snprintf(s->scope, sizeof(s->scope), "%s", scope);
    s->department_id = department_id;
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, reader, s, release);
    if (!resp) {
        free(s);
        return NULL;
    }
    pthread_mutex_lock(&lock);
    s->next = seq;
    s->nextsub = subs;
    if (subs)
        subs->prev = s;
    subs = s;
    pthread_mutex_unlock(&lock);
    return resp;
}

static void *beat_main(void *arg)
{
    (void)arg;
    int ticks = 0;
    while (!atomic_load(&closing)) {
        usleep(200000);
        if (++ticks >= STREAM_HEARTBEAT_S * 5) {
            ticks = 0;
            pthread_mutex_lock(&lock);
            wake_locked(1);
            pthread_mutex_unlock(&lock);
        }
    }
    return NULL;
}

void stream_start(void)
{
    atomic_store(&closing, 0);
    beating = pthread_create(&beat_thread, NULL, beat_main, NULL) == 0;
}

void stream_shutdown(void)
{
    atomic_store(&closing, 1);
    pthread_mutex_lock(&lock);
    wake_locked(0);
    pthread_mutex_unlock(&lock);
    if (beating)
        pthread_join(beat_thread, NULL);
    beating = 0;
}

#include "throttle.h"

#include <pthread.h>
#include <string.h>

#define SLOTS 4096

struct slot {
    uint64_t key;
    int64_t window_start;
    long failures;
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h | 1; /* 0 marks an empty slot */
}

static struct slot *find(uint64_t key, int64_t now, int64_t window_ms)
{
    struct slot *s = &slots[key % SLOTS];
    if (s->key != key || now - s->window_start >= window_ms) {
        s->key = key;
        s->window_start = now;
        s->failures = 0;
    }
    return s;
}

int throttle_wait_s(const char *address, int64_t now, long max, int64_t window_ms)
{
    pthread_mutex_lock(&lock);
    struct slot *s = find(hash(address), now, window_ms);
    int wait = s->failures >= max ? (int)((s->window_start + window_ms - now + 999) / 1000) : 0;
    pthread_mutex_unlock(&lock);
    return wait;
}

void throttle_fail(const char *address, int64_t now, int64_t window_ms)
{
    pthread_mutex_lock(&lock);
    find(hash(address), now, window_ms)->failures++;
    pthread_mutex_unlock(&lock);
}

/* The libcurl multi loop: a thread that runs every transfer of a session, up to a limit at
 * once and a per-host limit, reusing connections. Requesters wait on their own condition. */
#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stores/http_client.h"
#include "symscope/display.h"
#include "util/util.h"

typedef struct job {
    http_request *r;
    CURL *easy;
    struct curl_slist *headers;
    double start_ms;
    long ttfb_ms; /* 0: no limit */
    uint64_t max_size;
    bool got_first; /* a header or body byte arrived */
    bool ttfb_expired, cancelled, too_large, write_failed;
    bool done;
    int redirects;     /* followed so far */
    bool redirect_cap; /* more redirects than allowed */
    bool retry_after;  /* the response had a Retry-After header */
    double wake_ms;    /* waiting for a retry: when to go again */
    char *url;         /* the URL being fetched (after redirects) */
    pthread_cond_t cond;
    struct job *next;
} job;

struct http_client {
    pthread_t thread;
    pthread_mutex_t lock;
    CURLM *multi;
    job *queue;
    job *waiting; /* jobs waiting out a back-off (the loop thread's own) */
    bool stop;
    bool started;
    /* settings (strings owned) */
    char *user_agent, *proxy, *ca_file;
    long connect_ms, ttfb_ms, low_speed_bytes, low_speed_ms, total_ms;
    uint64_t max_size;
    int max_redirects;
    bool netrc;
    _Atomic uint64_t requests, bytes; /* read by other threads (statistics) */
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t write_body(char *data, size_t size, size_t n, void *ud);

static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
    job *j = ud;
    size_t len = size * n;
    j->got_first = true;
    char line[512];
    size_t k = len < sizeof line - 1 ? len : sizeof line - 1;
    memcpy(line, data, k);
    line[k] = '\0';
    line[strcspn(line, "\r\n")] = '\0';
    if (strncasecmp(line, "HTTP/", 5) == 0) {
        /* A new response (after a redirect): forget the previous one's headers. */
        j->retry_after = false;
        j->r->content_type[0] = '\0';
    } else if (strncasecmp(line, "Retry-After:", 12) == 0) {
        j->retry_after = true; /* its value: CURLINFO_RETRY_AFTER (seconds or a date) */
    } else if (strncasecmp(line, "Content-Type:", 13) == 0) {
        const char *v = line + 13;
        while (*v == ' ')
            v++;
        snprintf(j->r->content_type, sizeof j->r->content_type, "%.127s", v);
    }
    return len;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    job *j = ud;
    const http_request *r = j->r;
    if ((r->cancel_a && *r->cancel_a) || (r->cancel_b && *r->cancel_b)) {
        j->cancelled = true;
        return 1;
    }
    if (!j->got_first && j->ttfb_ms > 0 && util_now_ms() - j->start_ms > (double)j->ttfb_ms) {
        j->ttfb_expired = true;
        return 1;
    }
    return 0;
}

static void job_free(job *j)
{
    free(j->url);
    if (j->easy)
        curl_easy_cleanup(j->easy);
    curl_slist_free_all(j->headers);
    pthread_cond_destroy(&j->cond);
}

/* Sets up the easy handle of a job; false when libcurl refuses. */
static bool job_setup(http_client *c, job *j)
{
    CURL *e = curl_easy_init();
    if (!e)
        return false;
    j->easy = e;
    http_request *r = j->r;
    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, j);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->error);
    curl_easy_setopt(e, CURLOPT_USERAGENT, c->user_agent);
    /* Redirects are followed here (loop()), not by libcurl, which would send a configured
     * header such as X-Api-Key to whatever host a redirect names. */
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->connect_ms);
    if (c->total_ms > 0)
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->total_ms);
    if (c->low_speed_bytes > 0 && c->low_speed_ms > 0) {
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, c->low_speed_bytes);
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (c->low_speed_ms + 999) / 1000);
    }
    j->ttfb_ms = c->ttfb_ms; /* checked in on_progress */
    j->max_size = c->max_size;
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_size);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* gzip and deflate, decoded */
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    if (c->proxy)
        curl_easy_setopt(e, CURLOPT_PROXY, c->proxy);
    if (c->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file);
    if (c->netrc)
        curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
    if (r->user) {
        curl_easy_setopt(e, CURLOPT_USERNAME, r->user);
        curl_easy_setopt(e, CURLOPT_PASSWORD, r->password ? r->password : "");
    }
    /* As SymSrv asks: no Accept header, and no sign-in page from Azure DevOps servers. */
    j->headers = curl_slist_append(j->headers, "Accept:");
    j->headers = curl_slist_append(j->headers, "X-TFS-FedAuthRedirect: Suppress");
    for (const char *const *h = r->headers; h && *h; h++)
        j->headers = curl_slist_append(j->headers, *h);
    if (j->headers)
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->headers);
    return true;
}

static bool is_redirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static size_t write_body(char *data, size_t size, size_t n, void *ud)
{
    job *j = ud;
    http_request *r = j->r;
    size_t len = size * n;
    j->got_first = true;
    long status = 0;
    char *location = NULL;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &location);
    if (is_redirect(status) && location)
        return len; /* a redirect's own body is not the download */
    if (r->bytes + len > j->max_size) {
        /* Servers may not send Content-Length: the limit holds while the body arrives. */
        j->too_large = true;
        return 0;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(r->fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            j->write_failed = true;
            snprintf(r->error, sizeof r->error, "cannot write the download: %s", strerror(errno));
            return 0;
        }
        done += (size_t)w;
    }
    r->bytes += len;
    return len;
}

static void finish(http_client *c, job *j, CURLcode code)
{
    http_request *r = j->r;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &r->status);
    r->ms = util_now_ms() - j->start_ms;
    if (j->cancelled)
        r->result = HTTP_CANCELLED;
    else if (j->ttfb_expired) {
        r->result = HTTP_NETWORK;
        snprintf(r->error, sizeof r->error, "no response within %ld ms (first byte)", j->ttfb_ms);
    } else if (j->redirect_cap)
        r->result = HTTP_REDIRECTS;
    else if (code == CURLE_OK)
        r->result = HTTP_DONE;
    else if (code == CURLE_FILESIZE_EXCEEDED || j->too_large)
        r->result = HTTP_TOO_LARGE;
    else if (code == CURLE_TOO_MANY_REDIRECTS)
        r->result = HTTP_REDIRECTS;
    else if (j->write_failed)
        r->result = HTTP_LOCAL;
    else
        r->result = HTTP_NETWORK;
    if (code == CURLE_OPERATION_TIMEDOUT && !j->got_first && !j->ttfb_expired)
        snprintf(r->error, sizeof r->error, "no response within %.0f ms (first byte)", r->ms);
    if (code != CURLE_OK && !r->error[0])
        snprintf(r->error, sizeof r->error, "%s", curl_easy_strerror(code));
    /* libcurl's messages may quote a URL (a malformed proxy's, password and all). */
    char *shown = sym_redact_urls(r->error);
    if (shown)
        snprintf(r->error, sizeof r->error, "%s", shown);
    free(shown);
    c->bytes += r->bytes;
}

/* scheme, host and port of two URLs, compared exactly: the same origin. */
static bool same_origin(const char *a, const char *b)
{
    CURLU *ua = curl_url(), *ub = curl_url();
    bool same = false;
    if (ua && ub && curl_url_set(ua, CURLUPART_URL, a, 0) == CURLUE_OK &&
        curl_url_set(ub, CURLUPART_URL, b, 0) == CURLUE_OK) {
        same = true;
        const CURLUPart parts[] = {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT};
        for (size_t i = 0; i < 3 && same; i++) {
            char *x = NULL, *y = NULL;
            curl_url_get(ua, parts[i], &x, CURLU_DEFAULT_PORT);
            curl_url_get(ub, parts[i], &y, CURLU_DEFAULT_PORT);
            same = x && y && strcasecmp(x, y) == 0;
            curl_free(x);
            curl_free(y);
        }
    }
    curl_url_cleanup(ua);
    curl_url_cleanup(ub);
    return same;
}

/* A finished response that is a redirect: the job goes again to where it points. The
 * store's headers and credentials go to the store's own origin only. True when re-queued. */
static bool follow_redirect(http_client *c, job *j, CURLcode code)
{
    long status = 0;
    char *location = NULL;
    if (code != CURLE_OK || j->cancelled || j->ttfb_expired)
        return false;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &location);
    if (!is_redirect(status) || !location)
        return false;
    if (j->redirects >= c->max_redirects) {
        j->redirect_cap = true;
        return false;
    }
    char *next = util_strdup(location);
    if (!next)
        return false;
    j->redirects++;
    curl_multi_remove_handle(c->multi, j->easy);
    if (!same_origin(j->r->url, next)) {
        curl_easy_setopt(j->easy, CURLOPT_HTTPHEADER, NULL);
        curl_easy_setopt(j->easy, CURLOPT_USERNAME, NULL);
        curl_easy_setopt(j->easy, CURLOPT_PASSWORD, NULL);
        curl_easy_setopt(j->easy, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
    }
    free(j->url);
    j->url = next;
    curl_easy_setopt(j->easy, CURLOPT_URL, j->url);
    return curl_multi_add_handle(c->multi, j->easy) == CURLM_OK;
}

static bool wants_cancel(const http_request *r)
{
    return (r->cancel_a && *r->cancel_a) || (r->cancel_b && *r->cancel_b);
}

static void job_done(http_client *c, job *j)
{
    pthread_mutex_lock(&c->lock);
    j->done = true;
    pthread_cond_signal(&j->cond);
    pthread_mutex_unlock(&c->lock);
}

/* Starts (or starts again) a job's transfer; false when libcurl refuses. */
static bool job_start(http_client *c, job *j)
{
    http_request *r = j->r;
    r->tries++;
    r->status = 0;
    r->bytes = 0;
    r->content_type[0] = '\0';
    r->error[0] = '\0';
    j->start_ms = util_now_ms();
    j->got_first = j->ttfb_expired = j->cancelled = j->too_large = j->write_failed = false;
    j->redirects = 0;
    j->redirect_cap = j->retry_after = false;
    c->requests++;
    return job_setup(c, j) && curl_multi_add_handle(c->multi, j->easy) == CURLM_OK;
}

static void job_refused(http_client *c, job *j)
{
    snprintf(j->r->error, sizeof j->r->error, "libcurl refused the request");
    j->r->result = HTTP_LOCAL;
    job_done(c, j);
}

static void history_add(http_request *r, long wait)
{
    size_t n = strlen(r->history);
    char what[300];
    if (r->result == HTTP_DONE)
        snprintf(what, sizeof what, "%ld", r->status);
    else
        snprintf(what, sizeof what, "%s", r->error);
    snprintf(r->history + n, sizeof r->history - n, "%s%s (retried after %ld ms)", n ? ", " : "",
             what, wait);
}

/* A finished try that may be tried again: the job waits out its back-off in c->waiting (the
 * loop goes on with other transfers meanwhile). True when it waits. */
static bool schedule_retry(http_client *c, job *j)
{
    http_request *r = j->r;
    bool retry = r->result == HTTP_NETWORK ||
                 (r->result == HTTP_DONE && (r->status >= 500 || r->status == 429));
    if (!retry || r->tries > r->retries || wants_cancel(r))
        return false;
    long wait = r->retry_base_ms << (r->tries - 1 < 16 ? r->tries - 1 : 16);
    curl_off_t after = 0;
    if (j->retry_after && curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &after) == CURLE_OK &&
        after >= 0)
        wait = after > LONG_MAX / 1000 ? LONG_MAX : (long)after * 1000;
    if (wait > r->retry_max_ms)
        wait = r->retry_max_ms;
    if (wait < 0)
        wait = 0;
    /* The body is written again from the start. */
    struct stat st;
    if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (ftruncate(r->fd, 0) != 0 || lseek(r->fd, 0, SEEK_SET) != 0))
        return false;
    history_add(r, wait);
    curl_easy_cleanup(j->easy);
    j->easy = NULL;
    curl_slist_free_all(j->headers);
    j->headers = NULL;
    free(j->url);
    j->url = NULL;
    j->wake_ms = util_now_ms() + (double)wait;
    j->next = c->waiting;
    c->waiting = j;
    return true;
}

/* Jobs whose back-off is over start again; a cancelled one ends with its last try's result.
 * Returns the milliseconds until the next one is due (or max_ms). */
static long wake_waiting(http_client *c, long max_ms)
{
    double now = util_now_ms();
    long next = max_ms;
    for (job **p = &c->waiting; *p;) {
        job *j = *p;
        if (wants_cancel(j->r)) {
            *p = j->next;
            job_done(c, j);
        } else if (j->wake_ms <= now) {
            *p = j->next;
            if (!job_start(c, j))
                job_refused(c, j);
        } else {
            long left = (long)(j->wake_ms - now) + 1;
            if (left < next)
                next = left;
            p = &j->next;
        }
    }
    return next;
}

static void *loop(void *arg)
{
    http_client *c = arg;
    for (;;) {
        pthread_mutex_lock(&c->lock);
        bool stop = c->stop;
        job *q = c->queue;
        c->queue = NULL;
        pthread_mutex_unlock(&c->lock);
        for (job *j = q; j;) {
            job *next = j->next;
            if (!job_start(c, j))
                job_refused(c, j);
            j = next;
        }
        int running = 0;
        curl_multi_perform(c->multi, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(c->multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            job *j = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
            if (follow_redirect(c, j, msg->data.result))
                continue;
            finish(c, j, msg->data.result);
            curl_multi_remove_handle(c->multi, j->easy);
            if (!stop && schedule_retry(c, j))
                continue;
            job_done(c, j);
        }
        if (stop) {
            while (c->waiting) { /* a client going away ends its back-offs */
                job *j = c->waiting;
                c->waiting = j->next;
                job_done(c, j);
            }
            if (running == 0)
                break;
        }
        long timeout = wake_waiting(c, 1000);
        curl_multi_poll(c->multi, NULL, 0, (int)timeout, NULL);
    }
    return NULL;
}

http_client *http_client_new(const sym_http_settings *h, int max_transfers)
{
    pthread_once(&curl_once, curl_init_once);
    http_client *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->user_agent = util_strdup(h->user_agent ? h->user_agent : SYM_DEFAULT_USER_AGENT);
    c->proxy = util_strdup(h->proxy);
    c->ca_file = util_strdup(h->ca_file);
    c->connect_ms = h->connect_timeout_ms;
    c->ttfb_ms = h->first_byte_timeout_ms;
    c->low_speed_bytes = h->low_speed_bytes;
    c->low_speed_ms = h->low_speed_ms;
    c->total_ms = h->total_timeout_ms;
    c->max_size = h->max_size;
    c->max_redirects = h->max_redirects;
    c->netrc = h->netrc;
    c->multi = curl_multi_init();
    pthread_mutex_init(&c->lock, NULL);
    if (!c->multi || !c->user_agent) {
        http_client_free(c);
        return NULL;
    }
    curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                      (long)(max_transfers > 0 ? max_transfers : 1));
    curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                      (long)(h->per_host > 0 ? h->per_host : max_transfers));
    curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS,
                      (long)(max_transfers > 0 ? max_transfers : 1) * 2);
    if (pthread_create(&c->thread, NULL, loop, c) != 0) {
        http_client_free(c);
        return NULL;
    }
    c->started = true;
    return c;
}

void http_client_free(http_client *c)
{
    if (!c)
        return;
    if (c->started) {
        pthread_mutex_lock(&c->lock);
        c->stop = true;
        pthread_mutex_unlock(&c->lock);
        curl_multi_wakeup(c->multi);
        pthread_join(c->thread, NULL);
    }
    if (c->multi)
        curl_multi_cleanup(c->multi);
    pthread_mutex_destroy(&c->lock);
    free(c->user_agent);
    free(c->proxy);
    free(c->ca_file);
    free(c);
}

void http_client_perform(http_client *c, http_request *r)
{
    r->result = HTTP_LOCAL;
    r->status = 0;
    r->bytes = 0;
    r->ms = 0;
    r->tries = 0;
    r->history[0] = '\0';
    r->content_type[0] = '\0';
    r->error[0] = '\0';
    job j = {.r = r};
    pthread_cond_init(&j.cond, NULL);
    pthread_mutex_lock(&c->lock);
    j.next = c->queue;
    c->queue = &j;
    pthread_mutex_unlock(&c->lock);
    curl_multi_wakeup(c->multi);
    pthread_mutex_lock(&c->lock);
    while (!j.done)
        pthread_cond_wait(&j.cond, &c->lock);
    pthread_mutex_unlock(&c->lock);
    job_free(&j);
}

void http_client_wakeup(http_client *c)
{
    if (c)
        curl_multi_wakeup(c->multi);
}

uint64_t http_client_requests(const http_client *c)
{
    return c ? c->requests : 0;
}

uint64_t http_client_bytes(const http_client *c)
{
    return c ? c->bytes : 0;
}

/* Interrupting a run (header section "Interrupting a run"): a request from another thread
 * stops a long run after the iteration under way, forwarding to the next progress function
 * until then. Compiled with -std=c99 -pedantic -Werror. */
#define _POSIX_C_SOURCE 200112L
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "gradient_descent.h"
#include "check.h"

static int quadratic(void *user, const double *x, double *grad, size_t n, double *loss) {
    (void)user;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        sum += 0.5 * x[i] * x[i];
        if (grad) grad[i] = x[i];
    }
    *loss = sum;
    return 0;
}

typedef struct counting {
    uint64_t calls;
    uint64_t last_iteration;
    gd_interrupt *interrupt;   /* requested by the progress function itself at stop_at */
    uint64_t stop_at;
} counting;

static int count_progress(void *user, const gd_progress_info *info) {
    counting *c = user;
    c->calls++;
    c->last_iteration = info->iteration;
    if (c->interrupt && info->iteration == c->stop_at) gd_interrupt_request(c->interrupt);
    return 0;
}

static void test_argument_checks(void) {
    CHECK_STATUS(gd_interrupt_new(NULL, NULL, NULL), GD_E_NULL_ARGUMENT);
    gd_interrupt_request(NULL);
    gd_interrupt_clear(NULL);
    CHECK(gd_interrupt_requested(NULL) == 0);
    CHECK(gd_interrupt_progress(NULL, NULL) == 0);
    gd_interrupt_free(NULL);
}

static void test_request_and_clear(void) {
    gd_interrupt *interrupt = NULL;
    CHECK_STATUS(gd_interrupt_new(NULL, NULL, &interrupt), GD_OK);
    CHECK(gd_interrupt_requested(interrupt) == 0);
    CHECK(gd_interrupt_progress(interrupt, NULL) == 0);
    gd_interrupt_request(interrupt);
    CHECK(gd_interrupt_requested(interrupt) == 1);
    CHECK(gd_interrupt_progress(interrupt, NULL) == 1);
    gd_interrupt_clear(interrupt);
    CHECK(gd_interrupt_requested(interrupt) == 0);
    gd_interrupt_free(interrupt);
}

/* The request made at iteration 37 stops the run there: the next function saw 37 calls. */
static void test_stops_after_the_iteration_under_way_and_forwards_until_then(void) {
    counting c = {0, 0, NULL, 37};
    gd_interrupt *interrupt = NULL;
    CHECK_STATUS(gd_interrupt_new(count_progress, &c, &interrupt), GD_OK);
    c.interrupt = interrupt;
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(quadratic, NULL, 3, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    gd_options options;
    CHECK_STATUS(gd_options_init(&options), GD_OK);
    options.max_iterations = 1000;
    options.progress = gd_interrupt_progress;
    options.progress_user = interrupt;
    double x[3] = {1.0, 2.0, 3.0};
    gd_report report;
    report.struct_size = sizeof report;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &report), GD_OK);
    CHECK(report.stop_reason == GD_STOP_PROGRESS);
    CHECK(report.iterations == 38);
    CHECK(c.calls == 37);
    /* x is the iterate after the last update: 38 steps of lr 0.001 on 0.5 x^2. */
    CHECK_NEAR(x[0], pow(0.999, 38), 1e-12);
    gd_interrupt_free(interrupt);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

typedef struct delayed {
    gd_interrupt *interrupt;
    long milliseconds;
} delayed;

static void *request_later(void *argument) {
    delayed *d = argument;
    struct timespec wait = {d->milliseconds / 1000, (d->milliseconds % 1000) * 1000000L};
    nanosleep(&wait, NULL);
    gd_interrupt_request(d->interrupt);
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A run that would take many seconds stops within a fraction of one after another thread's
 * request (under valgrind too). */
static void test_another_thread_stops_a_long_run(void) {
    gd_interrupt *interrupt = NULL;
    CHECK_STATUS(gd_interrupt_new(NULL, NULL, &interrupt), GD_OK);
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_create("rosenbrock", 4, NULL, NULL, 0, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("adam", 4, &opt), GD_OK);
    gd_options options;
    CHECK_STATUS(gd_options_init(&options), GD_OK);
    options.max_iterations = 0;
    options.time_limit = 60.0;
    options.progress = gd_interrupt_progress;
    options.progress_user = interrupt;
    double x[4] = {-1.2, 1.0, -1.2, 1.0};
    delayed d = {interrupt, 200};
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, request_later, &d) == 0);
    double start = now();
    gd_report report;
    report.struct_size = sizeof report;
    CHECK_STATUS(gd_minimize(obj, opt, x, 4, &options, &report), GD_OK);
    double elapsed = now() - start;
    pthread_join(thread, NULL);
    CHECK(report.stop_reason == GD_STOP_PROGRESS);
    CHECK(elapsed < 10.0);
    CHECK(report.iterations > 0);
    for (int i = 0; i < 4; i++) CHECK(isfinite(x[i]));
    gd_interrupt_free(interrupt);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

int main(void) {
    test_argument_checks();
    test_request_and_clear();
    test_stops_after_the_iteration_under_way_and_forwards_until_then();
    test_another_thread_stops_a_long_run();
    return check_summary("test_interrupt");
}

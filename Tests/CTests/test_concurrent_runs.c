/* Distinct handles used from distinct threads at once, as the header allows: runs over the
 * same borrowed data (each objective with its own second thread for large full passes) give
 * the serial run's bits; the process-wide rule registry takes registrations from several
 * threads; each thread's gd_last_error is its own. Run under valgrind by run.sh and under
 * ThreadSanitizer by `make test-sanitize`. Compiled with -std=c99 -pedantic -Werror. */
#define _POSIX_C_SOURCE 200112L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"

#define THREADS 4
#define ROWS (1 << 15) /* enough rows for the two-thread full pass */
#define COLS 4

static double data_x[ROWS * COLS], data_y[ROWS];

typedef struct job {
    const char *rule;
    size_t batch_size;
    double x[COLS];
    int status;
    char error[256];
} job;

static void *run_job(void *argument) {
    job *j = argument;
    gd_data data;
    gd_data_init(&data);
    data.x = data_x;
    data.rows = ROWS;
    data.cols = COLS;
    data.y = data_y;
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    j->status = gd_objective_create("least_squares", COLS, &data, NULL, 0, &obj);
    if (j->status == GD_OK) j->status = gd_optimizer_new(j->rule, COLS, &opt);
    if (j->status == GD_OK) {
        gd_options options;
        gd_options_init(&options);
        options.max_iterations = 12;
        options.batch_size = j->batch_size;
        options.seed = 7;
        for (int i = 0; i < COLS; i++) j->x[i] = 0;
        j->status = gd_minimize(obj, opt, j->x, COLS, &options, NULL);
    }
    /* Each thread's last error names its own failure. */
    char name[32];
    snprintf(name, sizeof name, "no_such_rule_%s", j->rule);
    gd_optimizer *missing = NULL;
    if (gd_optimizer_new(name, 1, &missing) != GD_E_UNKNOWN_NAME || strstr(gd_last_error(), name) == NULL) {
        j->status = -100;
    }
    snprintf(j->error, sizeof j->error, "%s", gd_last_error());
    gd_optimizer_free(opt);
    gd_objective_free(obj);
    return NULL;
}

static int rule(void *user, double *x, const double *grad, size_t n, double lr, uint64_t step, double *state,
                size_t state_size) {
    (void)user;
    (void)step;
    (void)state;
    (void)state_size;
    for (size_t i = 0; i < n; i++) x[i] -= lr * grad[i];
    return 0;
}

static void *register_rules(void *argument) {
    const int id = *(const int *)argument;
    for (int round = 0; round < 50; round++) {
        char name[32];
        snprintf(name, sizeof name, "concurrent_%d_%d", id, round);
        if (gd_rule_register(name, rule, NULL, 0) != GD_OK) return (void *)1;
        gd_optimizer *opt = NULL;
        if (gd_optimizer_new(name, 2, &opt) != GD_OK) return (void *)1;
        size_t count = 0;
        gd_registry_count(&count);
        gd_optimizer_free(opt);
        if (gd_rule_unregister(name) != GD_OK) return (void *)1;
    }
    return NULL;
}

static void test_concurrent_runs_equal_serial_runs(void) {
    for (int i = 0; i < ROWS; i++) {
        for (int c = 0; c < COLS; c++) data_x[i * COLS + c] = (double)((i * 31 + c * 7) % 97) / 97.0 - 0.5;
        data_y[i] = (double)(i % 13) / 13.0;
    }
    const char *rules[THREADS] = {"adam", "sgd", "rmsprop", "adam"};
    const size_t batches[THREADS] = {0, 64, 0, 128};
    job serial[THREADS], parallel[THREADS];
    for (int t = 0; t < THREADS; t++) {
        memset(&serial[t], 0, sizeof serial[t]);
        serial[t].rule = rules[t];
        serial[t].batch_size = batches[t];
        parallel[t] = serial[t];
        run_job(&serial[t]);
        CHECK_STATUS(serial[t].status, GD_OK);
    }
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) CHECK(pthread_create(&threads[t], NULL, run_job, &parallel[t]) == 0);
    for (int t = 0; t < THREADS; t++) CHECK(pthread_join(threads[t], NULL) == 0);
    for (int t = 0; t < THREADS; t++) {
        CHECK_STATUS(parallel[t].status, GD_OK);
        CHECK(memcmp(parallel[t].x, serial[t].x, sizeof serial[t].x) == 0);
        CHECK(strstr(parallel[t].error, rules[t]) != NULL);
    }
}

static void test_the_rule_registry_takes_registrations_from_several_threads(void) {
    pthread_t threads[THREADS];
    int ids[THREADS];
    for (int t = 0; t < THREADS; t++) {
        ids[t] = t;
        CHECK(pthread_create(&threads[t], NULL, register_rules, &ids[t]) == 0);
    }
    for (int t = 0; t < THREADS; t++) {
        void *result = NULL;
        CHECK(pthread_join(threads[t], &result) == 0);
        CHECK(result == NULL);
    }
}

int main(void) {
    test_concurrent_runs_equal_serial_runs();
    test_the_rule_registry_takes_registrations_from_several_threads();
    return check_summary("test_concurrent_runs");
}

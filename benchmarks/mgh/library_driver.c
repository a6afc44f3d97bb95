/* Runs the library's gd_minimize on a problem of the table, with the problem's C objective
 * (no Python in the loop). Built against include/gradient_descent.h; with MGH_HAVE_BOUNDS
 * (a header whose gd_options has lower/upper) it takes a box. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include "gradient_descent.h"
#include "mgh.h"
#include "run_record.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Minimizes problem k from x (in place; n = the problem's) with rule and its keys
 * (count pairs), gd_options defaults but gradient_tolerance and max_iterations, inside
 * [lower, upper] when both are given. Returns gd_minimize's status, or -100 when the
 * problem, rule or a key is refused before the run (the message says which). */
int mgh_library_solve(int k, const char *rule, const char *const *keys, const double *values,
                      int count, const double *lower, const double *upper,
                      double gradient_tolerance, uint64_t max_iterations, double *x,
                      mgh_run_record *record) {
    memset(record, 0, sizeof *record);
    record->stop_reason = -1;
    record->x0_projected = -1;
    const mgh_problem *p = mgh_problem_get(k);
    if (!p || !x) {
        snprintf(record->message, sizeof record->message, "no problem %d", k);
        return record->status = -100;
    }
    size_t n = (size_t)p->n;
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    int index = k;
    if (gd_objective_new(mgh_objective, &index, n, &obj) != GD_OK ||
        gd_optimizer_new(rule, n, &opt) != GD_OK) {
        snprintf(record->message, sizeof record->message, "%s", gd_last_error());
        gd_objective_free(obj);
        return record->status = -100;
    }
    for (int i = 0; i < count; i++) {
        if (gd_optimizer_set(opt, keys[i], values[i]) != GD_OK) {
            snprintf(record->message, sizeof record->message, "%s", gd_last_error());
            gd_optimizer_free(opt);
            gd_objective_free(obj);
            return record->status = -100;
        }
    }
    gd_options options;
    gd_options_init(&options);
    options.gradient_tolerance = gradient_tolerance;
    options.max_iterations = max_iterations;
#ifdef MGH_HAVE_BOUNDS
    options.lower = lower;
    options.upper = upper;
#else
    if (lower || upper) {
        snprintf(record->message, sizeof record->message, "this library has no bounds");
        gd_optimizer_free(opt);
        gd_objective_free(obj);
        return record->status = -100;
    }
#endif
    gd_report report;
    memset(&report, 0, sizeof report);
    report.struct_size = sizeof report;
    double start = now();
    int status = gd_minimize(obj, opt, x, n, &options, &report);
    record->seconds = now() - start;
    record->status = status;
    record->stop_reason = report.stop_reason;
    record->evaluations = report.evaluations;
    record->iterations = report.iterations;
#ifdef MGH_HAVE_BOUNDS
    record->x0_projected = report.x0_projected;
#endif
    double f = 0;
    record->f = mgh_evaluate(k, x, NULL, &f) == 0 ? f : report.loss;   /* at the returned x */
    snprintf(record->message, sizeof record->message, "%s",
             status == GD_OK ? gd_stop_reason_string(report.stop_reason) : gd_last_error());
    gd_optimizer_free(opt);
    gd_objective_free(obj);
    return status;
}

/* Runs libLBFGS (Naoaki Okazaki's C port of Nocedal's L-BFGS; Debian liblbfgs-dev) on a
 * problem of the table with its default parameters: history 6, More-Thuente line search,
 * stop when ||g|| / max(1, ||x||) < 1e-5; max_iterations is the only change (10000, as
 * the library's default, where libLBFGS's default is no limit). */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include "mgh.h"
#include "run_record.h"

#include <lbfgs.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct counted {
    int k;
    uint64_t evaluations;
    uint64_t iterations;
} counted;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static lbfgsfloatval_t evaluate(void *user, const lbfgsfloatval_t *x, lbfgsfloatval_t *g,
                                const int n, const lbfgsfloatval_t step) {
    counted *c = user;
    double f = 0;
    (void)n;
    (void)step;
    c->evaluations++;
    mgh_evaluate(c->k, x, g, &f);
    return f;
}

static int progress(void *user, const lbfgsfloatval_t *x, const lbfgsfloatval_t *g,
                    const lbfgsfloatval_t fx, const lbfgsfloatval_t xnorm,
                    const lbfgsfloatval_t gnorm, const lbfgsfloatval_t step, int n, int k,
                    int ls) {
    counted *c = user;
    (void)x; (void)g; (void)fx; (void)xnorm; (void)gnorm; (void)step; (void)n; (void)ls;
    c->iterations = (uint64_t)k;
    return 0;
}

/* libLBFGS's return codes, as its header documents them. */
static const char *code_text(int code) {
    switch (code) {
    case LBFGS_SUCCESS: return "success: ||g|| / max(1, ||x||) < epsilon";
    case LBFGS_STOP: return "stop: the objective decreased less than delta";
    case LBFGS_ALREADY_MINIMIZED: return "already minimized";
    case LBFGSERR_ROUNDING_ERROR: return "rounding error";
    case LBFGSERR_MINIMUMSTEP: return "line search step below min_step";
    case LBFGSERR_MAXIMUMSTEP: return "line search step above max_step";
    case LBFGSERR_MAXIMUMLINESEARCH: return "line search reached max_linesearch";
    case LBFGSERR_MAXIMUMITERATION: return "reached max_iterations";
    case LBFGSERR_WIDTHTOOSMALL: return "line search interval too small";
    case LBFGSERR_INVALIDPARAMETERS: return "invalid parameters";
    case LBFGSERR_INCREASEGRADIENT: return "the line search direction increases the objective";
    default: return "other libLBFGS error";
    }
}

/* Minimizes problem k from x (in place). Returns lbfgs()'s code. */
int mgh_liblbfgs_solve(int k, int max_iterations, double *x, mgh_run_record *record) {
    memset(record, 0, sizeof *record);
    record->stop_reason = -1;
    record->x0_projected = -1;
    const mgh_problem *p = mgh_problem_get(k);
    if (!p || !x) {
        snprintf(record->message, sizeof record->message, "no problem %d", k);
        return record->status = -100;
    }
    lbfgs_parameter_t parameters;
    lbfgs_parameter_init(&parameters);
    parameters.max_iterations = max_iterations;
    counted c = {k, 0, 0};
    lbfgsfloatval_t f = 0;
    /* lbfgs_malloc: the alignment libLBFGS's vector code may need */
    lbfgsfloatval_t *buffer = lbfgs_malloc(p->n);
    if (!buffer) {
        snprintf(record->message, sizeof record->message, "out of memory");
        return record->status = -100;
    }
    memcpy(buffer, x, sizeof(double) * (size_t)p->n);
    double start = now();
    int code = lbfgs(p->n, buffer, &f, evaluate, progress, &c, &parameters);
    record->seconds = now() - start;
    memcpy(x, buffer, sizeof(double) * (size_t)p->n);
    lbfgs_free(buffer);
    record->status = code;
    record->evaluations = c.evaluations;
    record->iterations = c.iterations;
    double final = 0;
    record->f = mgh_evaluate(k, x, NULL, &final) == 0 ? final : f;
    snprintf(record->message, sizeof record->message, "%s (%d)", code_text(code), code);
    return code;
}

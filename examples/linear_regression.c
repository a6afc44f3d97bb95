/*
 * The seed article's example through the C ABI: linear regression with
 *   J(theta) = 1/(2m) * sum_i (x_i . theta - y_i)^2,   grad = (1/m) * X^T (X theta - y),
 * on data with a known theta, fitted by batch gradient descent, SGD, mini-batch, momentum,
 * Nesterov, Adam, RMSprop, AdaGrad and the other rules. Prints one row per variant.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"

enum { M = 1000, D = 4 };

typedef struct dataset {
    double X[M * D]; /* row-major, first column is the intercept's 1 */
    double y[M];
} dataset;

static const double true_theta[D] = {4.0, 3.0, -2.0, 0.5};

/* A small deterministic generator so the example prints the same numbers everywhere. */
static double uniform(uint64_t *state) {
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) * (1.0 / 9007199254740992.0);
}

static void make_data(dataset *data) {
    uint64_t state = 42;
    for (size_t i = 0; i < M; i++) {
        double *row = data->X + i * D;
        row[0] = 1.0;
        double target = true_theta[0];
        for (size_t j = 1; j < D; j++) {
            row[j] = 2.0 * uniform(&state) - 1.0;
            target += true_theta[j] * row[j];
        }
        double noise = 0.1 * (uniform(&state) - 0.5);
        data->y[i] = target + noise;
    }
}

/* The mean of the article's loss and gradient over the samples of a batch. */
static int least_squares(void *user, const double *theta, double *grad, size_t n,
                         const size_t *samples, size_t count, double *loss) {
    const dataset *data = user;
    double sum = 0.0;
    if (grad) for (size_t j = 0; j < n; j++) grad[j] = 0.0;
    for (size_t s = 0; s < count; s++) {
        const double *row = data->X + samples[s] * D;
        double residual = -data->y[samples[s]];
        for (size_t j = 0; j < n; j++) residual += row[j] * theta[j];
        sum += residual * residual;
        if (grad) for (size_t j = 0; j < n; j++) grad[j] += residual * row[j];
    }
    *loss = sum / (2.0 * (double)count);
    if (grad) for (size_t j = 0; j < n; j++) grad[j] /= (double)count;
    return 0;
}

typedef struct variant {
    const char *label;
    const char *rule;
    double lr;
    double momentum;   /* sgd only */
    int nesterov;      /* sgd only */
    size_t batch_size; /* 0 = full batch */
    uint64_t max_epochs;
} variant;

static int check(int status, const char *what) {
    if (status != GD_OK) {
        fprintf(stderr, "%s failed: %s (%s)\n", what, gd_status_string(status), gd_last_error());
    }
    return status;
}

int main(void) {
    static dataset data;
    make_data(&data);

    const variant variants[] = {
        {"batch gradient descent", "sgd", 0.5, 0.0, 0, 0, 0},
        {"SGD (batch 1)", "sgd", 0.01, 0.0, 0, 1, 30},
        {"mini-batch (32)", "sgd", 0.1, 0.0, 0, 32, 100},
        {"momentum 0.9", "sgd", 0.05, 0.9, 0, 0, 0},
        {"Nesterov 0.9", "sgd", 0.05, 0.9, 1, 0, 0},
        {"Adam", "adam", 0.05, 0.0, 0, 0, 0},
        {"RMSprop", "rmsprop", 0.01, 0.0, 0, 0, 0},
        {"AdaGrad", "adagrad", 0.5, 0.0, 0, 0, 0},
        {"AdamW", "adamw", 0.05, 0.0, 0, 0, 0},
        {"Adadelta", "adadelta", 1.0, 0.0, 0, 0, 0},
        {"Adamax", "adamax", 0.05, 0.0, 0, 0, 0},
        {"NAdam", "nadam", 0.05, 0.0, 0, 0, 0},
        {"RAdam", "radam", 0.05, 0.0, 0, 0, 0},
    };
    const size_t count = sizeof variants / sizeof variants[0];

    gd_objective *objective = NULL;
    if (check(gd_objective_new_sampled(least_squares, &data, D, M, &objective), "gd_objective_new_sampled")) return 1;

    printf("gradient_descent %s: linear regression, m = %d, true theta = (4, 3, -2, 0.5)\n\n",
           gd_version_string(), M);
    printf("%-24s %10s %7s %12s %14s %9s  %s\n", "variant", "iterations", "epochs", "final loss",
           "|theta - true|", "seconds", "stopped because");
    int failures = 0;
    for (size_t v = 0; v < count; v++) {
        const variant *var = &variants[v];
        gd_optimizer *optimizer = NULL;
        if (check(gd_optimizer_new(var->rule, D, &optimizer), "gd_optimizer_new")) return 1;
        check(gd_optimizer_set(optimizer, "lr", var->lr), "gd_optimizer_set lr");
        if (var->momentum > 0) check(gd_optimizer_set(optimizer, "momentum", var->momentum), "momentum");
        if (var->nesterov) check(gd_optimizer_set(optimizer, "nesterov", 1), "nesterov");

        gd_options options;
        gd_options_init(&options);
        options.batch_size = var->batch_size;
        options.max_iterations = var->batch_size == 0 ? 5000 : 0;
        options.max_epochs = var->max_epochs;
        options.gradient_tolerance = var->batch_size == 0 ? 1e-8 : 0.0;
        options.seed = 7;

        double theta[D] = {0.0, 0.0, 0.0, 0.0};
        gd_report report;
        memset(&report, 0, sizeof report);
        report.struct_size = sizeof report;
        int status = check(gd_minimize(objective, optimizer, theta, D, &options, &report), var->label);

        double distance = 0.0;
        for (size_t j = 0; j < D; j++) distance += (theta[j] - true_theta[j]) * (theta[j] - true_theta[j]);
        distance = sqrt(distance);
        printf("%-24s %10llu %7llu %12.6g %14.3e %9.4f  %s\n", var->label,
               (unsigned long long)report.iterations, (unsigned long long)report.epochs, report.loss,
               distance, report.seconds, gd_stop_reason_string(report.stop_reason));
        /* The noise limits how close any fit can come; 0.05 is far above that floor. */
        if (status != GD_OK || distance > 0.05) failures++;
        gd_optimizer_free(optimizer);
    }

    /* A long run shows its progress with the library's printer (header: progress printer). */
    printf("\nSGD (batch 1) for 20 epochs, with gd_progress_print every 4000 iterations:\n");
    fflush(stdout); /* the printer writes to file descriptor 1 directly */
    gd_progress_printer *printer = NULL;
    gd_optimizer *sgd = NULL;
    if (check(gd_progress_printer_new(1, 4000, 20 * M, &printer), "gd_progress_printer_new") ||
        check(gd_optimizer_new("sgd", D, &sgd), "gd_optimizer_new")) return 1;
    check(gd_optimizer_set(sgd, "lr", 0.01), "gd_optimizer_set lr");
    gd_options options;
    gd_options_init(&options);
    options.batch_size = 1;
    options.max_iterations = 0;
    options.max_epochs = 20;
    options.seed = 7;
    options.progress = gd_progress_print;
    options.progress_user = printer;
    double theta[D] = {0.0, 0.0, 0.0, 0.0};
    if (check(gd_minimize(objective, sgd, theta, D, &options, NULL), "gd_minimize with the printer")) failures++;
    gd_progress_printer_free(printer);
    gd_optimizer_free(sgd);

    gd_objective_free(objective);
    if (failures) {
        printf("\n%d variant(s) did not converge\n", failures);
        return 1;
    }
    printf("\nevery variant reached the true theta within 0.05\n");
    return 0;
}

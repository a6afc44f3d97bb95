/* A loss plugin: Huber regression, robust linear regression whose loss is quadratic for
 * small residuals and linear for large ones.
 *
 *   J(theta) = (1/m) * sum_i h(x_i . theta - y_i),
 *   h(r) = r^2 / 2            when |r| <= delta,
 *          delta (|r| - delta / 2) otherwise,
 *   grad  = (1/m) * sum_i clamp(r_i, -delta, delta) * x_i.
 *
 * Build:  cc -std=c99 -O2 -fPIC -shared -Iinclude examples/plugins/huber.c -o build/plugins/huber.so
 * Use:    gd_plugin_load("build/plugins/huber.so", NULL);
 *         gd_param delta = {"delta", 0.5};
 *         gd_objective_create("huber", cols, &data, &delta, 1, &obj);
 * It needs only the header: the library calls in, the plugin never calls out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "gradient_descent.h"

typedef struct huber {
    const double *x; /* borrowed from the caller's gd_data, like a built-in */
    const double *y;
    size_t cols;
    double delta;
} huber;

static int huber_create(size_t n, const gd_data *data, const double *params, void **instance,
                        char *error, size_t error_size) {
    double delta = params[0];
    if (!(delta > 0)) {
        snprintf(error, error_size, "delta must be > 0, got %g", delta);
        return 1;
    }
    if (n != data->cols) {
        snprintf(error, error_size, "n is %zu but X has %zu columns", n, data->cols);
        return 2;
    }
    huber *h = malloc(sizeof *h);
    if (h == NULL) {
        snprintf(error, error_size, "out of memory");
        return 3;
    }
    h->x = data->x;
    h->y = data->y;
    h->cols = data->cols;
    h->delta = delta;
    *instance = h;
    return 0;
}

static void huber_destroy(void *instance) {
    free(instance);
}

/* The mean over the given rows, in one pass: residual, loss and gradient together. */
static int huber_sampled(void *user, const double *theta, double *grad, size_t n,
                         const size_t *samples, size_t count, double *loss) {
    const huber *h = user;
    double sum = 0;
    if (grad) {
        for (size_t j = 0; j < n; j++) grad[j] = 0;
    }
    for (size_t k = 0; k < count; k++) {
        const double *row = h->x + samples[k] * h->cols;
        double r = -h->y[samples[k]];
        for (size_t j = 0; j < n; j++) r += row[j] * theta[j];
        double a = fabs(r);
        sum += a <= h->delta ? 0.5 * r * r : h->delta * (a - 0.5 * h->delta);
        if (grad) {
            double c = r > h->delta ? h->delta : (r < -h->delta ? -h->delta : r);
            for (size_t j = 0; j < n; j++) grad[j] += c * row[j];
        }
    }
    *loss = sum / (double)count;
    if (grad) {
        for (size_t j = 0; j < n; j++) grad[j] /= (double)count;
    }
    return 0;
}

static const gd_plugin_param huber_params[] = {
    {"delta", 1.0},
};

static const gd_plugin_objective objectives[] = {
    {
        "huber",
        "Huber regression: mean of r^2/2 for |r| <= delta, delta (|r| - delta/2) beyond; r = x.theta - y; n = cols",
        huber_params, 1,
        GD_DATA_X | GD_DATA_Y,
        huber_create, huber_destroy,
        NULL,          /* full evaluations run evaluate_sampled over every row */
        huber_sampled,
    },
};

static const gd_plugin plugin = {GD_PLUGIN_ABI_VERSION, "huber example", objectives, 1};

const gd_plugin *gd_plugin_entry_v1(void);

const gd_plugin *gd_plugin_entry_v1(void) {
    return &plugin;
}

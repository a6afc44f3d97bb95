/* A plugin whose second objective takes a built-in's name: loading it must fail whole,
 * registering neither objective. Its third objective is the plain full-batch kind. */
#include "gradient_descent.h"

static int sphere(void *user, const double *x, double *grad, size_t n, double *loss) {
    double sum = 0;
    (void)user;
    for (size_t i = 0; i < n; i++) {
        sum += x[i] * x[i];
        if (grad) grad[i] = 2 * x[i];
    }
    *loss = sum;
    return 0;
}

static const gd_plugin_objective objectives[] = {
    {"sphere_from_duplicate", "sum of squares", NULL, 0, 0, NULL, NULL, sphere, NULL},
    {"least_squares", "a second least_squares", NULL, 0, 0, NULL, NULL, sphere, NULL},
};

static const gd_plugin plugin = {GD_PLUGIN_ABI_VERSION, "duplicate", objectives, 2};

const gd_plugin *gd_plugin_entry_v1(void);
const gd_plugin *gd_plugin_entry_v1(void) { return &plugin; }

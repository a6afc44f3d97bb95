/* A well-formed plugin with one full-batch objective and neither create nor destroy. */
#include "gradient_descent.h"

/* f(x) = sum (x_i - 3)^2 / 2: minimum at 3; returns 7 (abort) when x_0 > 1e6. */
static int shifted_sphere(void *user, const double *x, double *grad, size_t n, double *loss) {
    double sum = 0;
    (void)user;
    if (x[0] > 1e6) return 7;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - 3;
        sum += 0.5 * d * d;
        if (grad) grad[i] = d;
    }
    *loss = sum;
    return 0;
}

static const gd_plugin_objective objectives[] = {
    {"shifted_sphere", "sum (x - 3)^2 / 2", NULL, 0, 0, NULL, NULL, shifted_sphere, NULL},
};

static const gd_plugin plugin = {GD_PLUGIN_ABI_VERSION, NULL, objectives, 1};

const gd_plugin *gd_plugin_entry_v1(void);
const gd_plugin *gd_plugin_entry_v1(void) { return &plugin; }

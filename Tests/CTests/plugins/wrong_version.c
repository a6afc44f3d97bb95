/* A plugin built for a plugin ABI this library does not have. */
#include "gradient_descent.h"

static int never(void *user, const double *x, double *grad, size_t n, double *loss) {
    (void)user; (void)x; (void)grad; (void)n;
    *loss = 0;
    return 0;
}

static const gd_plugin_objective objectives[] = {
    {"from_the_future", "", NULL, 0, 0, NULL, NULL, never, NULL},
};

static const gd_plugin plugin = {GD_PLUGIN_ABI_VERSION + 98, "wrong version", objectives, 1};

const gd_plugin *gd_plugin_entry_v1(void);
const gd_plugin *gd_plugin_entry_v1(void) { return &plugin; }

/* A plugin whose descriptor is malformed: an objective with no evaluation function. */
#include "gradient_descent.h"

static const gd_plugin_objective objectives[] = {
    {"no_functions", "cannot be evaluated", NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const gd_plugin plugin = {GD_PLUGIN_ABI_VERSION, "bad descriptor", objectives, 1};

const gd_plugin *gd_plugin_entry_v1(void);
const gd_plugin *gd_plugin_entry_v1(void) { return &plugin; }

/* Loss plugins through the C ABI: the example Huber plugin loaded and used exactly like a
 * built-in, the registry listing it, and every kind of bad plugin file rejected with the
 * registry left unchanged. Run from the repository root after `make plugins` and the
 * fixtures that Tests/CTests/run.sh builds into build/test-fixtures. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"
#include "fixtures.h"

#define HUBER "build/plugins/huber.so"
#define FIXTURE(name) "build/test-fixtures/" name ".so"

static size_t registry_count(void) {
    size_t count = 0;
    CHECK_STATUS(gd_registry_count(&count), GD_OK);
    return count;
}

static int registered(const char *name) {
    size_t count = registry_count();
    for (size_t i = 0; i < count; i++) {
        gd_registry_info info;
        memset(&info, 0, sizeof info);
        info.struct_size = sizeof info;
        if (gd_registry_entry(i, &info) == GD_OK && strcmp(info.name, name) == 0) return 1;
    }
    return 0;
}

enum { M = 101, D = 3 };
static double X[M * D], Y[M];

/* y = 1 + 2 x1 - x2 exactly, plus a few wild outliers that least squares would follow. */
static void make_data(void) {
    for (size_t i = 0; i < M; i++) {
        double a = sin(0.37 * (double)i) * 2, b = cos(0.91 * (double)i) * 2;
        X[i * D] = 1;
        X[i * D + 1] = a;
        X[i * D + 2] = b;
        Y[i] = 1 + 2 * a - b + (i % 17 == 0 ? 40.0 : 0.0);
    }
}

static void test_bad_plugins_leave_the_registry_unchanged(void) {
    size_t before = registry_count();
    size_t added = 99;

    CHECK_STATUS(gd_plugin_load(NULL, &added), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_plugin_load("build/test-fixtures/missing.so", &added), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("no file");

    /* A file that is not a shared object. */
    FILE *text = fopen("build/test-fixtures/not_a_plugin.so", "w");
    CHECK(text != NULL);
    if (text) {
        fputs("this is text, not ELF\n", text);
        fclose(text);
    }
    CHECK_STATUS(gd_plugin_load("build/test-fixtures/not_a_plugin.so", &added), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("not a loadable shared object");

    CHECK_STATUS(gd_plugin_load(FIXTURE("no_entry"), &added), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("gd_plugin_entry_v1");

    CHECK_STATUS(gd_plugin_load(FIXTURE("wrong_version"), &added), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("version 99");

    CHECK_STATUS(gd_plugin_load(FIXTURE("bad_descriptor"), &added), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("neither evaluate");

    CHECK_STATUS(gd_plugin_load(FIXTURE("duplicate"), &added), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("least_squares");
    CHECK(!registered("sphere_from_duplicate")); /* all or nothing */

    CHECK(added == 99);
    CHECK(registry_count() == before);
}

static void test_huber_plugin_is_used_like_a_built_in(void) {
    size_t before = registry_count(), added = 0;
    CHECK_STATUS(gd_plugin_load(HUBER, &added), GD_OK);
    CHECK(added == 1);
    CHECK(registry_count() == before + 1);

    gd_registry_info info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_STATUS(gd_registry_entry(before, &info), GD_OK);
    /* (each guarded: after a failed call the fields are still NULL) */
    CHECK(info.name && strcmp(info.name, "huber") == 0);
    CHECK(info.description && strstr(info.description, "Huber") != NULL);
    CHECK(info.source && info.source[0] == '/' && strstr(info.source, "build/plugins/huber.so") != NULL);
    CHECK(info.param_count == 1 && strcmp(info.param_keys[0], "delta") == 0 && info.param_defaults[0] == 1.0);
    CHECK(info.data_fields == (GD_DATA_X | GD_DATA_Y) && info.sampled == 1);

    /* Loading it again is a duplicate name; the registry keeps the first. */
    CHECK_STATUS(gd_plugin_load(HUBER, NULL), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("huber");
    CHECK(registry_count() == before + 1);

    gd_data data = dense_data(X, Y, M, D);
    gd_objective *obj = NULL;
    gd_param bad_delta = {"delta", -1}, unknown = {"epsilon", 1}, delta = {"delta", 0.5};
    CHECK_STATUS(gd_objective_create("huber", D, &data, &bad_delta, 1, &obj), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("delta must be > 0, got -1");
    CHECK_STATUS(gd_objective_create("huber", D, &data, &unknown, 1, &obj), GD_E_UNKNOWN_KEY);
    CHECK_STATUS(gd_objective_create("huber", D + 1, &data, NULL, 0, &obj), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("columns");
    data.y = NULL;
    CHECK_STATUS(gd_objective_create("huber", D, &data, NULL, 0, &obj), GD_E_NULL_ARGUMENT);
    data.y = Y;
    CHECK(obj == NULL);

    CHECK_STATUS(gd_objective_create("huber", D, &data, &delta, 1, &obj), GD_OK);
    size_t samples = 0;
    CHECK_STATUS(gd_objective_sample_count(obj, &samples), GD_OK);
    CHECK(samples == M);

    /* Value at theta = 0 from the definition, through the full-evaluation path. */
    double zero[D] = {0}, loss = 0, expected = 0;
    for (size_t i = 0; i < M; i++) {
        double a = fabs(Y[i]);
        expected += a <= 0.5 ? 0.5 * a * a : 0.5 * (a - 0.25);
    }
    CHECK_STATUS(gd_objective_evaluate(obj, zero, D, NULL, &loss), GD_OK);
    CHECK_NEAR(loss, expected / M, 1e-12);

    /* Mini-batch Adam with the Huber loss nearly ignores the six outliers of +40: theta ends
     * near (1, 2, -1), where least squares would move the intercept by about 6 * 40 / 101 = 2.4. */
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new("adam", D, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.02), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.batch_size = 10;
    options.max_epochs = 400;
    options.max_iterations = 0;
    options.seed = 7;
    double theta[D] = {0, 0, 0};
    CHECK_STATUS(gd_minimize(obj, opt, theta, D, &options, NULL), GD_OK);
    CHECK_NEAR(theta[0], 1, 0.15);
    CHECK_NEAR(theta[1], 2, 0.15);
    CHECK_NEAR(theta[2], -1, 0.15);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

static void test_full_batch_plugin(void) {
    CHECK_STATUS(gd_plugin_load(FIXTURE("full_batch"), NULL), GD_OK);
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_create("shifted_sphere", 4, NULL, NULL, 0, &obj), GD_OK);
    size_t samples = 1;
    CHECK_STATUS(gd_objective_sample_count(obj, &samples), GD_OK);
    CHECK(samples == 0);
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new("sgd", 4, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.5), GD_OK);
    double x[4] = {0, 1, 2, 10};
    gd_options options;
    gd_options_init(&options);
    options.gradient_tolerance = 1e-10;
    CHECK_STATUS(gd_minimize(obj, opt, x, 4, &options, NULL), GD_OK);
    for (int i = 0; i < 4; i++) CHECK_NEAR(x[i], 3, 1e-9);

    /* A plugin function that returns non-zero aborts the run like a callback. */
    double far[4] = {2e6, 0, 0, 0}, loss = 0;
    CHECK_STATUS(gd_objective_evaluate(obj, far, 4, NULL, &loss), GD_E_CALLBACK);
    CHECK_ERROR_MENTIONS("shifted_sphere returned 7");
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

int main(void) {
    make_data();
    test_bad_plugins_leave_the_registry_unchanged();
    test_huber_plugin_is_used_like_a_built_in();
    test_full_batch_plugin();
    return check_summary("test_plugins");
}

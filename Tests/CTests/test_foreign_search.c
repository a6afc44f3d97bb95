/* A foreign library given by a bare name ("rosen.so") is found as dlopen finds it, through
 * LD_LIBRARY_PATH (Tests/CTests/run.sh puts build/test-fixtures there before the test starts),
 * and a name dlopen cannot find fails with a message that lists where it looked. */
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"

#define VALUE "double rosen(int n, const double *x)"
#define GRADIENT "void rosen_grad(int n, const double *x, double *g)"

static void test_bare_name_follows_the_search_path(void) {
    const char *search = getenv("LD_LIBRARY_PATH");
    CHECK(search != NULL && strstr(search, "build/test-fixtures") != NULL);

    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_foreign("rosen.so", VALUE, GRADIENT, 2, &obj), GD_OK);
    if (obj != NULL) {
        const double x[2] = {-1.2, 1.0};
        double g[2], loss = 0;
        CHECK_STATUS(gd_objective_evaluate(obj, x, 2, g, &loss), GD_OK);
        CHECK_NEAR(loss, 24.2, 1e-12);        /* 100 (1 - 1.44)^2 + (2.2)^2 */
        CHECK_NEAR(g[0], -215.6, 1e-10);
        CHECK_NEAR(g[1], -88.0, 1e-10);
    }
    gd_objective_free(obj);
}

static void test_failed_search_names_where_it_looked(void) {
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_foreign("libgd_no_such_library.so", VALUE, GRADIENT, 2, &obj), GD_E_FOREIGN);
    CHECK(obj == NULL);
    CHECK_ERROR_MENTIONS("'libgd_no_such_library.so' was not found");
    CHECK_ERROR_MENTIONS("build/test-fixtures");          /* this process's LD_LIBRARY_PATH */
    CHECK_ERROR_MENTIONS("RUNPATH");
    CHECK_ERROR_MENTIONS("ld.so cache");
    CHECK_ERROR_MENTIONS("/usr/lib");
    /* An empty name is no library (dlopen would give the program itself). */
    CHECK_STATUS(gd_objective_new_foreign("", VALUE, GRADIENT, 2, &obj), GD_E_FOREIGN);
    CHECK_ERROR_MENTIONS("empty");
    /* A name with a '/' is a file, not searched for. */
    CHECK_STATUS(gd_objective_new_foreign("./libgd_no_such_library.so", VALUE, GRADIENT, 2, &obj), GD_E_FOREIGN);
    CHECK_ERROR_MENTIONS("no file at './libgd_no_such_library.so'");
}

static void test_plugins_search_the_same_way(void) {
    CHECK_STATUS(gd_plugin_load("libgd_no_such_plugin.so", NULL), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("LD_LIBRARY_PATH");
}

int main(void) {
    test_bare_name_follows_the_search_path();
    test_failed_search_names_where_it_looked();
    test_plugins_search_the_same_way();
    return check_summary("test_foreign_search");
}

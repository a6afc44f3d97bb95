/* Input a hostile or careless caller passes, each of which once broke a promise of the
 * header: a schedule key set to a value out of its range, padding bytes of gd_options, a
 * progress printer whose reader has gone (SIGPIPE), a plugin or foreign library path that is
 * a FIFO or a directory, and foreign signatures outside the grammar. An alarm turns a hang
 * into a failure. Compiled with -std=c99 -pedantic -Werror. */
#define _POSIX_C_SOURCE 200112L
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gradient_descent.h"
#include "check.h"

#define ROSEN "build/test-fixtures/rosen.so"

static int bowl(void *user, const double *x, double *grad, size_t n, double *loss) {
    (void)user;
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        f += 0.5 * x[i] * x[i];
        if (grad) grad[i] = x[i];
    }
    *loss = f;
    return 0;
}

/* ---- schedule values are checked when set ---- */

static void test_schedule_values_are_checked_when_set(void) {
    gd_schedule *s = NULL;
    CHECK_STATUS(gd_schedule_new("exponential", &s), GD_OK);
    const double bad[] = {0, -1, -0.5};
    for (int i = 0; i < 3; i++) {
        CHECK_STATUS(gd_schedule_set(s, "gamma", bad[i]), GD_E_INVALID_ARGUMENT);
        CHECK_ERROR_MENTIONS("gamma");
    }
    double gamma = -1;
    CHECK_STATUS(gd_schedule_get(s, "gamma", &gamma), GD_OK);
    CHECK(gamma == 0); /* still unset */
    CHECK_STATUS(gd_schedule_set(s, "gamma", 0.5), GD_OK);
    CHECK_STATUS(gd_schedule_get(s, "gamma", &gamma), GD_OK);
    CHECK(gamma == 0.5);
    gd_schedule_free(s);

    /* Every required key refuses 0 (its "unset" value) when set. */
    const char *names[] = {"step", "cosine", "warmup_cosine", "warmup_cosine"};
    const char *keys[] = {"step_size", "t_max", "warmup_steps", "t_max"};
    for (int i = 0; i < 4; i++) {
        CHECK_STATUS(gd_schedule_new(names[i], &s), GD_OK);
        CHECK_STATUS(gd_schedule_set(s, keys[i], 0), GD_E_INVALID_ARGUMENT);
        CHECK_ERROR_MENTIONS(keys[i]);
        gd_schedule_free(s);
    }
}

/* ---- gd_options: every byte written, padding included ---- */

static void test_options_init_writes_every_byte(void) {
    gd_options a, b;
    memset(&a, 0xAA, sizeof a);
    memset(&b, 0x55, sizeof b);
    CHECK_STATUS(gd_options_init_sized(&a, sizeof a), GD_OK);
    CHECK_STATUS(gd_options_init_sized(&b, sizeof b), GD_OK);
    CHECK(memcmp(&a, &b, sizeof a) == 0);
    /* The padding after shuffle (an int32_t before a pointer) is zero. */
    const size_t gap = offsetof(gd_options, shuffle) + sizeof(int32_t);
    for (size_t i = gap; i < offsetof(gd_options, progress); i++) CHECK(((unsigned char *)&a)[i] == 0);

    /* The first release's entry point writes the first release's fields, padding included. */
    const size_t first_release = offsetof(gd_options, schedule);
    memset(&a, 0xAA, sizeof a);
    memset(&b, 0x55, sizeof b);
    CHECK_STATUS((gd_options_init)(&a), GD_OK);
    CHECK_STATUS((gd_options_init)(&b), GD_OK);
    CHECK(memcmp(&a, &b, first_release) == 0);
    CHECK(((unsigned char *)&a)[first_release] == 0xAA); /* nothing past the first release */

    /* A struct from a newer header: the bytes this library does not know are zero. */
    unsigned char bigger[sizeof(gd_options) + 24];
    memset(bigger, 0xAA, sizeof bigger);
    CHECK_STATUS(gd_options_init_sized((gd_options *)(void *)bigger, sizeof bigger), GD_OK);
    for (size_t i = sizeof(gd_options); i < sizeof bigger; i++) CHECK(bigger[i] == 0);
    /* and the known part equals a struct of this header's size, struct_size aside */
    gd_options c;
    memset(&c, 0x55, sizeof c);
    CHECK_STATUS(gd_options_init_sized(&c, sizeof c), GD_OK);
    CHECK(memcmp(bigger + sizeof(size_t), (unsigned char *)&c + sizeof(size_t),
                 sizeof(gd_options) - sizeof(size_t)) == 0);
}

/* ---- the progress printer on a pipe whose reader has gone ---- */

static int sigpipe_pending(void) {
    sigset_t pending;
    sigpending(&pending);
    return sigismember(&pending, SIGPIPE) == 1;
}

static int sigpipe_blocked(void) {
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    return sigismember(&mask, SIGPIPE) == 1;
}

/* A run printing every iteration into a pipe whose read end is closed: GD_OK, 20 updates. */
static void run_into_a_broken_pipe(void) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    close(fds[0]);
    gd_progress_printer *printer = NULL;
    CHECK_STATUS(gd_progress_printer_new(fds[1], 1, 20, &printer), GD_OK);
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(bowl, NULL, 2, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("adam", 2, &opt), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 20;
    options.progress = gd_progress_print;
    options.progress_user = printer;
    gd_report report;
    report.struct_size = sizeof report;
    double x[2] = {1, 2};
    CHECK_STATUS(gd_minimize(obj, opt, x, 2, &options, &report), GD_OK);
    CHECK(report.iterations == 20);
    close(fds[1]);
    gd_progress_printer_free(printer);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

static void test_a_printer_whose_reader_has_gone_does_not_kill_the_process(void) {
    CHECK(signal(SIGPIPE, SIG_DFL) != SIG_ERR);
    run_into_a_broken_pipe(); /* the process is still here */
    CHECK(!sigpipe_pending());
    CHECK(!sigpipe_blocked());

    /* A SIGPIPE the program raised itself (blocked, pending) is left pending. */
    sigset_t pipe_signal, previous;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe_signal, &previous);
    raise(SIGPIPE);
    CHECK(sigpipe_pending());
    run_into_a_broken_pipe();
    CHECK(sigpipe_pending());
    CHECK(sigpipe_blocked());
    int taken = 0;
    CHECK(sigwait(&pipe_signal, &taken) == 0 && taken == SIGPIPE);
    sigprocmask(SIG_SETMASK, &previous, NULL);
}

/* ---- only regular files are opened as plugins or foreign libraries ---- */

static void test_a_fifo_or_directory_is_not_opened(void) {
    char fifo[64];
    snprintf(fifo, sizeof fifo, "build/test-fixtures/fifo-%ld.so", (long)getpid());
    CHECK(mkfifo(fifo, 0600) == 0);
    size_t added = 99;
    CHECK_STATUS(gd_plugin_load(fifo, &added), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("not a regular file");
    CHECK(added == 99);
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_foreign(fifo, "double rosen(int n, const double *x)",
                                          "void rosen_grad(int n, const double *x, double *g)", 2, &obj),
                 GD_E_FOREIGN);
    CHECK_ERROR_MENTIONS("not a regular file");
    CHECK(obj == NULL);
    unlink(fifo);
    CHECK_STATUS(gd_plugin_load("build/test-fixtures", &added), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("not a regular file");
    CHECK_STATUS(gd_plugin_load("/dev/zero", &added), GD_E_PLUGIN);
    CHECK_ERROR_MENTIONS("not a regular file");
}

/* ---- foreign signatures: only the grammar ---- */

static void test_foreign_signatures_follow_the_grammar(void) {
    const char *gradient = "void rosen_grad(int n, const double *x, double *g)";
    const char *outside[] = {
        "double rosen(size_t n*, const double *x)",
        "double rosen(int n, double x*)",
        "double rosen(int n, const double x*)",
        "double rosen(int n, const double *x*)",
        "double rosen(int n, double const *x)",
        "double rosen(int n, const const double *x)",
        "double rosen(int n, const double *const x)",
        "double rosen(int n, * const double x)",
        "double rosen(int n, const double * * x)",
        "double rosen(int n, const double *x, )",
        "double rosen(int n const, const double *x)",
        "double rosen(const, const double *x)",
    };
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        gd_objective *obj = NULL;
        int status = gd_objective_new_foreign(ROSEN, outside[i], gradient, 2, &obj);
        CHECK_STATUS(status, GD_E_FOREIGN);
        if (status != GD_E_FOREIGN) fprintf(stderr, "  accepted: %s\n", outside[i]);
        gd_objective_free(obj);
    }
    const char *inside[] = {
        "double rosen(int n, const double *x)",
        "double rosen(int n,const double*x)",
        "double rosen( const int n , const double * x )",
        "double rosen(int n, double *x)",
    };
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
        gd_objective *obj = NULL;
        CHECK_STATUS(gd_objective_new_foreign(ROSEN, inside[i], gradient, 2, &obj), GD_OK);
        double x[2] = {-1.2, 1}, loss = 0;
        CHECK_STATUS(gd_objective_evaluate(obj, x, 2, NULL, &loss), GD_OK);
        CHECK_NEAR(loss, 24.2, 1e-12);
        gd_objective_free(obj);
    }
}

int main(void) {
    alarm(120); /* a call that blocks fails the test instead of hanging it */
    test_schedule_values_are_checked_when_set();
    test_options_init_writes_every_byte();
    test_a_printer_whose_reader_has_gone_does_not_kill_the_process();
    test_a_fifo_or_directory_is_not_opened();
    test_foreign_signatures_follow_the_grammar();
    return check_summary("test_hostile_input");
}

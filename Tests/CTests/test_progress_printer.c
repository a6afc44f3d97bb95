/* The progress printer (the header's "Progress printer" section): what it prints, when, where,
 * and its argument checks. Compiled with -std=c99 -pedantic -Werror. */
#define _POSIX_C_SOURCE 200112L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gradient_descent.h"
#include "check.h"
#include "fixtures.h"

/* Runs 100 iterations of Adam with a printer on a pipe; returns what it printed. */
static void run_printing(uint64_t every, uint64_t total, char *text, size_t capacity) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    gd_progress_printer *printer = NULL;
    CHECK_STATUS(gd_progress_printer_new(fds[1], every, total, &printer), GD_OK);
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(rosenbrock, NULL, 2, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("adam", 2, &opt), GD_OK);
    gd_options options;
    CHECK_STATUS(gd_options_init(&options), GD_OK);
    options.max_iterations = 100;
    options.progress = gd_progress_print;
    options.progress_user = printer;
    double x[2] = {-1.2, 1.0};
    CHECK_STATUS(gd_minimize(obj, opt, x, 2, &options, NULL), GD_OK);
    close(fds[1]);
    ssize_t length = read(fds[0], text, capacity - 1);
    text[length > 0 ? length : 0] = '\0';
    close(fds[0]);
    gd_progress_printer_free(printer);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

static int count_lines(const char *text) {
    int lines = 0;
    for (; *text; text++) lines += *text == '\n';
    return lines;
}

static void test_prints_the_first_every_nth_and_last_iteration(void) {
    static char text[8192];
    run_printing(25, 100, text, sizeof text);
    CHECK(count_lines(text) == 5);
    CHECK(strncmp(text, "gd: iteration 1/100 (  1%)  loss 2.420000e+01  |grad| ", 53) == 0);
    CHECK(strstr(text, "\ngd: iteration 25/100 ( 25%)  loss ") != NULL);
    CHECK(strstr(text, "\ngd: iteration 100/100 (100%)  loss ") != NULL);
    CHECK(strstr(text, "lr 1.000e-03  ") != NULL);
    CHECK(strstr(text, " s\n") != NULL);
}

static void test_every_zero_means_twenty_lines_and_no_total_no_percentage(void) {
    static char text[8192];
    run_printing(0, 100, text, sizeof text);
    CHECK(count_lines(text) == 21); /* 1, 5, 10, ..., 100 */
    run_printing(0, 0, text, sizeof text);
    CHECK(count_lines(text) == 1);  /* every 1000: only the first of 100 iterations */
    CHECK(strncmp(text, "gd: iteration 1  loss ", 22) == 0);
}

static void test_arguments(void) {
    gd_progress_printer *printer = NULL;
    CHECK_STATUS(gd_progress_printer_new(-1, 0, 0, &printer), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("fd");
    CHECK(printer == NULL);
    CHECK_STATUS(gd_progress_printer_new(2, 0, 0, NULL), GD_E_NULL_ARGUMENT);
    CHECK(gd_progress_print(NULL, NULL) == 0);
    CHECK_STATUS(gd_progress_printer_new(2, 0, 0, &printer), GD_OK);
    CHECK(gd_progress_print(printer, NULL) == 0);
    gd_progress_printer_free(printer);
    gd_progress_printer_free(NULL);
}

int main(void) {
    test_prints_the_first_every_nth_and_last_iteration();
    test_every_zero_means_twenty_lines_and_no_total_no_percentage();
    test_arguments();
    return check_summary("test_progress_printer");
}

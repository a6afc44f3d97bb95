/*
 * The memory floor of a full pass over X, loaded by benchmarks/run.py into the process that
 * times the library, and run on the library's own X between its samples: one pass that only
 * reads the matrix, split in two halves on two threads as the library splits a large pass.
 */
#define _POSIX_C_SOURCE 200112L
#include <pthread.h>
#include <stddef.h>
#include <time.h>

typedef struct read_half {
    const double *a;
    size_t count;
    double sum;
} read_half;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Reads every double of one half with eight independent sums (no dependency chain slows the
 * loads). */
static void *read_half_pass(void *argument) {
    read_half *half = argument;
    const double *a = half->a;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    size_t i = 0;
    for (; i + 8 <= half->count; i += 8) {
        s0 += a[i]; s1 += a[i + 1]; s2 += a[i + 2]; s3 += a[i + 3];
        s4 += a[i + 4]; s5 += a[i + 5]; s6 += a[i + 6]; s7 += a[i + 7];
    }
    for (; i < half->count; i++) s0 += a[i];
    half->sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    return NULL;
}

volatile double gd_bench_read_sink;

/* Seconds of one pass reading a[0..count) on `threads` threads (1 or 2), wall clock from the
 * start to the join, like the library's pass. The second thread is started for the pass
 * (tens of microseconds, about 1% of a pass over 80 MB), where the library wakes its kept
 * thread in under a microsecond: if anything, the floor is a little slow. */
double gd_bench_read_pass(const double *a, size_t count, int threads) {
    double start = now();
    if (threads < 2) {
        read_half whole = {a, count, 0};
        read_half_pass(&whole);
        gd_bench_read_sink += whole.sum;
        return now() - start;
    }
    read_half halves[2] = {{a, count / 2, 0}, {a + count / 2, count - count / 2, 0}};
    pthread_t thread;
    int threaded = pthread_create(&thread, NULL, read_half_pass, &halves[1]) == 0;
    read_half_pass(&halves[0]);
    if (threaded) pthread_join(thread, NULL); else read_half_pass(&halves[1]);
    gd_bench_read_sink += halves[0].sum + halves[1].sum;
    return now() - start;
}

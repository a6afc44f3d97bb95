/* What the running CPU can execute, asked once so that GradientDescent can pick between the
 * kernels compiled for the x86-64 baseline and those compiled for Haswell (x86-64-v3).
 * Internal to the library: the names do not start with gd_, so the version script keeps them
 * out of the shared library's exports. */
#ifndef GRADIENT_DESCENT_CPU_FEATURES_H
#define GRADIENT_DESCENT_CPU_FEATURES_H

/* 1 when the CPU reports every x86-64-v3 feature (AVX, AVX2, BMI1, BMI2, F16C, FMA, LZCNT,
 * MOVBE, and the x86-64-v2 ones below them) and the operating system saves the SSE and AVX
 * register state (OSXSAVE and XCR0 bits 1 and 2); 0 otherwise, and always 0 off x86-64. */
int gradient_descent_cpu_has_x86_64_v3(void);

#include "memory_hints.h"

#endif

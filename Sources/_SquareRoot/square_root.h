/* The square root the update rules' loops use.
 *
 * Swift's Double.squareRoot() goes through a C inline function calling __builtin_sqrt, which
 * under C's default math-errno rules must be able to set errno for a negative input: clang
 * then emits a call to libm's sqrt beside the instruction, and no loop around it vectorizes.
 * -fno-math-errno lifts that, but it is an unsafe flag, which a dependent package's build does
 * not get (Package.swift). clang's elementwise builtin has no errno at all: it is the IEEE-754 square root
 * (correctly rounded, NaN for a negative input, the same bits as sqrt), one instruction, and
 * loops over it vectorize with no flag. */
#ifndef GRADIENT_DESCENT_SQUARE_ROOT_H
#define GRADIENT_DESCENT_SQUARE_ROOT_H

static inline __attribute__((always_inline)) double gradient_descent_square_root(double x) {
    return __builtin_elementwise_sqrt(x);
}

#endif

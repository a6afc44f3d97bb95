/* Memory hints for the hot loops (C builtins Swift does not spell). Internal to the library. */
#ifndef GRADIENT_DESCENT_MEMORY_HINTS_H
#define GRADIENT_DESCENT_MEMORY_HINTS_H

/* Ask for the cache line holding `address` ahead of its use (prefetcht0 on x86-64): a hint,
 * never a fault, free to ignore. */
static inline void gradient_descent_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif

#include "cpu_features.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>

static unsigned long long read_xcr0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

int gradient_descent_cpu_has_x86_64_v3(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int leaf1_ecx =
        bit_SSE3 | bit_SSSE3 | bit_FMA | bit_CMPXCHG16B | bit_SSE4_1 | bit_SSE4_2 |
        bit_MOVBE | bit_POPCNT | bit_XSAVE | bit_OSXSAVE | bit_AVX | bit_F16C;
    if ((ecx & leaf1_ecx) != leaf1_ecx) return 0;
    /* The OS must save XMM (bit 1) and YMM (bit 2) state, or AVX instructions fault. */
    if ((read_xcr0() & 0x6) != 0x6) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int leaf7_ebx = bit_BMI | bit_AVX2 | bit_BMI2;
    if ((ebx & leaf7_ebx) != leaf7_ebx) return 0;
    if (!__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int extended_ecx = bit_LAHF_LM | bit_LZCNT;
    if ((ecx & extended_ecx) != extended_ecx) return 0;
    return 1;
}

#else

int gradient_descent_cpu_has_x86_64_v3(void) { return 0; }

#endif

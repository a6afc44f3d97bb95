/* The few libffi operations GradientDescentPlugins uses, as functions Swift calls without
 * taking the address of C globals (ffi_type_double, ...) or converting function pointers. */
#ifndef CFFI_SHIM_H
#define CFFI_SHIM_H

#include <ffi.h>
#include <stdint.h>

static inline ffi_type *cffi_type_void(void) { return &ffi_type_void; }
static inline ffi_type *cffi_type_double(void) { return &ffi_type_double; }
static inline ffi_type *cffi_type_sint32(void) { return &ffi_type_sint32; }
static inline ffi_type *cffi_type_sint64(void) { return &ffi_type_sint64; }
static inline ffi_type *cffi_type_uint64(void) { return &ffi_type_uint64; }
static inline ffi_type *cffi_type_pointer(void) { return &ffi_type_pointer; }

/* ffi_prep_cif with the platform's default calling convention; 0 on success. */
static inline int cffi_prepare(ffi_cif *cif, unsigned int count, ffi_type *result, ffi_type **arguments) {
    return ffi_prep_cif(cif, FFI_DEFAULT_ABI, count, result, arguments) == FFI_OK ? 0 : -1;
}

/* Calls function through cif; result points to at least sizeof(ffi_arg) and 8 bytes. */
static inline void cffi_call(ffi_cif *cif, void *function, void *result, void **arguments) {
    ffi_call(cif, (void (*)(void))function, result, arguments);
}

#endif

#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver entry (compiler-rt, LLVM 11+). SwiftPM links executables with its own `main`, so each target's
// main.swift hands control to libFuzzer through this instead of relying on libFuzzer's `main`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

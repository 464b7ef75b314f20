// Header-only module: LLVMFuzzerRunDriver comes from the fuzzer runtime linked by -sanitize=fuzzer.
#include "CFuzzDriver.h"

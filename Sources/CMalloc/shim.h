// The C library's allocator settings (`mallopt`), where the platform has them (glibc; not Darwin).
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

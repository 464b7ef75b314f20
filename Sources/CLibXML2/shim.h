#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and encoding.h then includes the system ICU headers, whose types clash with
// the copy of ICU inside Foundation in the same Swift module graph. Only the ICU converter fields of
// xmlCharEncodingHandler depend on it, and the tests never touch that struct (only pointers to it).
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xmlerror.h>

// xmlFree is a macro over a per-thread function pointer in threaded builds, which Swift cannot import.
static inline void clibxml2_free(void *pointer) { xmlFree(pointer); }

#ifndef RAMPART_MAPPED_FILE_GUARD_H
#define RAMPART_MAPPED_FILE_GUARD_H

#include <stddef.h>

// A guard over read-only mappings of files that other processes may truncate while they are read.
//
// Reading a page of a file mapping past the file's end raises SIGBUS, which would end the process. While a range is
// watched, a SIGBUS raised by a read inside it maps a page of zeros over the page read instead, notes the hit and
// lets the read go on: the reader sees zeros, and its owner asks `rampart_guard_hit` whether that happened before
// it trusts what it read. A SIGBUS anywhere else goes where it went before the guard was installed (the
// default action ends the process as always). Linux only; elsewhere watching always fails and nothing is installed.

#ifdef __cplusplus
extern "C" {
#endif

/// Starts watching `[start, start + length)`, a mapping of a file; installs the handler on first use. Returns the
/// watch's slot (0 or more), or -1 when no slot is free or the handler cannot be installed: the caller then must not
/// read a file through a mapping.
int rampart_guard_watch(const void *start, size_t length);

/// Stops watching `slot` (call before unmapping it) and frees it for another mapping.
void rampart_guard_unwatch(int slot);

/// 1 when a read in `slot`, still watched, has met the file's end so far (its page now reads zeros), else 0.
int rampart_guard_hit(int slot);

#ifdef __cplusplus
}
#endif

#endif

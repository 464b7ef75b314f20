// Hints to the processor's caches that Swift has no spelling for.

// Asks for the cache line holding `address` ahead of a read: unlike a load, a prefetch never waits for the line,
// so a reader can ask for what it will need a few items on while it works on the current one.
static inline void rampart_prefetch_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "CMappedFileGuard.h"

#if defined(__linux__)

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { slot_count = 64 };

// A slot is free when `claimed` is 0. Its range is written after it is claimed and cleared before it is freed; the
// handler reads ranges only, so a slot being claimed or freed at the time of a fault is at worst not matched.
static atomic_int claimed[slot_count];
static _Atomic uintptr_t range_start[slot_count];
static _Atomic uintptr_t range_end[slot_count];
static atomic_int hit[slot_count];

static struct sigaction previous_action;
static uintptr_t page_size;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int installed;

// Passes a SIGBUS that is not ours on to whoever had it before: their handler, or the default action (the read is
// retried on return and raises the signal again, which then ends the process as if no guard had been installed).
static void pass_on(int signal_number, siginfo_t *info, void *context) {
    if (previous_action.sa_flags & SA_SIGINFO) {
        if (previous_action.sa_sigaction) {
            previous_action.sa_sigaction(signal_number, info, context);
            return;
        }
    } else if (previous_action.sa_handler != SIG_DFL && previous_action.sa_handler != SIG_IGN) {
        previous_action.sa_handler(signal_number);
        return;
    }
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(SIGBUS, &fallback, NULL);
}

// Only async-signal-safe calls here: atomics, `mmap`, `sigaction`.
static void on_bus_error(int signal_number, siginfo_t *info, void *context) {
    // A fault has a positive code (BUS_ADRERR for a read past a file's end); a signal sent by kill() has not.
    if (info && info->si_code > 0) {
        uintptr_t address = (uintptr_t)info->si_addr;
        for (int k = 0; k < slot_count; k++) {
            uintptr_t start = atomic_load(&range_start[k]);
            uintptr_t end = atomic_load(&range_end[k]);
            if (start <= address && address < end) {
                void *page = (void *)(address & ~(page_size - 1));
                if (mmap(page, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
                    atomic_store(&hit[k], 1);
                    return;
                }
                break;
            }
        }
    }
    pass_on(signal_number, info, context);
}

static void install(void) {
    long size = sysconf(_SC_PAGESIZE);
    if (size <= 0) return;
    page_size = (uintptr_t)size;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_bus_error;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    installed = sigaction(SIGBUS, &action, &previous_action) == 0;
}

int rampart_guard_watch(const void *start, size_t length) {
    pthread_once(&install_once, install);
    if (!installed || length == 0) return -1;
    for (int k = 0; k < slot_count; k++) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&claimed[k], &expected, 1)) {
            atomic_store(&hit[k], 0);
            atomic_store(&range_start[k], (uintptr_t)start);
            atomic_store(&range_end[k], (uintptr_t)start + length);
            return k;
        }
    }
    return -1;
}

int rampart_guard_hit(int slot) {
    if (slot < 0 || slot >= slot_count) return 0;
    return atomic_load(&hit[slot]);
}

void rampart_guard_unwatch(int slot) {
    if (slot < 0 || slot >= slot_count) return;
    atomic_store(&range_end[slot], 0);
    atomic_store(&range_start[slot], 0);
    atomic_store(&claimed[slot], 0);
}

#else

int rampart_guard_watch(const void *start, size_t length) { (void)start; (void)length; return -1; }
void rampart_guard_unwatch(int slot) { (void)slot; }
int rampart_guard_hit(int slot) { (void)slot; return 0; }

#endif

/*
 * The GuestRPC log file (vmport's guestrpc-log property): one line per event,
 *
 *   <CLOCK_MONOTONIC ns> ch=<n> <open|request|reply|close|error> "<C-escaped text>"
 *
 * with a cap on its size, because the guest decides how many events there are (a guest
 * calling `log` a million times must not fill the disk). Lines are written whole or not
 * at all. The first line that would pass the cap is replaced by one marker line,
 *
 *   <ns> ch=-1 capped "log reached its cap of <cap> bytes; dropped <events> events
 *   (<bytes> bytes) after it"
 *
 * whose two counts (20 digits each, zero-padded) are rewritten in place on every dropped
 * event, so the file is always complete and exact, even if QEMU is killed. The file never
 * exceeds cap + GUESTRPC_LOG_MARKER_MAX bytes. Plain C with POSIX I/O; the caller supplies
 * the timestamps (QEMU: clock_gettime(CLOCK_MONOTONIC)).
 *
 * Example:
 *
 *   guestrpc_log* log = guestrpc_log_open("/run/x/guestrpc.log", GUESTRPC_LOG_DEFAULT_CAP);
 *   if (!log) error("cannot open: %s", strerror(errno));
 *   guestrpc_log_event(log, now_ns(), 0, GUESTRPC_EVENT_REQUEST, "log hi", 6);
 *   guestrpc_log_close(log);
 */
#ifndef ROMHARNESS_EMULATOR_GUESTRPC_LOG_H
#define ROMHARNESS_EMULATOR_GUESTRPC_LOG_H
/* A C header, also read by C++: C spellings stay. */
/* NOLINTBEGIN(modernize-use-using, modernize-deprecated-headers, readability-identifier-naming) */

#include <stddef.h>
#include <stdint.h>

#include "guestrpc.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GUESTRPC_LOG_DEFAULT_CAP 16777216u /* 16 MiB */
#define GUESTRPC_LOG_MARKER_MAX 192        /* longest marker line, newline included */

typedef struct guestrpc_log guestrpc_log;

/* Creates or truncates `path`, which must be seekable (a file, not a pipe: the marker is
 * rewritten in place). NULL with errno set when it cannot be opened. */
guestrpc_log* guestrpc_log_open(const char* path, uint64_t cap_bytes);

/* Appends one event line, or counts it as dropped once the cap is reached. A write error
 * stops the log (later events are ignored); the guest is never affected. */
void guestrpc_log_event(guestrpc_log* log, uint64_t ns, int channel, guestrpc_event_kind kind,
                        const char* text, size_t len);

/* Event lines written, and events dropped after the cap. */
uint64_t guestrpc_log_written_events(const guestrpc_log* log);
uint64_t guestrpc_log_dropped_events(const guestrpc_log* log);

void guestrpc_log_close(guestrpc_log* log);

#ifdef __cplusplus
}
#endif

/* NOLINTEND(modernize-use-using, modernize-deprecated-headers, readability-identifier-naming) */

#endif /* ROMHARNESS_EMULATOR_GUESTRPC_LOG_H */

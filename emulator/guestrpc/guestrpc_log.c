/*
 * The capped GuestRPC log; see guestrpc_log.h.
 */
#define _POSIX_C_SOURCE 200809L  // NOLINT(bugprone-reserved-identifier): the POSIX feature macro

#include "guestrpc_log.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct guestrpc_log {
  int fd;
  int failed; /* a write failed: the log is given up, the guest carries on */
  uint64_t cap, size;
  uint64_t written_events, dropped_events, dropped_bytes;
  int capped;
  uint64_t marker_offset, marker_ns;
};

static int write_all_at(int fd, const char* buf, size_t len, uint64_t offset) {
  while (len) {
    ssize_t n = pwrite(fd, buf, len, (off_t)offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    buf += n;
    len -= (size_t)n;
    offset += (uint64_t)n;
  }
  return 1;
}

static void write_marker(guestrpc_log* log) {
  char line[GUESTRPC_LOG_MARKER_MAX + 1];
  int n = snprintf(line, sizeof line,
                   "%" PRIu64 " ch=-1 capped \"log reached its cap of %" PRIu64
                   " bytes; dropped %020" PRIu64 " events (%020" PRIu64 " bytes) after it\"\n",
                   log->marker_ns, log->cap, log->dropped_events, log->dropped_bytes);
  if (n < 0 || (size_t)n >= sizeof line ||
      !write_all_at(log->fd, line, (size_t)n, log->marker_offset)) {
    log->failed = 1;
  }
}

/* The whole line for one event; NULL when out of memory. */
static char* format_line(uint64_t ns, int channel, guestrpc_event_kind kind, const char* text,
                         size_t len, size_t* line_len) {
  char prefix[64];
  int p = snprintf(prefix, sizeof prefix, "%" PRIu64 " ch=%d %s \"", ns, channel,
                   guestrpc_event_name(kind));
  if (p < 0 || (size_t)p >= sizeof prefix) return NULL;
  char* line = malloc((size_t)p + guestrpc_escaped_size(len) + 2);
  if (!line) return NULL;
  memcpy(line, prefix, (size_t)p);
  size_t n = (size_t)p + guestrpc_escape(text, len, line + p);
  line[n++] = '"';
  line[n++] = '\n';
  *line_len = n;
  return line;
}

guestrpc_log* guestrpc_log_open(const char* path, uint64_t cap_bytes) {
  guestrpc_log* log = calloc(1, sizeof *log);
  if (!log) return NULL;
  log->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log->fd < 0) {
    int saved = errno;
    free(log);
    errno = saved;
    return NULL;
  }
  if (lseek(log->fd, 0, SEEK_CUR) < 0) { /* a pipe: the marker could not be rewritten */
    int saved = errno;
    close(log->fd);
    free(log);
    errno = saved;
    return NULL;
  }
  log->cap = cap_bytes;
  return log;
}

void guestrpc_log_event(guestrpc_log* log, uint64_t ns, int channel, guestrpc_event_kind kind,
                        const char* text, size_t len) {
  if (!log || log->failed) return;
  size_t line_len = 0;
  char* line = format_line(ns, channel, kind, text, len, &line_len);
  if (!line) return;
  if (!log->capped && line_len <= log->cap - log->size) {
    if (write_all_at(log->fd, line, line_len, log->size)) {
      log->size += line_len;
      log->written_events++;
    } else {
      log->failed = 1;
    }
  } else {
    if (!log->capped) {
      log->capped = 1;
      log->marker_offset = log->size;
      log->marker_ns = ns;
    }
    log->dropped_events++;
    log->dropped_bytes += line_len;
    write_marker(log);
  }
  free(line);
}

uint64_t guestrpc_log_written_events(const guestrpc_log* log) {
  return log ? log->written_events : 0;
}

uint64_t guestrpc_log_dropped_events(const guestrpc_log* log) {
  return log ? log->dropped_events : 0;
}

void guestrpc_log_close(guestrpc_log* log) {
  if (!log) return;
  close(log->fd);
  free(log);
}

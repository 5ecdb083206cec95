// What this process holds right now: resident memory and open descriptors,
// from /proc/self. A run records both before its first boot and after its
// last, so a leak across many boots shows in results.json (bench/soak).
#pragma once

namespace rh {

struct ProcessUsage {
  long rss_kib = -1;  // VmRSS; -1 when /proc could not say
  // VmRSS in parts: anonymous memory (the heap, stacks: where a leak shows)
  // and file-backed pages (code of libraries first run after the start
  // sample: the boot server, the report writers; bounded by their size).
  long anon_kib = -1;  // RssAnon
  long file_kib = -1;  // RssFile + RssShmem
  int open_fds = -1;
};

ProcessUsage self_usage();

}  // namespace rh

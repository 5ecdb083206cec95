#include "harness/core/self_usage.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace rh {

namespace {

// VmRSS, RssAnon, RssFile and RssShmem from /proc/self/status, in KiB.
void read_resident(ProcessUsage& u) {
  std::ifstream status("/proc/self/status");
  long shmem = 0;
  for (std::string line; std::getline(status, line);) {
    const auto value = [&] { return std::stol(line.substr(line.find(':') + 1)); };
    if (line.rfind("VmRSS:", 0) == 0) u.rss_kib = value();
    if (line.rfind("RssAnon:", 0) == 0) u.anon_kib = value();
    if (line.rfind("RssFile:", 0) == 0) u.file_kib = value();
    if (line.rfind("RssShmem:", 0) == 0) shmem = value();
  }
  if (u.file_kib >= 0) u.file_kib += shmem;
}

int open_descriptors() {
  std::error_code ec;
  int count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++count;
  }
  // The iterator's own descriptor on /proc/self/fd was counted too.
  return ec ? -1 : count - 1;
}

}  // namespace

ProcessUsage self_usage() {
  ProcessUsage u{.open_fds = open_descriptors()};
  read_resident(u);
  return u;
}

}  // namespace rh

#include "harness/core/self_usage.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace rh {

namespace {

long resident_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
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

ProcessUsage self_usage() { return {.rss_kib = resident_kib(), .open_fds = open_descriptors()}; }

}  // namespace rh

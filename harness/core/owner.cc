#include "harness/core/owner.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <fstream>
#include <sstream>
#include <vector>

namespace rh {
namespace {

// Field 22 of /proc/<pid>/stat: the process's start time in clock ticks
// since boot; "" when the process does not exist.
std::string start_time_of(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return "";
  std::size_t close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return "";
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 22) return field;
  }
  return "";
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep)) out.push_back(part);
  return out;
}

}  // namespace

std::string this_host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown-host";
  return name;
}

std::string this_process_owner() {
  long pid = getpid();
  return this_host_name() + ":" + std::to_string(pid) + ":" + start_time_of(pid);
}

OwnerState owner_state(const std::string& tag) {
  std::vector<std::string> parts = split(tag, ':');
  if (parts.size() != 3) return OwnerState::kUnreadable;
  if (parts[0] != this_host_name()) return OwnerState::kOtherHost;
  long pid = 0;
  try {
    pid = std::stol(parts[1]);
  } catch (const std::exception&) {
    return OwnerState::kUnreadable;
  }
  if (pid <= 0) return OwnerState::kUnreadable;
  if (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return OwnerState::kGone;
  std::string started = start_time_of(pid);
  if (started.empty()) return OwnerState::kGone;
  return started == parts[2] ? OwnerState::kRunning : OwnerState::kGone;
}

}  // namespace rh

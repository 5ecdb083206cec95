// What a killed run of the QEMU backend leaves: its VMs' socket directories
// (/tmp/rh-XXXXXX with the QMP and serial sockets). QEMU itself dies with the
// run (PR_SET_PDEATHSIG). Each directory holds an owner file; a sweep
// removes the directories whose owner is gone, and only those.
//
//   for (const std::string& line : sweep_socket_dirs("/tmp")) ...  // "removed /tmp/rh-a1b2c3
//   (...)"
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace rh {

inline constexpr const char* kOwnerFile = "owner";

std::vector<std::string> sweep_socket_dirs(const std::filesystem::path& tmp = "/tmp");

}  // namespace rh

#include "harness/vm/qemu/qemu_leftovers.h"

#include <fstream>

#include "harness/core/owner.h"

namespace rh {
namespace fs = std::filesystem;

std::vector<std::string> sweep_socket_dirs(const fs::path& tmp) {
  std::vector<std::string> removed;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(tmp, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("rh-") || !entry.is_directory(ec) || entry.is_symlink(ec)) continue;
    std::ifstream in(entry.path() / kOwnerFile);
    std::string owner;
    if (!std::getline(in, owner) || owner_state(owner) != OwnerState::kGone) continue;
    std::error_code rm;
    fs::remove_all(entry.path(), rm);
    if (!rm)
      removed.push_back("removed " + entry.path().string() + " (its owner " + owner + " is gone)");
  }
  return removed;
}

}  // namespace rh

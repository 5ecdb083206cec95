#include "harness/rom/build_tree.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <set>

#include "harness/core/error.h"
#include "harness/core/process.h"
#include "harness/core/text.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

// In the tree's directory, beside src/: present while a build runs.
constexpr const char* kBuildingMark = ".romharness-building";
// The files the last sync wrote from a source (relative to src/), one a line.
constexpr const char* kManifest = ".romharness-manifest";
// The files set_config wrote (relative to src/), one a line.
constexpr const char* kConfigManifest = ".romharness-config";
constexpr auto kCopyTimeout = std::chrono::minutes(10);

// An exclusive flock on <path>; -1 when `wait` is false and another holds it.
int lock_file(const fs::path& path, bool wait) {
  const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw SetupError("cannot open lock file '" + path.string() + "': " + std::strerror(errno));
  }
  int rc = 0;
  while ((rc = ::flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB))) != 0 && errno == EINTR) {
  }
  if (rc == 0) return fd;
  const int err = errno;
  ::close(fd);
  if (!wait && err == EWOULDBLOCK) return -1;
  throw SetupError("cannot lock '" + path.string() + "': " + std::strerror(err));
}

bool same_bytes(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::file_size(a, ec) != fs::file_size(b, ec) || ec) return false;
  return read_whole_file(a) == read_whole_file(b);
}

void write_bytes(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw SetupError("cannot write '" + path.string() + "'");
}

std::set<std::string> read_manifest(const fs::path& path) {
  std::set<std::string> files;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) files.insert(line);
  return files;
}

void write_manifest(const fs::path& path, const std::set<std::string>& files) {
  std::string text;
  for (const auto& f : files) text += f + "\n";
  write_bytes(path.string() + ".tmp", text);
  fs::rename(path.string() + ".tmp", path);
}

// Copies one source entry over the tree's; true when it had to.
bool update_entry(const fs::path& from, const fs::path& to) {
  if (fs::is_symlink(from)) {
    std::error_code ec;
    if (fs::is_symlink(to) && fs::read_symlink(to, ec) == fs::read_symlink(from)) return false;
    fs::remove(to, ec);
    fs::create_directories(to.parent_path());
    fs::copy_symlink(from, to);
    return true;
  }
  if (fs::is_regular_file(to) && !fs::is_symlink(to) && same_bytes(from, to)) {
    if (fs::status(to).permissions() != fs::status(from).permissions()) {
      fs::permissions(to, fs::status(from).permissions());
    }
    return false;
  }
  std::error_code ec;
  if (fs::is_symlink(to)) fs::remove(to, ec);
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  return true;
}

}  // namespace

BuildTree::BuildTree(fs::path dir, int lock_fd)
    : dir_(std::move(dir)), src_(dir_ / "src"), lock_fd_(lock_fd) {}

BuildTree::BuildTree(BuildTree&& other) noexcept
    : dir_(std::move(other.dir_)),
      src_(std::move(other.src_)),
      lock_fd_(other.lock_fd_),
      sync_(std::move(other.sync_)) {
  other.lock_fd_ = -1;
}

BuildTree::~BuildTree() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

BuildTree BuildTree::open(const fs::path& root, const std::string& key,
                          const std::string& platform) {
  fs::create_directories(root);
  BuildTree tree(root / key, lock_file(root / (key + ".lock"), /*wait=*/true));
  if (fs::exists(tree.dir_ / kBuildingMark)) {
    fs::remove_all(tree.dir_);
    tree.sync_.wiped = true;
  }
  if (!fs::exists(tree.src_)) tree.create_or_seed(root, key, platform);
  return tree;
}

// Seeds from the first sound sibling that is idle; failing that, waits for
// one another build is running in (its objects are worth the wait: a copy
// and an incremental make cost a fraction of a cold tree). Only trees that
// already have a src/ are waited for, and a tree being created has none, so
// two new trees never wait for each other.
void BuildTree::create_or_seed(const fs::path& root, const std::string& key,
                               const std::string& platform) {
  fs::create_directories(dir_);
  std::vector<fs::path> siblings;
  for (const auto& entry : fs::directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name != key && name.starts_with(platform + "-")) {
      siblings.push_back(entry.path());
    }
  }
  std::sort(siblings.begin(), siblings.end());
  for (const bool wait : {false, true}) {
    for (const auto& sibling : siblings) {
      if (wait && !fs::exists(sibling / "src")) continue;
      const int lock = lock_file(sibling.string() + ".lock", wait);
      if (lock < 0) continue;  // busy: another build is changing it
      const bool seeded = seed_from(sibling);
      ::close(lock);
      if (seeded) return;
    }
  }
  fs::create_directories(src_);
}

// Copies a locked sibling's src/ (and its source list) when it is sound.
bool BuildTree::seed_from(const fs::path& sibling) {
  if (fs::exists(sibling / kBuildingMark) || !fs::exists(sibling / "src")) return false;
  const fs::path seed = dir_ / "src.seed";
  std::error_code ec;
  fs::remove_all(seed, ec);
  if (!run_command({"cp", "-a", (sibling / "src").string(), seed.string()}, kCopyTimeout)
           .status.ok()) {
    fs::remove_all(seed, ec);
    return false;
  }
  fs::rename(seed, src_);
  for (const char* list : {kManifest, kConfigManifest}) {
    if (fs::exists(sibling / list)) fs::copy_file(sibling / list, dir_ / list);
  }
  sync_.seeded_from = sibling.filename().string();
  return true;
}

void BuildTree::sync_from(const fs::path& from) {
  const std::set<std::string> before = read_manifest(dir_ / kManifest);
  std::set<std::string> now;
  sync_.written = sync_.removed = sync_.unchanged = 0;
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->is_directory() && !it->is_symlink()) continue;
    const std::string rel = fs::relative(it->path(), from).generic_string();
    now.insert(rel);
    if (update_entry(it->path(), src_ / rel)) {
      ++sync_.written;
    } else {
      ++sync_.unchanged;
    }
  }
  for (const auto& rel : before) {
    if (now.contains(rel)) continue;
    std::error_code ec;
    if (fs::remove(src_ / rel, ec)) ++sync_.removed;
  }
  write_manifest(dir_ / kManifest, now);
}

void BuildTree::set_config(const std::map<std::string, std::string>& files) {
  for (const auto& [rel, text] : files) {
    const fs::path path = src_ / rel;
    std::error_code ec;
    if (fs::is_regular_file(path, ec) && read_whole_file(path) == text) continue;
    write_bytes(path, text);
  }
  // What the previous configuration (ours, or a seed's) wrote and this one
  // does not goes. iPXE's make creates an empty config/local/<header> for
  // each header nobody wrote: removing those would make it create them
  // again, newer than every object that includes them.
  std::set<std::string> now;
  for (const auto& [rel, text] : files) now.insert(rel);
  for (const auto& rel : read_manifest(dir_ / kConfigManifest)) {
    std::error_code ec;
    if (!now.contains(rel)) fs::remove(src_ / rel, ec);
  }
  write_manifest(dir_ / kConfigManifest, now);
}

void BuildTree::begin(const std::vector<std::string>& targets) {
  write_bytes(dir_ / kBuildingMark, "");
  for (const auto& target : targets) {
    std::error_code ec;
    fs::remove(src_ / target, ec);
  }
}

void BuildTree::finished() {
  std::error_code ec;
  fs::remove(dir_ / kBuildingMark, ec);
}

}  // namespace rh

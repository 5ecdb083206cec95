// A persistent iPXE build directory for one configuration on one platform,
// reused build after build so that make recompiles only what changed. iPXE
// compiles every source of a platform into blib.a and runs `cpp -M` on each
// one first (about 4 CPU-minutes here for a cold tree); a neighbouring
// commit then costs a few objects and a link.
//
//   BuildTree tree = BuildTree::open(cache / "rom-trees", "bios-3f2a...", "bios");  // locked
//   tree.sync_from(staging / "src");         // writes only the files that differ
//   tree.set_config({{"config/local/general.h", text}});
//   tree.begin({"bin/15ad07b0.rom"});        // in use; old targets removed
//   ... make in tree.src() ...
//   tree.finished();                         // make ended on its own: the tree is sound
//
// Make decides from timestamps, so nothing here rewrites a file whose bytes
// are unchanged. A tree whose build never finished (make killed, romharness
// SIGKILLed) may hold half-written objects that look new: the next open
// wipes it. A new tree starts as a copy (cp -a, timestamps kept) of a sound
// tree of the same platform when there is one (an idle one, else one whose
// build it waits for): its objects and make's dependency files come along,
// and make rebuilds what the new configuration and source change, as in a
// developer's own tree.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace rh {

// What a sync did, for the build log.
struct TreeSync {
  std::size_t written = 0;    // new or changed files
  std::size_t removed = 0;    // files the previous source had and this one has not
  std::size_t unchanged = 0;  // left alone (their timestamps too)
  std::string seeded_from;    // the sibling a new tree was copied from, or ""
  bool wiped = false;         // an unfinished build's tree was thrown away
};

class BuildTree {
 public:
  // Locks <root>/<key> for this process (waiting while another build holds
  // it), wipes it when a build in it never finished, and creates it (from a
  // sibling "<platform>-*" when one is idle and sound). Throws SetupError.
  static BuildTree open(const std::filesystem::path& root, const std::string& key,
                        const std::string& platform);
  BuildTree(BuildTree&& other) noexcept;
  BuildTree& operator=(BuildTree&&) = delete;
  BuildTree(const BuildTree&) = delete;
  BuildTree& operator=(const BuildTree&) = delete;
  ~BuildTree();  // unlocks

  const std::filesystem::path& src() const { return src_; }
  const TreeSync& sync() const { return sync_; }

  // Makes src/ hold `from`'s files: writes those that differ, removes those
  // the previous sync wrote and `from` lacks; leaves build output alone.
  void sync_from(const std::filesystem::path& from);
  // The configuration's files (paths relative to src/: config/local/<header>,
  // an embedded script), each written only when it differs; those the
  // previous configuration wrote and this one lacks are removed.
  void set_config(const std::map<std::string, std::string>& files);
  // Marks the tree in use and removes `targets` (relative to src/) so that
  // make links them again, with this build's version and time.
  void begin(const std::vector<std::string>& targets);
  // Make ended by itself (success or failure): its outputs are whole.
  void finished();

 private:
  BuildTree(std::filesystem::path dir, int lock_fd);
  void create_or_seed(const std::filesystem::path& root, const std::string& key,
                      const std::string& platform);
  bool seed_from(const std::filesystem::path& sibling);

  std::filesystem::path dir_;
  std::filesystem::path src_;
  int lock_fd_ = -1;
  TreeSync sync_;
};

}  // namespace rh

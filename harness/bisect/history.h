// The iPXE history a bisection walks: the revisions resolved to commits, the
// candidates between them, and how each commit is named to the ROM builder
// (PATH@COMMIT or URL@COMMIT, so every build is a private export of that
// commit and the user's tree is only read).
//
//   BisectHistory h = open_history("/src/ipxe", cache_dir, "master");
//   std::string good = h.resolve("v1.21.1", "good");
//   std::vector<CommitInfo> list = h.candidates(good, h.resolve("master", "bad"));
//   h.source_at(list[0].hash);  // "/src/ipxe@3f2a..."
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace rh {

struct CommitInfo {
  std::string hash;
  std::string subject;
  std::string author_date;  // ISO 8601, as `git log --format=%aI`
  std::string short_hash() const { return hash.substr(0, 12); }
};

class BisectHistory {
 public:
  // `git` runs git on the repository ({"git", "-C", TOP} or {"git", "--git-dir", DIR}).
  BisectHistory(std::string source, std::vector<std::string> git, std::string where);

  // InputError "<role> revision 'x' is not a commit in '<where>'".
  std::string resolve(const std::string& rev, const std::string& role) const;
  // InputError unless good is a proper ancestor of bad.
  void check_order(const std::string& good, const std::string& bad) const;
  // `git log --first-parent --reverse good..bad`: oldest first, bad last.
  std::vector<CommitInfo> candidates(const std::string& good, const std::string& bad) const;
  CommitInfo info(const std::string& commit) const;
  // The --ipxe-src spec that builds exactly this commit.
  std::string source_at(const std::string& commit) const { return source_ + "@" + commit; }
  const std::string& where() const { return where_; }

 private:
  std::string git_out(const std::vector<std::string>& args) const;  // SetupError on failure
  std::string source_;
  std::vector<std::string> git_;
  std::string where_;  // the repository, for messages
};

// A local git tree (its top or src/) or a git URL, without @REF. A URL is
// cloned into the cache (or fetched) with `bad` in it. InputError for a plain
// tree, a path that is no iPXE tree, or a spec that already names a revision.
BisectHistory open_history(const std::string& ipxe_src, const std::filesystem::path& cache_dir,
                           const std::string& bad);

}  // namespace rh

#include "harness/bisect/history.h"

#include <chrono>
#include <sstream>

#include "harness/core/error.h"
#include "harness/core/process.h"
#include "harness/rom/ipxe_source.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

constexpr auto kGitTimeout = std::chrono::minutes(2);

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

CommandOutput run_git(std::vector<std::string> argv, const std::vector<std::string>& args) {
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, kGitTimeout);
}

// One `%H%x1f%aI%x1f%s` line.
CommitInfo parse_info(const std::string& line) {
  CommitInfo info;
  std::istringstream in(line);
  std::getline(in, info.hash, '\x1f');
  std::getline(in, info.author_date, '\x1f');
  std::getline(in, info.subject);
  return info;
}

const char* const kLogFormat = "--format=%H%x1f%aI%x1f%s";

}  // namespace

BisectHistory::BisectHistory(std::string source, std::vector<std::string> git, std::string where)
    : source_(std::move(source)), git_(std::move(git)), where_(std::move(where)) {}

std::string BisectHistory::git_out(const std::vector<std::string>& args) const {
  const CommandOutput r = run_git(git_, args);
  if (!r.status.ok()) {
    std::vector<std::string> argv = git_;
    argv.insert(argv.end(), args.begin(), args.end());
    throw SetupError("'" + shell_quote(argv) + "' failed (" + r.status.describe() +
                     "): " + first_line(r.err));
  }
  return r.out;
}

std::string BisectHistory::resolve(const std::string& rev, const std::string& role) const {
  if (rev.empty()) throw InputError("bisect needs a " + role + " revision");
  const CommandOutput r = run_git(git_, {"rev-parse", "--verify", "--quiet", rev + "^{commit}"});
  if (!r.status.ok()) {
    throw InputError(role + " revision '" + rev + "' is not a commit in '" + where_ + "'");
  }
  return first_line(r.out);
}

void BisectHistory::check_order(const std::string& good, const std::string& bad) const {
  if (good == bad) {
    throw InputError("good and bad revisions are the same commit " + good.substr(0, 12) +
                     ": nothing to bisect");
  }
  const CommandOutput r = run_git(git_, {"merge-base", "--is-ancestor", good, bad});
  if (r.status.exited && r.status.code == 1) {
    throw InputError("good revision " + good.substr(0, 12) +
                     " is not an ancestor of bad revision " + bad.substr(0, 12) + " in '" + where_ +
                     "': bisect looks for the commit between them that broke it");
  }
  if (!r.status.ok())
    git_out({"merge-base", "--is-ancestor", good, bad});  // throws with git's words
}

std::vector<CommitInfo> BisectHistory::candidates(const std::string& good,
                                                  const std::string& bad) const {
  std::vector<CommitInfo> list;
  std::istringstream in(
      git_out({"log", "--first-parent", "--reverse", kLogFormat, good + ".." + bad}));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) list.push_back(parse_info(line));
  }
  return list;
}

CommitInfo BisectHistory::info(const std::string& commit) const {
  return parse_info(first_line(git_out({"show", "-s", kLogFormat, commit})));
}

BisectHistory open_history(const std::string& ipxe_src, const fs::path& cache_dir,
                           const std::string& bad) {
  if (ipxe_src.empty()) {
    throw InputError("bisect needs the iPXE source: a git tree or URL (or ROMHARNESS_IPXE_SRC)");
  }
  if (looks_like_url(ipxe_src)) {
    const IpxeSource clone = resolve_ipxe_source(ipxe_src + "@" + bad, cache_dir);
    return {ipxe_src, {"git", "--git-dir", clone.git_dir.string()}, ipxe_src};
  }
  if (!fs::exists(ipxe_src) && ipxe_src.find('@') != std::string::npos) {
    throw InputError("iPXE source '" + ipxe_src +
                     "' names a revision: give the tree alone, and the revisions as good and bad");
  }
  const IpxeSource tree = resolve_ipxe_source(ipxe_src, cache_dir);
  if (tree.commit.empty()) {
    throw InputError("iPXE source '" + ipxe_src + "' is not a git tree: bisect needs its history");
  }
  const std::string top = tree.src_dir.parent_path().string();
  return {top, {"git", "-C", top}, top};
}

}  // namespace rh

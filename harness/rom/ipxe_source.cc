// IpxeSource: resolving a user's iPXE tree or git URL to a cache key, and
// making private copies of its src/ for builds.
#include "harness/rom/ipxe_source.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <regex>

#include "harness/core/error.h"
#include "harness/core/hash.h"
#include "harness/core/process.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

constexpr auto kGitTimeout = std::chrono::minutes(10);
constexpr auto kQuickTimeout = std::chrono::seconds(60);

// Build output and local config are not part of the source.
bool skipped(const fs::path& rel) {
  const std::string first = rel.begin()->string();
  if (first == "bin" || first.starts_with("bin-")) return true;
  const std::string text = rel.generic_string();
  return text.starts_with("config/local/") && text != "config/local/.gitignore";
}

std::vector<fs::path> source_files(const fs::path& src) {
  std::vector<fs::path> files;
  auto it = fs::recursive_directory_iterator(src);
  for (; it != fs::recursive_directory_iterator(); ++it) {
    const fs::path rel = fs::relative(it->path(), src);
    if (skipped(rel)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() || it->is_symlink()) files.push_back(rel);
  }
  std::sort(files.begin(), files.end());
  return files;
}

CommandOutput git(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, timeout);
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

[[noreturn]] void git_failed(const std::vector<std::string>& args, const CommandOutput& r) {
  std::vector<std::string> argv = {"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  throw SetupError("'" + shell_quote(argv) + "' failed (" + r.status.describe() +
                   "): " + first_line(r.err));
}

std::string git_checked(const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout = kQuickTimeout) {
  const CommandOutput r = git(args, timeout);
  if (!r.status.ok()) git_failed(args, r);
  return r.out;
}

// "URL@REF" -> {URL, REF}; the '@' of "git@host:" or "user@host" is not a ref.
std::pair<std::string, std::string> split_ref(const std::string& spec) {
  const std::size_t host_start = spec.find("://") == std::string::npos ? 0 : spec.find("://") + 3;
  const std::size_t path_start =
      spec.find_first_of("/:", host_start + (spec.starts_with("git@") ? 4 : 0));
  const std::size_t at = spec.rfind('@');
  if (at == std::string::npos || path_start == std::string::npos || at < path_start) {
    return {spec, "HEAD"};
  }
  return {spec.substr(0, at), spec.substr(at + 1)};
}

// Dirty trees are keyed by what differs from HEAD: the diff and untracked files.
std::string dirty_hash(const fs::path& top, const std::string& status) {
  std::string material = git_checked({"-C", top.string(), "diff", "HEAD", "--binary", "--", "src"});
  std::size_t pos = 0;
  while (pos < status.size()) {
    const std::string line = status.substr(pos, status.find('\n', pos) - pos);
    pos += line.size() + 1;
    if (line.starts_with("?? ")) {
      const fs::path file = top / line.substr(3);
      material += line + " " + (fs::is_regular_file(file) ? sha256_file_hex(file) : "") + "\n";
    }
  }
  return sha256_hex(material);
}

void resolve_local_git(IpxeSource& source, const fs::path& top) {
  const CommandOutput head = git({"-C", top.string(), "rev-parse", "HEAD"}, kQuickTimeout);
  if (!head.status.ok()) return;  // not a git tree: a plain one
  source.commit = first_line(head.out);
  const std::string status = git_checked(
      {"-C", top.string(), "status", "--porcelain", "--untracked-files=all", "--", "src"});
  source.dirty = !status.empty();
  source.key = source.dirty ? source.commit + "-dirty-" + dirty_hash(top, status).substr(0, 16)
                            : source.commit;
}

// The top directory of the iPXE tree at PATH (the top itself or its src/).
fs::path ipxe_top(const std::string& spec) {
  fs::path path = fs::absolute(spec).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();
  if (fs::exists(path / "Makefile.housekeeping")) path = path.parent_path();
  if (!fs::exists(path / "src" / "Makefile.housekeeping")) {
    throw InputError("'" + spec + "' is not an iPXE tree (no src/Makefile.housekeeping in '" +
                     path.string() + "')");
  }
  return path;
}

IpxeSource resolve_path(const std::string& spec) {
  const fs::path path = ipxe_top(spec);
  IpxeSource source{.spec = spec, .src_dir = path / "src"};
  resolve_local_git(source, path);
  if (source.key.empty()) source.key = "tree-" + tree_hash(source.src_dir).substr(0, 32);
  return source;
}

fs::path clone_once(const std::string& url, const fs::path& cache_dir) {
  const fs::path dir = cache_dir / "src" / (sha256_hex(url).substr(0, 16) + ".git");
  if (fs::exists(dir / "HEAD")) return dir;
  fs::create_directories(dir.parent_path());
  const fs::path tmp = dir.string() + ".tmp-" + std::to_string(::getpid());
  fs::remove_all(tmp);
  git_checked({"clone", "--quiet", "--bare", url, tmp.string()}, kGitTimeout);
  std::error_code ec;
  fs::rename(tmp, dir, ec);
  if (ec) fs::remove_all(tmp);  // another process cloned it first
  return dir;
}

bool has_commit(const fs::path& git_dir, const std::string& ref) {
  return git({"--git-dir", git_dir.string(), "cat-file", "-e", ref + "^{commit}"}, kQuickTimeout)
      .status.ok();
}

IpxeSource resolve_url(const std::string& spec, const fs::path& cache_dir) {
  const auto [url, ref] = split_ref(spec);
  IpxeSource source{.spec = spec, .git_dir = clone_once(url, cache_dir)};
  // A full commit id already cloned needs no fetch (and no network).
  const bool pinned = std::regex_match(ref, std::regex("[0-9a-f]{40}"));
  if (!(pinned && has_commit(source.git_dir, ref))) {
    git_checked({"--git-dir", source.git_dir.string(), "fetch", "--quiet", "--tags", "origin",
                 "+refs/heads/*:refs/heads/*"},
                kGitTimeout);
  }
  const CommandOutput r = git(
      {"--git-dir", source.git_dir.string(), "rev-parse", "--verify", "--quiet", ref + "^{commit}"},
      kQuickTimeout);
  if (!r.status.ok()) {
    throw InputError("iPXE source '" + spec + "': no commit '" + ref + "' in '" + url + "'");
  }
  source.commit = first_line(r.out);
  source.key = source.commit;
  return source;
}

// "PATH@REV" when PATH is a directory and the whole spec is not: {PATH, REV}.
std::optional<std::pair<std::string, std::string>> local_ref(const std::string& spec) {
  const std::size_t at = spec.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == spec.size() || fs::exists(spec)) {
    return std::nullopt;
  }
  if (!fs::is_directory(spec.substr(0, at))) return std::nullopt;
  return std::pair(spec.substr(0, at), spec.substr(at + 1));
}

// A commit of a local git tree, exported from the tree's own repository
// (git archive only reads it): the working tree and its state do not matter.
IpxeSource resolve_path_at(const std::string& spec, const std::string& path,
                           const std::string& ref) {
  const std::string top = ipxe_top(path).string();
  const CommandOutput git_dir = git({"-C", top, "rev-parse", "--absolute-git-dir"}, kQuickTimeout);
  if (!git_dir.status.ok()) {
    throw InputError("iPXE source '" + spec + "': '" + path +
                     "' is not a git tree, so it has no '" + ref + "'");
  }
  const CommandOutput r =
      git({"-C", top, "rev-parse", "--verify", "--quiet", ref + "^{commit}"}, kQuickTimeout);
  if (!r.status.ok()) {
    throw InputError("iPXE source '" + spec + "': no commit '" + ref + "' in '" + top + "'");
  }
  const std::string commit = first_line(r.out);
  return {.spec = spec, .git_dir = first_line(git_dir.out), .commit = commit, .key = commit};
}

// The commit's committer time in Unix seconds, from whichever repository
// holds it.
std::string committer_time(const IpxeSource& source) {
  std::vector<std::string> args;
  if (!source.git_dir.empty()) {
    args = {"--git-dir", source.git_dir.string()};
  } else {
    args = {"-C", source.src_dir.string()};
  }
  for (const char* a : {"log", "-1", "--format=%ct"}) args.emplace_back(a);
  args.push_back(source.commit);
  return first_line(git_checked(args));
}

}  // namespace

bool looks_like_url(const std::string& spec) {
  return spec.find("://") != std::string::npos || spec.starts_with("git@");
}

std::string IpxeSource::provenance() const {
  if (commit.empty()) return key;
  return dirty ? commit + "-dirty" : commit;
}

std::string tree_hash(const fs::path& src_dir) {
  std::string listing;
  for (const auto& rel : source_files(src_dir)) {
    const fs::path file = src_dir / rel;
    listing +=
        rel.generic_string() + " " +
        (fs::is_symlink(file) ? "link:" + fs::read_symlink(file).string() : sha256_file_hex(file)) +
        "\n";
  }
  return sha256_hex(listing);
}

IpxeSource resolve_ipxe_source(const std::string& spec, const fs::path& cache_dir) {
  if (spec.empty()) {
    throw InputError(
        "no iPXE source: give --ipxe-src PATH|GIT_URL[@REF] or set ROMHARNESS_IPXE_SRC");
  }
  IpxeSource source;
  if (looks_like_url(spec)) {
    source = resolve_url(spec, cache_dir);
  } else if (const auto at = local_ref(spec)) {
    source = resolve_path_at(spec, at->first, at->second);
  } else {
    source = resolve_path(spec);
  }
  if (!source.commit.empty()) source.commit_time = committer_time(source);
  return source;
}

void copy_source(const IpxeSource& source, const fs::path& dest_top) {
  fs::create_directories(dest_top);
  if (!source.git_dir.empty()) {
    const fs::path tar = dest_top / "src.tar";
    git_checked({"--git-dir", source.git_dir.string(), "archive", "--format=tar", "-o",
                 tar.string(), source.commit, "src"},
                kGitTimeout);
    const CommandOutput r =
        run_command({"tar", "-xf", tar.string(), "-C", dest_top.string()}, kGitTimeout);
    if (!r.status.ok())
      throw SetupError("cannot unpack '" + tar.string() + "': " + first_line(r.err));
    fs::remove(tar);
    return;
  }
  for (const auto& rel : source_files(source.src_dir)) {
    const fs::path to = dest_top / "src" / rel;
    fs::create_directories(to.parent_path());
    fs::copy(source.src_dir / rel, to, fs::copy_options::copy_symlinks);
  }
}

}  // namespace rh

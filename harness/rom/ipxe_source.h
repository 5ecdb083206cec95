// The iPXE source a build uses: a user's tree (the top directory or its src/,
// git or plain) or a git URL with an optional @REF, and what identifies it in
// cache keys. The user's tree is only read: builds work on private copies.
//
//   IpxeSource src = resolve_ipxe_source("/src/ipxe", cache_dir);  // or "/src/ipxe@v1.21.1"
//   src.key;                       // "0ab2277c...", "0ab2277c...-dirty-1f2e...", "tree-9a8b..."
//   copy_source(src, workdir);     // workdir/src/..., without bin*/ and config/local/*
#pragma once

#include <filesystem>
#include <string>

namespace rh {

// Where the iPXE source comes from and what identifies it in cache keys.
struct IpxeSource {
  std::string spec;                // as given: a path or GIT_URL[@REF]
  std::filesystem::path src_dir;   // local tree's src/ (empty for a git URL)
  std::filesystem::path git_dir;   // our clone of a URL, or a tree's own for PATH@REV
  std::string commit;              // empty for a plain (non-git) tree
  std::string commit_time;         // the commit's committer time, Unix seconds
  bool dirty = false;              // uncommitted changes under src/
  std::string key;                 // commit, commit-dirty-<hash>, or tree-<hash>
  std::string provenance() const;  // commit, "<commit>-dirty", or "tree-<hash>"
};

// Resolves PATH (the iPXE top directory or its src/), PATH@REV (a commit of
// a local git tree, exported from its repository; the working tree is not
// used) or GIT_URL[@REF] (default REF: HEAD). Git URLs are cloned once into
// <cache>/src/.
// InputError/SetupError with the reason when it is not an iPXE tree.
IpxeSource resolve_ipxe_source(const std::string& spec, const std::filesystem::path& cache_dir);

// True for what resolve_ipxe_source treats as a git URL ("...://...", "git@...").
bool looks_like_url(const std::string& spec);

// SHA-256 over a src/ directory's files (paths and contents), skipping build
// output (bin, bin-*) and config/local/.
std::string tree_hash(const std::filesystem::path& src_dir);

// Writes the source's src/ to dest_top/src (files copied from a local tree,
// or exported from our clone at the resolved commit).
void copy_source(const IpxeSource& source, const std::filesystem::path& dest_top);

}  // namespace rh

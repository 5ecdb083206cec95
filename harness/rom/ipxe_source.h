// The iPXE source a build uses: a user's tree (the top directory or its src/,
// git or plain) or a git URL with an optional @REF, and what identifies it in
// cache keys. The user's tree is only read: builds work on private copies.
//
//   IpxeSource src = resolve_ipxe_source("/src/ipxe", cache_dir);
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
  std::filesystem::path git_dir;   // our bare clone of a git URL (empty for a path)
  std::string commit;              // empty for a plain (non-git) tree
  bool dirty = false;              // uncommitted changes under src/
  std::string key;                 // commit, commit-dirty-<hash>, or tree-<hash>
  std::string provenance() const;  // commit, "<commit>-dirty", or "tree-<hash>"
};

// Resolves PATH (the iPXE top directory or its src/) or GIT_URL[@REF]
// (default REF: HEAD). Git URLs are cloned once into <cache>/src/.
// InputError/SetupError with the reason when it is not an iPXE tree.
IpxeSource resolve_ipxe_source(const std::string& spec, const std::filesystem::path& cache_dir);

// SHA-256 over a src/ directory's files (paths and contents), skipping build
// output (bin, bin-*) and config/local/.
std::string tree_hash(const std::filesystem::path& src_dir);

// Writes the source's src/ to dest_top/src (files copied from a local tree,
// or exported from our clone at the resolved commit).
void copy_source(const IpxeSource& source, const std::filesystem::path& dest_top);

}  // namespace rh

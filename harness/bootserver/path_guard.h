// Turning an HTTP request target into a file inside a served root, or a
// refusal with a reason. Every check that keeps a request inside its root
// lives here so it can be tested and fuzzed on its own.
//
//   PathCheck c = normalize_target("/boot/%2e%2e/etc/passwd");
//   // c.ok() == false, c.status == 403, c.reason == "path has a '..' segment"
//   PathCheck d = normalize_target("/images//vmlinuz?mac=52:54");
//   // d.path == "/images/vmlinuz"; so for "http://10.0.2.2:8080/images//vmlinuz"
//   FileCheck f = resolve_in_root("/srv/scenario-root", d.path);
//   // f.file == "/srv/scenario-root/images/vmlinuz" when it exists inside the root
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace rh {

// The URL path of a request target, percent-decoded, without query or
// fragment, empty and "." segments removed, always starting with '/'.
struct PathCheck {
  std::string path;    // valid when status == 0
  int status = 0;      // 0 ok; else the HTTP status to answer (400, 403)
  std::string reason;  // why it was refused, for the log and the body
  bool ok() const { return status == 0; }
};

// Accepts origin-form ("/a/b?q") and absolute-form ("http://host:port/a/b",
// RFC 9112 3.2.2: the authority is ignored, there are no virtual hosts).
// Refuses: any other target (not starting with '/'), bad percent escapes,
// NUL and other control characters and backslashes (raw or encoded), and
// any ".." segment (raw or encoded, including "%2e%2e" and "..%2f").
PathCheck normalize_target(std::string_view target);

struct FileCheck {
  std::filesystem::path file;  // canonical path of a regular file when status == 0
  int status = 0;              // 0 ok; 403 escapes the root; 404 missing/not a file
  std::string reason;
  bool ok() const { return status == 0; }
};

// Maps a normalised URL path to a regular file under `canonical_root` (which
// must already be canonical). Symlinks are followed, and the result must
// still lie inside the root (weakly_canonical + component-wise prefix check).
FileCheck resolve_in_root(const std::filesystem::path& canonical_root, const std::string& url_path);

// True if `inner` is `outer` or lies below it, comparing whole components.
bool path_is_within(const std::filesystem::path& inner, const std::filesystem::path& outer);

}  // namespace rh

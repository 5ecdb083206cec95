// What the boot server sends for a URL path: a file from the scenario's root,
// an extra file mapped in from elsewhere (e.g. the payload cache), or a
// template filled with `{{name}}` variables. No networking here, so every
// answer can be tested directly.
//
//   ContentMap content(root, {{"/vmlinuz", cache / "vmlinuz"}}, {}, {{"server", "10.0.2.2:8080"}});
//   ResponsePlan p = content.plan("/boot.ipxe", "");  // filled script in p.body
//   ResponsePlan q = content.plan("/vmlinuz", "bytes=0-99");  // 206, p.file, offset 0, length 100
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rh {

struct ResponsePlan {
  int status = 200;
  std::string content_type = "application/octet-stream";
  std::vector<std::pair<std::string, std::string>> headers;  // besides type/length/connection
  std::string body;                                          // sent when `file` is empty
  std::filesystem::path file;  // else `length` bytes of this file from `offset`
  std::uint64_t offset = 0;
  std::uint64_t length = 0;  // Content-Length
  std::string note;          // for the request log

  bool from_file() const { return !file.empty(); }
};

// A short text answer: "404 Not Found: no such file\n".
ResponsePlan text_response(int status, const std::string& detail);

enum class RangeKind { kNone, kSatisfiable, kUnsatisfiable };
struct ByteRange {
  RangeKind kind = RangeKind::kNone;
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};
// One range of a `Range: bytes=...` header ("a-b", "a-", "-n"). Several
// ranges or anything unparsable give kNone (the whole file is sent).
ByteRange parse_byte_range(std::string_view header, std::uint64_t size);

class ContentMap {
 public:
  // Throws SetupError if the root is not a directory or an extra file is not
  // a regular file.
  ContentMap(const std::filesystem::path& root, std::map<std::string, std::filesystem::path> files,
             std::set<std::string> templates, std::map<std::string, std::string> variables);

  void set_variable(const std::string& name, std::string value);
  bool has_variable(const std::string& name) const;
  const std::filesystem::path& root() const { return root_; }

  // `url_path` must already be normalised (normalize_target).
  ResponsePlan plan(const std::string& url_path, std::string_view range_header) const;

 private:
  bool is_template(const std::string& url_path) const;
  ResponsePlan plan_template(const std::filesystem::path& file) const;

  std::filesystem::path root_;  // canonical
  std::map<std::string, std::filesystem::path> files_;
  std::set<std::string> templates_;
  mutable std::mutex vars_mutex_;
  std::map<std::string, std::string> variables_;
};

}  // namespace rh

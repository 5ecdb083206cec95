#include "harness/bootserver/path_guard.h"

#include <cctype>
#include <optional>
#include <system_error>
#include <vector>

namespace rh {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes once; nullopt on a malformed escape. Decoding once only:
// "%252e" stays the literal file name "%2e", which cannot climb.
std::optional<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    const int hi = hex_value(in[i + 1]);
    const int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool has_control_char(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

PathCheck refuse(int status, std::string reason) {
  return PathCheck{.path = {}, .status = status, .reason = std::move(reason)};
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// The path (with query) of an absolute-form target, "/" if it has none; the
// target itself otherwise.
std::string absolute_form_path(std::string_view target) {
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (!starts_with_nocase(target, scheme)) continue;
    const std::string_view rest = target.substr(scheme.size());
    const std::size_t path = rest.find_first_of("/?#");
    if (path == std::string_view::npos) return "/";
    if (rest[path] != '/') return "/" + std::string(rest.substr(path));
    return std::string(rest.substr(path));
  }
  return std::string(target);
}

}  // namespace

PathCheck normalize_target(std::string_view request_target) {
  const std::string origin = absolute_form_path(request_target);
  const std::string_view target = origin;
  if (target.empty() || target.front() != '/') {
    return refuse(400, "request target does not start with '/'");
  }
  const std::size_t end = target.find_first_of("?#");
  const auto decoded = percent_decode(target.substr(0, end));
  if (!decoded) return refuse(400, "malformed percent escape");
  if (decoded->find('\0') != std::string::npos) return refuse(400, "path contains a NUL byte");
  if (has_control_char(*decoded)) return refuse(400, "path contains a control character");
  if (decoded->find('\\') != std::string::npos) return refuse(400, "path contains a backslash");

  std::string path;
  std::size_t pos = 0;
  while (pos <= decoded->size()) {
    std::size_t next = decoded->find('/', pos);
    if (next == std::string::npos) next = decoded->size();
    const std::string_view segment(decoded->data() + pos, next - pos);
    if (segment == "..") return refuse(403, "path has a '..' segment");
    if (!segment.empty() && segment != ".") {
      path += '/';
      path += segment;
    }
    pos = next + 1;
  }
  if (path.empty()) path = "/";
  return PathCheck{.path = std::move(path)};
}

bool path_is_within(const std::filesystem::path& inner, const std::filesystem::path& outer) {
  auto in = inner.begin();
  for (auto out = outer.begin(); out != outer.end(); ++out, ++in) {
    if (out->empty()) continue;  // a trailing '/' on the root
    if (in == inner.end() || *in != *out) return false;
  }
  return true;
}

FileCheck resolve_in_root(const std::filesystem::path& canonical_root,
                          const std::string& url_path) {
  namespace fs = std::filesystem;
  const fs::path relative = fs::path(url_path).relative_path();
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(canonical_root / relative, ec);
  if (ec) return FileCheck{.status = 404, .reason = "cannot resolve: " + ec.message()};
  if (!path_is_within(resolved, canonical_root)) {
    return FileCheck{.status = 403,
                     .reason = "resolves outside the root to '" + resolved.string() + "'"};
  }
  const fs::file_status st = fs::status(resolved, ec);
  if (ec || !fs::exists(st)) return FileCheck{.status = 404, .reason = "no such file"};
  if (!fs::is_regular_file(st)) return FileCheck{.status = 404, .reason = "not a regular file"};
  return FileCheck{.file = resolved};
}

}  // namespace rh

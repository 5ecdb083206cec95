#include "harness/bootserver/content_map.h"

#include <boost/beast/http/status.hpp>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

#include "harness/bootserver/path_guard.h"
#include "harness/bootserver/template_fill.h"
#include "harness/core/error.h"

namespace rh {
namespace {

namespace fs = std::filesystem;

std::optional<std::uint64_t> parse_number(std::string_view s) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::string content_type_for(const fs::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".ipxe" || ext == ".txt" || ext == ".cfg") return "text/plain";
  if (ext == ".html") return "text/html";
  return "application/octet-stream";
}

ResponsePlan file_response(const fs::path& file, std::string_view range_header) {
  std::error_code ec;
  const std::uint64_t size = fs::file_size(file, ec);
  if (ec) return text_response(404, "cannot read size of '" + file.string() + "'");
  ResponsePlan plan{.content_type = content_type_for(file), .file = file, .length = size};
  plan.headers.emplace_back("Accept-Ranges", "bytes");
  const ByteRange range = parse_byte_range(range_header, size);
  if (range.kind == RangeKind::kUnsatisfiable) {
    ResponsePlan refused =
        text_response(416, "range '" + std::string(range_header) + "' outside a file of " +
                               std::to_string(size) + " bytes");
    refused.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
    return refused;
  }
  if (range.kind == RangeKind::kSatisfiable) {
    plan.status = 206;
    plan.offset = range.first;
    plan.length = range.length;
    plan.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                   std::to_string(range.first + range.length - 1) +
                                                   "/" + std::to_string(size));
  }
  return plan;
}

}  // namespace

ResponsePlan text_response(int status, const std::string& detail) {
  const auto reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  ResponsePlan plan{.status = status, .content_type = "text/plain", .note = detail};
  plan.body = std::to_string(status) + " " + std::string(reason) + ": " + detail + "\n";
  plan.length = plan.body.size();
  return plan;
}

ByteRange parse_byte_range(std::string_view header, std::uint64_t size) {
  constexpr std::string_view kPrefix = "bytes=";
  if (!header.starts_with(kPrefix)) return {};
  const std::string_view spec = header.substr(kPrefix.size());
  const std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) return {};
  const std::string_view first_text = spec.substr(0, dash);
  const std::string_view last_text = spec.substr(dash + 1);
  const auto first = parse_number(first_text);
  const auto last = parse_number(last_text);
  if ((!first && !first_text.empty()) || (!last && !last_text.empty()) || (!first && !last)) {
    return {};
  }
  if (!first) {  // suffix: the last N bytes
    if (*last == 0) return {.kind = RangeKind::kUnsatisfiable};
    const std::uint64_t n = std::min(*last, size);
    return {.kind = RangeKind::kSatisfiable, .first = size - n, .length = n};
  }
  if (*first >= size) return {.kind = RangeKind::kUnsatisfiable};
  if (last && *last < *first) return {};
  const std::uint64_t end = last ? std::min(*last, size - 1) : size - 1;
  return {.kind = RangeKind::kSatisfiable, .first = *first, .length = end - *first + 1};
}

ContentMap::ContentMap(const fs::path& root, std::map<std::string, fs::path> files,
                       std::set<std::string> templates,
                       std::map<std::string, std::string> variables)
    : files_(std::move(files)), templates_(std::move(templates)), variables_(std::move(variables)) {
  std::error_code ec;
  root_ = fs::canonical(root, ec);
  if (ec || !fs::is_directory(root_)) {
    throw SetupError("boot server root '" + root.string() + "' is not a directory");
  }
  for (const auto& [url, file] : files_) {
    if (url.empty() || url.front() != '/') {
      throw SetupError("boot server file URL '" + url + "' must start with '/'");
    }
    if (!fs::is_regular_file(file, ec)) {
      throw SetupError("boot server file '" + file.string() + "' for '" + url +
                       "' is not a regular file");
    }
  }
}

void ContentMap::set_variable(const std::string& name, std::string value) {
  std::lock_guard lock(vars_mutex_);
  variables_[name] = std::move(value);
}

bool ContentMap::has_variable(const std::string& name) const {
  std::lock_guard lock(vars_mutex_);
  return variables_.contains(name);
}

bool ContentMap::is_template(const std::string& url_path) const {
  return url_path.ends_with(".ipxe") || templates_.contains(url_path);
}

ResponsePlan ContentMap::plan_template(const fs::path& file) const {
  std::ifstream in(file, std::ios::binary);
  if (!in) return text_response(404, "cannot open template '" + file.string() + "'");
  std::stringstream text;
  text << in.rdbuf();
  ResponsePlan plan{.content_type = "text/plain"};
  {
    std::lock_guard lock(vars_mutex_);
    plan.body = fill_template(text.str(), variables_);
  }
  plan.length = plan.body.size();
  return plan;
}

ResponsePlan ContentMap::plan(const std::string& url_path, std::string_view range_header) const {
  fs::path file;
  if (const auto it = files_.find(url_path); it != files_.end()) {
    file = it->second;
  } else {
    const FileCheck check = resolve_in_root(root_, url_path);
    if (!check.ok()) return text_response(check.status, check.reason);
    file = check.file;
  }
  if (is_template(url_path)) return plan_template(file);
  return file_response(file, range_header);
}

}  // namespace rh

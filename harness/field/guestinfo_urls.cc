#include "harness/field/guestinfo_urls.h"

#include <algorithm>
#include <cctype>

namespace rh {
namespace {

// One URL found in a value, with where its host ends (for inserting a port).
struct Found {
  GuestinfoUrl url;
  std::size_t host_end = 0;
};

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

bool ends_path(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '<' ||
         c == '>' || c == '?' || c == '#';
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// scheme://host[:port][/path] at every "://" whose scheme is one iPXE
// fetches. A hand scan, not std::regex: libstdc++'s matcher recurses per
// character and a 64 KiB value would exhaust the stack.
std::vector<Found> scan(const std::string& value) {
  static const char* const kSchemes[] = {"https", "http", "tftp", "ftp"};
  std::vector<Found> out;
  for (std::size_t at = value.find("://"); at != std::string::npos;
       at = value.find("://", at + 3)) {
    std::size_t begin = at;
    while (begin > 0 && std::isalpha(static_cast<unsigned char>(value[begin - 1]))) --begin;
    const std::string scheme = lower(value.substr(begin, at - begin));
    if (std::none_of(std::begin(kSchemes), std::end(kSchemes),
                     [&](const char* s) { return scheme == s; })) {
      continue;
    }
    Found f;
    f.url.scheme = scheme;
    std::size_t i = at + 3;
    while (i < value.size() && is_host_char(value[i])) ++i;
    f.url.host = value.substr(at + 3, i - at - 3);
    f.host_end = i;
    if (f.url.host.empty()) continue;
    if (value.compare(i, 9, ":{{port}}") == 0) {
      f.url.port = "{{port}}";
      i += 9;
    } else if (i < value.size() && value[i] == ':') {
      std::size_t digits = i + 1;
      while (digits < value.size() && std::isdigit(static_cast<unsigned char>(value[digits]))) {
        ++digits;
      }
      f.url.port = value.substr(i + 1, digits - i - 1);
      i = digits;
    }
    if (i < value.size() && value[i] == '/') {
      std::size_t end = i;
      while (end < value.size() && !ends_path(value[end])) ++end;
      f.url.path = value.substr(i, end - i);
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

bool GuestinfoUrl::host_is_name() const {
  return std::any_of(host.begin(), host.end(),
                     [](unsigned char c) { return std::isalpha(c) != 0; });
}

std::vector<GuestinfoUrl> urls_in(const std::string& value) {
  std::vector<GuestinfoUrl> out;
  for (Found& f : scan(value)) out.push_back(std::move(f.url));
  return out;
}

std::string with_boot_server_port(const std::string& value) {
  std::string out;
  std::size_t copied = 0;
  for (const Found& f : scan(value)) {
    if (f.url.scheme != "http" || !f.url.port.empty() || !f.url.host_is_name()) continue;
    out.append(value, copied, f.host_end - copied);
    out += ":{{port}}";
    copied = f.host_end;
  }
  out.append(value, copied, std::string::npos);
  return out;
}

}  // namespace rh

#include "harness/vm/libvirt/domain_owner.h"

#include <unistd.h>

#include <array>
#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

#include "harness/vm/libvirt/domain_xml.h"

namespace rh {
namespace {

constexpr std::size_t kMaxHost = 32;
constexpr std::size_t kMaxSlug = 48;

// Field 22 of /proc/<pid>/stat (after the parenthesised command, which may
// hold spaces); nullopt when the process does not exist.
std::optional<unsigned long long> process_start(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return std::nullopt;
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(stat.substr(close + 2));
  std::string field;
  // Fields 3..21 come before the start time.
  for (int i = 3; i <= 21; ++i) rest >> field;
  unsigned long long start = 0;
  if (!(rest >> start)) return std::nullopt;
  return start;
}

std::string slug(std::string_view scenario) {
  std::string out;
  for (char c : scenario) {
    if (out.size() == kMaxSlug) break;
    if (c == '/') {
      out += '.';
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-') {
      out += c;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += '-';
    }
  }
  return out;
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::vector<std::string_view> split(std::string_view text, char sep, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const auto at = text.find(sep);
    if (at == std::string_view::npos) break;
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + 1);
  }
  parts.push_back(text);
  return parts;
}

// The value of attribute `name` in the first element of `xml`, quoted with ' or ".
std::optional<std::string> attribute(std::string_view xml, std::string_view name) {
  const std::string key = " " + std::string(name) + "=";
  const auto at = xml.find(key);
  if (at == std::string_view::npos || at + key.size() >= xml.size()) return std::nullopt;
  const char quote = xml[at + key.size()];
  if (quote != '\'' && quote != '"') return std::nullopt;
  const auto begin = at + key.size() + 1;
  const auto end = xml.find(quote, begin);
  if (end == std::string_view::npos) return std::nullopt;
  std::string raw(xml.substr(begin, end - begin));
  // Undo the five entities xml_escape writes (libvirt re-serialises with them).
  static constexpr std::array<std::pair<std::string_view, char>, 5> kEntities{
      {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&apos;", '\''}, {"&quot;", '"'}}};
  std::string out;
  for (std::size_t i = 0; i < raw.size();) {
    bool replaced = false;
    for (const auto& [entity, ch] : kEntities) {
      if (raw.compare(i, entity.size(), entity) == 0) {
        out += ch;
        i += entity.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += raw[i++];
  }
  return out;
}

}  // namespace

std::string owner_host_name() {
  std::array<char, 256> buf{};
  if (::gethostname(buf.data(), buf.size() - 1) != 0) return "unknown";
  std::string out;
  for (const char* p = buf.data(); *p != '\0' && out.size() < kMaxHost; ++p) {
    const char c = *p;
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += keep ? c : '-';
  }
  return out.empty() ? "unknown" : out;
}

DomainOwner DomainOwner::self(std::string run_id, std::string scenario) {
  DomainOwner o;
  o.host = owner_host_name();
  o.pid = static_cast<long>(::getpid());
  o.start = process_start(o.pid).value_or(0);
  o.run_id = std::move(run_id);
  o.scenario = std::move(scenario);
  return o;
}

std::string DomainOwner::token() const {
  return host + "_" + std::to_string(pid) + "_" + std::to_string(start);
}

std::string domain_name(const DomainOwner& owner, int seq, std::string_view scenario) {
  return std::string(kDomainPrefix) + owner.token() + "_" + std::to_string(seq) + "_" +
         slug(scenario);
}

std::optional<DomainOwner> owner_from_name(std::string_view name) {
  if (!name.starts_with(kDomainPrefix)) return std::nullopt;
  name.remove_prefix(kDomainPrefix.size());
  const auto parts = split(name, '_', 5);
  if (parts.size() != 5 || parts[0].empty()) return std::nullopt;
  DomainOwner o;
  o.host = std::string(parts[0]);
  int seq = 0;
  if (!parse_number(parts[1], o.pid) || !parse_number(parts[2], o.start) ||
      !parse_number(parts[3], seq)) {
    return std::nullopt;
  }
  return o;
}

std::string owner_metadata(const DomainOwner& o) {
  return "<rh:run xmlns:rh='" + std::string(kMetadataUri) + "' host='" + xml_escape(o.host) +
         "' pid='" + std::to_string(o.pid) + "' start='" + std::to_string(o.start) + "' run='" +
         xml_escape(o.run_id) + "' scenario='" + xml_escape(o.scenario) + "'/>";
}

std::optional<DomainOwner> owner_from_metadata(std::string_view xml) {
  DomainOwner o;
  const auto host = attribute(xml, "host");
  const auto pid = attribute(xml, "pid");
  if (!host || host->empty() || !pid || !parse_number(std::string_view(*pid), o.pid)) {
    return std::nullopt;
  }
  o.host = *host;
  if (const auto start = attribute(xml, "start")) parse_number(std::string_view(*start), o.start);
  o.run_id = attribute(xml, "run").value_or("");
  o.scenario = attribute(xml, "scenario").value_or("");
  return o;
}

OwnerState owner_state(const DomainOwner& owner, std::string_view this_host) {
  if (owner.host != this_host) return OwnerState::kElsewhere;
  const auto start = process_start(owner.pid);
  if (!start) return OwnerState::kGone;
  // Same pid, later start: the pid was reused by an unrelated process.
  if (owner.start != 0 && *start != owner.start) return OwnerState::kGone;
  return OwnerState::kAlive;
}

}  // namespace rh

#include "harness/field/vmx.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "harness/core/error.h"

namespace rh {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

size_t skip_blanks(std::string_view s, size_t i) {
  while (i < s.size() && is_blank(s[i])) ++i;
  return i;
}

struct ParsedLine {
  std::string key;
  std::string raw_value;
};

// One line per DictLL_UnmarshalLine: nullopt for blank and comment lines,
// throws for lines VMware would keep as "weird" (not a setting).
std::optional<ParsedLine> parse_line(std::string_view line, const std::string& where) {
  auto bad = [&](const std::string& why) -> InputError {
    return InputError(where + ": cannot parse line '" + std::string(line) + "' (" + why + ")");
  };
  size_t i = skip_blanks(line, 0);
  if (i == line.size() || line[i] == '#') return std::nullopt;
  size_t name_begin = i;
  while (i < line.size() && !is_blank(line[i]) && line[i] != '=' && line[i] != '#') ++i;
  std::string_view name = line.substr(name_begin, i - name_begin);
  i = skip_blanks(line, i);
  if (name.empty() || i == line.size() || line[i] != '=') {
    throw bad("expected: key = \"value\"");
  }
  i = skip_blanks(line, i + 1);
  std::string_view value;
  if (i < line.size() && line[i] == '"') {
    size_t close = line.find('"', i + 1);
    if (close == std::string_view::npos) throw bad("no closing quote; write a quote as |22");
    value = line.substr(i + 1, close - i - 1);
    i = close + 1;
  } else {
    size_t begin = i;
    while (i < line.size() && !is_blank(line[i]) && line[i] != '#') ++i;
    value = line.substr(begin, i - begin);
  }
  i = skip_blanks(line, i);
  if (i < line.size() && line[i] != '#') {
    throw bad("unexpected text after the value: '" + std::string(line.substr(i)) + "'");
  }
  return ParsedLine{std::string(name), std::string(value)};
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // written on Windows
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string vmx_unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '|' && i + 2 < raw.size() && hex_digit(raw[i + 1]) >= 0 &&
        hex_digit(raw[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(raw[i + 1]) << 4 | hex_digit(raw[i + 2]));
      i += 2;
    } else {
      out += raw[i];
    }
  }
  return out;
}

std::string vmx_escape(std::string_view value) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t') || u == '"' || u == '|' || u == 0x7f) {
      out += '|';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

VmxFile VmxFile::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot open .vmx file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

VmxFile VmxFile::parse(std::string_view text, const std::string& display_name) {
  VmxFile file;
  file.path_ = display_name;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM, as DictLL skips it
  std::map<std::string, size_t> index;  // lower-case key -> position in entries_
  int line_no = 0;
  for (std::string_view line : split_lines(text)) {
    ++line_no;
    auto parsed = parse_line(line, display_name + ":" + std::to_string(line_no));
    if (!parsed) continue;
    VmxEntry entry{parsed->key, vmx_unescape(parsed->raw_value), parsed->raw_value, line_no};
    auto [it, inserted] = index.try_emplace(to_lower(entry.key), file.entries_.size());
    if (!inserted) {
      const VmxEntry& first = file.entries_[it->second];
      file.warnings_.push_back(display_name + ":" + std::to_string(line_no) + ": duplicate key '" +
                               entry.key + "' (first set at line " + std::to_string(first.line) +
                               "); the value at line " + std::to_string(line_no) + " wins");
      file.entries_.erase(file.entries_.begin() + static_cast<std::ptrdiff_t>(it->second));
      for (auto& [key, pos] : index) {
        if (pos > it->second) --pos;
      }
      it->second = file.entries_.size();
    }
    file.entries_.push_back(std::move(entry));
  }
  if (const VmxEntry* enc = file.find(".encoding"); enc && !iequals(enc->value, "UTF-8")) {
    file.warnings_.push_back(file.where(*enc) + ": .encoding is '" + enc->value +
                             "'; values are read as UTF-8 bytes without conversion");
  }
  return file;
}

const VmxEntry* VmxFile::find(std::string_view key) const {
  for (const VmxEntry& e : entries_) {
    if (iequals(e.key, key)) return &e;
  }
  return nullptr;
}

std::string VmxFile::where(const VmxEntry& entry) const {
  return path_ + ":" + std::to_string(entry.line);
}

}  // namespace rh

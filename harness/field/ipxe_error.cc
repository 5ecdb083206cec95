#include "harness/field/ipxe_error.h"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <regex>

#include "harness/field/ipxe_error_tables.h"

namespace rh {
namespace {

namespace t = ipxe_tables;

const t::FileEntry* find_file(uint32_t id) {
  for (const t::FileEntry& f : t::files()) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

std::string area_name(uint32_t file_id) {
  switch (file_id & 0xe000) {
    case 0x2000:
      return "core";
    case 0x4000:
      return "driver";
    case 0x6000:
      return "net";
    case 0x8000:
      return "image";
    case 0xe000:
      return "other";
    default:
      return "unknown";
  }
}

std::string platform_name(int platform, int posix) {
  // BIOS builds use PXENV statuses (all below 0x80 but 0xa0, ECANCELED's);
  // EFI builds compress EFI_STATUS errors to 0x80 | number.
  bool efi = platform >= 0x80 && !(platform == 0xa0 && posix == 0x0b);
  for (const t::PlatformEntry& p : efi ? t::efi_statuses() : t::pxenv_statuses()) {
    if (p.number == (efi ? platform & 0x7f : platform)) return p.name;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, efi ? "EFI error %d" : "PXENV status 0x%02x",
                efi ? platform & 0x7f : platform);
  return buf;
}

}  // namespace

IpxeError decode_ipxe_error(uint32_t code) {
  IpxeError e;
  e.code = code;
  e.posix = static_cast<int>((code >> 24) & 0x7f);
  e.file_id = code & 0x00ffe000;
  e.arch_file = (code & 0x00800000) != 0;
  e.uniq = static_cast<int>((code >> 8) & 0x1f);
  e.platform = static_cast<int>(code & 0xff);
  e.file_area = area_name(e.file_id);
  for (const t::PosixEntry& p : t::posix_errors()) {
    if (p.number == e.posix) {
      e.posix_name = p.name;
      e.posix_text = p.text;
    }
  }
  if (const t::FileEntry* f = find_file(e.file_id)) e.file = f->name;
  e.platform_name = platform_name(e.platform, e.posix);
  for (const t::DetailEntry& d : t::details()) {
    if (e.file == d.file && d.posix == e.posix && d.uniq == e.uniq) e.detail = d.text;
  }
  return e;
}

std::string IpxeError::hex() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", code);
  return buf;
}

std::string IpxeError::message() const {
  char id[32];
  std::snprintf(id, sizeof id, "file id 0x%06x", file_id);
  std::string text = posix_text.empty() ? "unknown error " + std::to_string(posix) : posix_text;
  if (!detail.empty()) text += ": " + detail;
  text += " (" + (posix_name.empty() ? "posix " + std::to_string(posix) : posix_name) + " in " +
          (file.empty() ? std::string(id) + " (" + file_area + ")" : file) + ", disambiguator " +
          std::to_string(uniq) + ", " + platform_name + ")";
  return text;
}

std::optional<uint32_t> parse_ipxe_error_code(std::string_view text) {
  static const std::regex kCode("(?:(?:https?://)?ipxe\\.org/(?:err/)?|0x)?([0-9a-fA-F]{8})");
  std::string s(text);
  std::smatch m;
  if (!std::regex_match(s, m, kCode)) return std::nullopt;
  return static_cast<uint32_t>(std::stoul(m[1], nullptr, 16));
}

int ipxe_error_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << "usage: romharness ipxe-error CODE... (e.g. 2d0c613b or https://ipxe.org/2d0c613b)\n";
    return 2;
  }
  for (const std::string& arg : args) {
    std::optional<uint32_t> code = parse_ipxe_error_code(arg);
    if (!code) {
      err << "romharness ipxe-error: '" << arg << "' is not an iPXE error code (8 hex digits)\n";
      return 2;
    }
    IpxeError e = decode_ipxe_error(*code);
    char line[160];
    std::snprintf(line, sizeof line,
                  "  posix 0x%02x %s, file 0x%06x %s (%s%s), disambiguator %d, "
                  "platform 0x%02x %s\n",
                  e.posix, e.posix_name.c_str(), e.file_id, e.file.empty() ? "?" : e.file.c_str(),
                  e.file_area.c_str(), e.arch_file ? ", x86" : "", e.uniq, e.platform,
                  e.platform_name.c_str());
    out << e.hex() << ": " << e.message() << "\n" << line;
  }
  return 0;
}

namespace {

// iPXE's own words before the URL: the text after the last ": " or "... ".
std::string printed_text(const std::string& before) {
  size_t cut = 0;
  for (const char* sep : {": ", "... ", ".. "}) {
    size_t p = before.rfind(sep);
    if (p != std::string::npos) cut = std::max(cut, p + std::string(sep).size());
  }
  std::string text = before.substr(cut);
  text.erase(0, text.find_first_not_of(" ."));
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

std::vector<IpxeErrorMention> find_ipxe_errors(const std::vector<std::string>& console_lines) {
  static const std::regex kUrl("\\(\\s*(?:https?://)?ipxe\\.org/(?:err/)?([0-9a-fA-F]{8})\\s*\\)");
  std::vector<IpxeErrorMention> found;
  for (const std::string& line : console_lines) {
    for (auto it = std::sregex_iterator(line.begin(), line.end(), kUrl);
         it != std::sregex_iterator(); ++it) {
      std::string before = line.substr(0, static_cast<size_t>(it->position()));
      found.push_back(
          {static_cast<uint32_t>(std::stoul((*it)[1], nullptr, 16)), printed_text(before), line});
    }
  }
  return found;
}

}  // namespace rh

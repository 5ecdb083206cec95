// Reading VMware .vmx files the way VMware writes and reads them
// (open-vm-tools lib/dict/dictll.c, DictLL_UnmarshalLine and Escape_Undo):
//
//   .encoding = "UTF-8"
//   ethernet0.virtualDev = "vmxnet3"      # a comment
//   guestinfo.ipxe.scriptlet = "chain |22http://10.0.0.1/boot.ipxe|22"
//
// A line is `name = "value"`, `name = value` (unquoted: up to a blank or
// `#`), `name =` (empty value), a `#` comment or blank. Inside values `|XX`
// (two hex digits) stands for the byte 0xXX; VMware writes `|22` for `"`,
// `|7C` for `|`, `|0A` for a newline and escapes every control character but
// tab. Keys compare case-insensitively; a repeated key keeps its last value.
//
//   VmxFile vmx = VmxFile::load("vm.vmx");
//   if (const VmxEntry* e = vmx.find("memsize")) use(e->value, e->line);
//   // a bad line: InputError("vm.vmx:7: cannot parse line 'memsize 512'
//   //             (expected: key = \"value\")")
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rh {

struct VmxEntry {
  std::string key;        // as written
  std::string value;      // unescaped
  std::string raw_value;  // as written between the quotes (still escaped)
  int line = 0;           // 1-based
};

class VmxFile {
 public:
  static VmxFile load(const std::string& path);  // throws InputError
  // `display_name` is the file name used in messages.
  static VmxFile parse(std::string_view text, const std::string& display_name);

  const std::string& path() const { return path_; }
  // In file order; of repeated keys only the last occurrence is kept.
  const std::vector<VmxEntry>& entries() const { return entries_; }
  // e.g. "vm.vmx:9: duplicate key 'memsize' (first set at line 4); the value
  // at line 9 wins"
  const std::vector<std::string>& warnings() const { return warnings_; }

  const VmxEntry* find(std::string_view key) const;  // case-insensitive
  // "vm.vmx:12" for messages.
  std::string where(const VmxEntry& entry) const;

 private:
  std::string path_;
  std::vector<VmxEntry> entries_;
  std::vector<std::string> warnings_;
};

// `|XX` -> byte 0xXX; a `|` not followed by two hex digits stays as it is
// (VMware's Escape_Undo does the same).
std::string vmx_unescape(std::string_view raw);
// The inverse as VMware writes it: `"`, `|`, DEL and control characters but
// tab become `|XX` (upper-case hex).
std::string vmx_escape(std::string_view value);

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);

}  // namespace rh

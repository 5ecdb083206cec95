// Finding iPXE's error URLs in serial output and naming the failure.
#include <algorithm>
#include <regex>

#include "harness/field/ipxe_error.h"
#include "harness/field/ipxe_error_tables.h"

namespace rh {
namespace {

constexpr size_t kSerconColumns = 80;  // SeaBIOS sercon wraps its 80x25 screen

// Drops ANSI escapes and CRs and applies backspaces, as a terminal would.
std::string visible(const std::string& raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\x1b' && i + 1 < raw.size() && raw[i + 1] == '[') {
      i += 2;
      while (i < raw.size() && !std::isalpha(static_cast<unsigned char>(raw[i]))) ++i;
    } else if (c == '\b') {
      if (!out.empty()) out.pop_back();
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// A URL left open at the end of a line continues on the next one.
bool continues(const std::string& line) {
  size_t open = line.rfind("(http");
  return line.size() == kSerconColumns ||
         (open != std::string::npos && line.find(')', open) == std::string::npos);
}

std::vector<std::string> console_lines(const std::vector<std::string>& serial_lines) {
  std::vector<std::string> lines;
  bool join = false;
  for (const std::string& raw : serial_lines) {
    std::string line = visible(raw);
    if (join && !lines.empty())
      lines.back() += line;
    else
      lines.push_back(line);
    join = continues(lines.back());
  }
  return lines;
}

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

bool any_line(const std::vector<std::string>& lines, const std::string& needle) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

int count_lines(const std::vector<std::string>& lines, const std::string& needle) {
  return static_cast<int>(std::count_if(lines.begin(), lines.end(), [&](const std::string& l) {
    return l.find(needle) != std::string::npos;
  }));
}

Triage result(const std::string& category, const std::string& reason) {
  Triage t;
  t.failure.category = category;
  t.reason = reason;
  return t;
}

std::string concern_of(const IpxeError& e) {
  for (const ipxe_tables::FileEntry& f : ipxe_tables::files()) {
    if (f.id == e.file_id) return f.concern;
  }
  return "";
}

// The category an iPXE error points at, and why.
std::pair<std::string, std::string> category_of(const IpxeError& e) {
  std::string concern = concern_of(e);
  if (e.file == "guestrpc")
    return {"infrastructure", "the GuestRPC channel failed (hypervisor or emulator)"};
  if (e.posix_name == "ENOMEM" || e.posix_name == "ENOBUFS" || e.posix_name == "ENOSPC") {
    return {"rom", "iPXE ran out of memory"};
  }
  if (concern == "driver") return {"rom", "the ROM's NIC driver failed"};
  if (e.file == "open" && e.posix_name == "ENOTSUP") {
    return {"configuration", "the URL's scheme is not built into this ROM"};
  }
  if (concern == "guestinfo")
    return {"configuration", "a guestinfo setting is missing or malformed"};
  if (concern == "image") return {"configuration", "the server sent something iPXE cannot boot"};
  if (concern == "server")
    return {"configuration", "the boot server refused or failed the request"};
  if (concern == "network") return {"configuration", "the network settings or path are wrong"};
  return {"configuration", "iPXE reported the error"};
}

Triage from_ipxe_error(const IpxeErrorMention& mention) {
  IpxeError e = decode_ipxe_error(mention.code);
  auto [category, why] = category_of(e);
  Triage t = result(category, "iPXE error " + e.hex() + ": " + e.message() + "; " + why);
  t.failure.ipxe_error = e.hex();
  t.failure.ipxe_message = e.message();
  return t;
}

std::optional<Triage> from_context(const FailureContext& c, const std::vector<std::string>& lines) {
  if (!c.harness_error.empty()) return result("infrastructure", "harness: " + c.harness_error);
  if (c.vm_stderr_tail.find("KVM internal error") != std::string::npos ||
      any_line(lines, "KVM internal error")) {
    return result("infrastructure", "the accelerator failed (KVM internal error); try --accel tcg");
  }
  if (c.vm_stderr_tail.find("is too large for ROM size") != std::string::npos) {
    return result("rom", "QEMU refused the ROM: larger than the NIC's ROM size (opromsize)");
  }
  if (c.vm_exited_early) {
    return result("infrastructure", "the VM process exited before the boot finished" +
                                        (c.vm_stderr_tail.empty() ? "" : ": " + c.vm_stderr_tail));
  }
  if (c.rom_size_bytes && c.opromsize_bytes && *c.rom_size_bytes > *c.opromsize_bytes) {
    return result("rom", "ROM is " + std::to_string(*c.rom_size_bytes) +
                             " bytes, larger than opromsize " + std::to_string(*c.opromsize_bytes));
  }
  if (c.rom_ids_match_nic && !*c.rom_ids_match_nic) {
    return result("rom", "the ROM's PCI ids do not match the NIC; the firmware skips it");
  }
  return std::nullopt;
}

std::optional<Triage> from_console(const std::vector<std::string>& lines) {
  if (any_line(lines, "Kernel panic")) {
    return result("configuration", "the OS started and panicked (payload or its command line)");
  }
  if (any_line(lines, "X64 Exception Type") || count_lines(lines, "SeaBIOS (version") > 1) {
    return result("rom", "the VM crashed or rebooted during the boot");
  }
  if (any_line(lines, "No configuration methods succeeded")) {
    return result("configuration", "no address: no DHCP answer and no usable guestinfo settings");
  }
  if (any_line(lines, "Nothing to boot") || any_line(lines, "No more network devices")) {
    return result("configuration", "iPXE found nothing to boot (no filename, no scriptlet)");
  }
  return std::nullopt;
}

}  // namespace

std::vector<IpxeErrorMention> find_ipxe_errors(const std::vector<std::string>& serial_lines) {
  static const std::regex kUrl("\\(\\s*(?:https?://)?ipxe\\.org/(?:err/)?([0-9a-fA-F]{8})\\s*\\)");
  std::vector<IpxeErrorMention> found;
  for (const std::string& line : console_lines(serial_lines)) {
    for (auto it = std::sregex_iterator(line.begin(), line.end(), kUrl);
         it != std::sregex_iterator(); ++it) {
      std::string before = line.substr(0, static_cast<size_t>(it->position()));
      found.push_back(
          {static_cast<uint32_t>(std::stoul((*it)[1], nullptr, 16)), printed_text(before), line});
    }
  }
  return found;
}

Triage triage(const std::vector<std::string>& serial_tail, const FailureContext& context) {
  std::vector<std::string> lines = console_lines(serial_tail);
  if (auto t = from_context(context, lines)) return *t;
  std::vector<IpxeErrorMention> errors = find_ipxe_errors(serial_tail);
  if (!errors.empty()) return from_ipxe_error(errors.back());
  if (auto t = from_console(lines)) return *t;
  auto blank = [](const std::string& l) { return l.find_first_not_of(" \t") == std::string::npos; };
  auto last = std::find_if_not(lines.rbegin(), lines.rend(), blank);
  if (last == lines.rend()) {
    return result("infrastructure",
                  "no serial output at all: the firmware did not start or the "
                  "serial console is not connected");
  }
  if (!any_line(lines, "iPXE")) {
    return result("rom", "iPXE never ran (not loaded: size, PCI ids or firmware type)");
  }
  return result("configuration", std::string("iPXE started but the boot went no further") +
                                     (context.timed_out ? " before the timeout" : "") +
                                     " (last line: '" + *last + "')");
}

FailureInfo classify(const std::vector<std::string>& serial_tail, const FailureContext& context) {
  return triage(serial_tail, context).failure;
}

}  // namespace rh

#include "harness/verdict/triage.h"

#include <algorithm>

#include "harness/field/ipxe_error.h"
#include "harness/field/ipxe_error_tables.h"

namespace rh {
namespace {

using Lines = std::vector<std::string>;

bool any_line(const Lines& lines, const std::string& needle) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

int count_lines(const Lines& lines, const std::string& needle) {
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
  const std::string concern = concern_of(e);
  if (e.file == "guestrpc") {
    return {"infrastructure", "the GuestRPC channel failed (hypervisor or emulator)"};
  }
  if (e.posix_name == "ENOMEM" || e.posix_name == "ENOBUFS" || e.posix_name == "ENOSPC") {
    return {"rom", "iPXE ran out of memory"};
  }
  if (concern == "driver") return {"rom", "the ROM's NIC driver failed"};
  if (e.file == "open" && e.posix_name == "ENOTSUP") {
    return {"configuration", "the URL's scheme is not built into this ROM"};
  }
  if (concern == "guestinfo") {
    return {"configuration", "a guestinfo setting is missing or malformed"};
  }
  if (concern == "image") return {"configuration", "the server sent something iPXE cannot boot"};
  if (concern == "server") {
    return {"configuration", "the boot server refused or failed the request"};
  }
  if (concern == "network") return {"configuration", "the network settings or path are wrong"};
  return {"configuration", "iPXE reported the error"};
}

Triage from_ipxe_error(const IpxeErrorMention& mention) {
  const IpxeError e = decode_ipxe_error(mention.code);
  auto [category, why] = category_of(e);
  Triage t = result(category, "iPXE error " + e.hex() + ": " + e.message() + "; " + why);
  t.failure.ipxe_error = e.hex();
  t.failure.ipxe_message = e.message();
  return t;
}

// What the VM's host said: it outranks what the console shows.
std::optional<Triage> from_events(const BootEvidence& e) {
  if (const VmEvent* lost = e.last_event(VmEvent::Kind::kHostLost)) {
    return result("infrastructure", "the VM's host stopped answering: " + lost->text);
  }
  if (const VmEvent* err = e.last_event(VmEvent::Kind::kEmulatorError)) {
    return result(err->name.empty() ? "infrastructure" : err->name, err->text);
  }
  return std::nullopt;
}

std::optional<Triage> from_context(const FailureContext& c, const BootEvidence& e) {
  if (!c.harness_error.empty()) return result("infrastructure", "harness: " + c.harness_error);
  if (auto t = from_events(e)) return t;
  if (e.console_flooded) return result("rom", *e.console_flooded);
  // A VM that went away without its guest asking (no shutdown event) was
  // killed or crashed on the host's side.
  const VmEvent* power = e.last_event(VmEvent::Kind::kPower);
  if (c.vm_exited_early && (power == nullptr || power->name != "shutdown")) {
    const std::string tail = e.stderr_tail(3);
    return result("infrastructure", "the VM process exited before the boot finished" +
                                        (tail.empty() ? "" : ": " + tail));
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

bool rebooted(const BootEvidence& e, const Lines& lines) {
  for (const auto& ev : e.events) {
    if (ev.kind == VmEvent::Kind::kPower &&
        (ev.name == "reset" || ev.name == "crashed" || ev.text == "guest-reset")) {
      return true;
    }
  }
  return any_line(lines, "X64 Exception Type") || count_lines(lines, "SeaBIOS (version") > 1;
}

std::optional<Triage> from_console(const BootEvidence& e, const Lines& lines) {
  if (any_line(lines, "Kernel panic")) {
    return result("configuration", "the OS started and panicked (payload or its command line)");
  }
  if (rebooted(e, lines)) return result("rom", "the VM crashed or rebooted during the boot");
  if (any_line(lines, "No configuration methods succeeded")) {
    return result("configuration", "no address: no DHCP answer and no usable guestinfo settings");
  }
  if (any_line(lines, "Nothing to boot") || any_line(lines, "No more network devices")) {
    return result("configuration", "iPXE found nothing to boot (no filename, no scriptlet)");
  }
  return std::nullopt;
}

Triage from_last_line(const Lines& lines, const FailureContext& c) {
  if (lines.empty()) {
    return result("infrastructure",
                  "no serial output at all: the firmware did not start or the serial console is "
                  "not connected");
  }
  if (!any_line(lines, "iPXE")) {
    return result("rom", "iPXE never ran (not loaded: size, PCI ids or firmware type)");
  }
  return result("configuration", std::string("iPXE started but the boot went no further") +
                                     (c.timed_out ? " before the timeout" : "") + " (last line: '" +
                                     lines.back() + "')");
}

}  // namespace

Triage triage(const BootEvidence& evidence, const FailureContext& context) {
  if (auto t = from_context(context, evidence)) return *t;
  const Lines lines = evidence.console_text();
  const std::vector<IpxeErrorMention> errors = find_ipxe_errors(lines);
  if (!errors.empty()) return from_ipxe_error(errors.back());
  if (auto t = from_console(evidence, lines)) return *t;
  return from_last_line(lines, context);
}

}  // namespace rh

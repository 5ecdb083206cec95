#include "harness/rom/inspect.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "harness/core/error.h"

namespace rh {
namespace {

using nlohmann::json;

constexpr int kExitOk = 0;
constexpr int kExitMalformed = 1;
constexpr int kExitUsage = 2;

std::string hex_digits(unsigned value, int width) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*x", width, value);
  return buf;
}

json efi_json(const std::optional<EfiRomHeader>& efi) {
  if (!efi) return nullptr;
  return {{"initialization_size", std::size_t{efi->initialization_size} * 512},
          {"subsystem", efi->subsystem},
          {"subsystem_name", efi_subsystem_name(efi->subsystem)},
          {"machine_type", "0x" + hex_digits(efi->machine_type, 4)},
          {"machine_name", efi_machine_name(efi->machine_type)},
          {"compression_type", efi->compression_type},
          {"compressed", efi->compression_type == 1},
          {"image_offset", efi->image_offset}};
}

json ipxe_json(const std::optional<IpxeRomHeader>& ipxe) {
  if (!ipxe) return nullptr;
  return {{"offset", ipxe->offset},
          {"shrunk_size", std::size_t{ipxe->shrunk_size} * 512},
          {"build_id", "0x" + hex_digits(ipxe->build_id, 8)}};
}

json image_json(const RomImage& image, std::size_t index) {
  json devices = json::array();
  for (auto id : image.device_list) devices.push_back(hex_digits(id, 4));
  return {{"index", index},
          {"offset", image.offset},
          {"length", image.length},
          {"size_byte", image.size_byte},
          {"vendor_id", hex_digits(image.vendor_id, 4)},
          {"device_id", hex_digits(image.device_id, 4)},
          {"id", image.id()},
          {"device_list", devices},
          {"class_code", hex_digits(image.class_code, 6)},
          {"code_type", image.code_type},
          {"code_type_name", code_type_name(image.code_type)},
          {"last", image.last},
          {"pcir_revision", image.pcir_revision},
          {"code_revision", image.code_revision},
          {"runtime_length", image.runtime_length},
          {"checksum_ok", image.checksum_ok ? json(*image.checksum_ok) : json(nullptr)},
          {"efi", efi_json(image.efi)},
          {"ipxe", ipxe_json(image.ipxe)},
          {"diagnostics", image.diagnostics}};
}

std::string efi_summary(const RomImage& image) {
  if (!image.efi) return "-";
  const EfiRomHeader& efi = *image.efi;
  return efi_machine_name(efi.machine_type) + " " + efi_subsystem_name(efi.subsystem) +
         (efi.compression_type == 1 ? ", compressed" : ", uncompressed");
}

std::string checksum_summary(const RomImage& image) {
  if (!image.checksum_ok) return "-";
  return *image.checksum_ok ? "ok" : "BAD";
}

std::string layout_summary(const OptionRom& rom) {
  if (rom.layout == RomLayout::kMrom) {
    return "mrom layout: the BIOS shadows " + std::to_string(rom.shadow_size) +
           " bytes; the payload image (" + std::to_string(rom.images[1].length) +
           " bytes) is read through the ROM BAR";
  }
  if (rom.first_x86() == nullptr) return "no legacy BIOS image";
  return "the BIOS shadows " + std::to_string(rom.shadow_size) + " bytes";
}

// One file: its JSON (or table) and exit status.
int inspect_one(const std::string& file, const InspectOptions& options, json& files,
                std::ostream& out, std::ostream& err) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    const std::string message = "cannot open ROM '" + file + "': no such file or not a file";
    err << "romharness inspect: " << message << "\n";
    files.push_back({{"file", file}, {"ok", false}, {"error", message}});
    return kExitUsage;
  }
  try {
    const OptionRom rom = read_option_rom(file);
    for (const auto& d : rom.diagnostics()) err << d << "\n";
    if (options.json)
      files.push_back(option_rom_json(rom));
    else
      print_option_rom(rom, out);
    return rom.ok() ? kExitOk : kExitMalformed;
  } catch (const InputError& e) {
    err << e.what() << "\n";
    files.push_back({{"file", file}, {"ok", false}, {"error", e.what()}});
    if (!options.json) out << file << ": MALFORMED: " << e.what() << "\n\n";
    return kExitMalformed;
  }
}

}  // namespace

json option_rom_json(const OptionRom& rom) {
  json images = json::array();
  for (std::size_t i = 0; i < rom.images.size(); ++i)
    images.push_back(image_json(rom.images[i], i));
  return {{"file", rom.name},
          {"ok", rom.ok()},
          {"error", nullptr},
          {"size", rom.file_size},
          {"layout", layout_name(rom.layout)},
          {"shadow_size", rom.shadow_size},
          {"diagnostics", rom.diagnostics()},
          {"images", images}};
}

void print_option_rom(const OptionRom& rom, std::ostream& out) {
  out << rom.name << ": " << rom.file_size << " bytes, " << rom.images.size() << " image"
      << (rom.images.size() == 1 ? "" : "s") << "; " << layout_summary(rom) << "\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-2s %-9s %-7s %-10s %-6s %-12s %-4s %-8s %s\n", "#",
                "offset", "length", "id", "class", "type", "last", "checksum", "efi");
  out << line;
  for (std::size_t i = 0; i < rom.images.size(); ++i) {
    const RomImage& image = rom.images[i];
    std::snprintf(line, sizeof line, "  %-2zu 0x%07zx %-7zu %-10s %-6s %-12s %-4s %-8s %s\n", i,
                  image.offset, image.length, image.id().c_str(),
                  hex_digits(image.class_code, 6).c_str(), code_type_name(image.code_type).c_str(),
                  image.last ? "yes" : "no", checksum_summary(image).c_str(),
                  efi_summary(image).c_str());
    out << line;
  }
  for (const auto& d : rom.diagnostics()) out << "  ! " << d << "\n";
  out << "\n";
}

int inspect_command(const InspectOptions& options, std::ostream& out, std::ostream& err) {
  json files = json::array();
  int status = kExitOk;
  for (const auto& file : options.files) {
    status = std::max(status, inspect_one(file, options, files, out, err));
  }
  if (options.json) {
    out << json{{"schema_version", kInspectJsonSchemaVersion}, {"files", files}}.dump(2) << "\n";
  }
  return status;
}

}  // namespace rh

// PCI expansion ROM images as iPXE builds them and BIOS/UEFI firmware loads
// them: the 0x55AA header, the PCIR structure, chained images (a legacy x86
// image followed by an EFI one in QEMU's efi-*.rom), the EFI ROM header, iPXE's
// own header, and the .mrom layout, whose payload is not shadowed by the BIOS
// but read from the ROM BAR at run time.
//
//   OptionRom rom = read_option_rom("bin/15ad07b0.rom");   // InputError if malformed
//   rom.images[0].vendor_id;        // 0x15ad
//   rom.shadow_size;                // bytes the BIOS copies below 1 MiB
//   for (auto& d : rom.diagnostics()) ...   // bad checksum, size disagreements
//
// Structural faults (truncated header, bad signature, PCIR out of range, an
// image running past the end of the file) throw rh::InputError naming the file,
// the image, the offset and the values. Faults that leave the layout readable
// (checksum, size byte vs PCIR length, trailing bytes) are diagnostics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rh {

enum class RomCodeType : std::uint8_t {
  kX86Bios = 0,
  kOpenFirmware = 1,
  kHpPaRisc = 2,
  kEfi = 3,
  kNone = 0xff
};

// The EFI ROM header that follows 0x55AA when the PCIR code type is 3.
struct EfiRomHeader {
  std::uint16_t initialization_size = 0;  // 512-byte units
  std::uint16_t subsystem = 0;            // 10 application, 11 boot driver, 12 runtime driver
  std::uint16_t machine_type = 0;         // 0x8664 x86_64, 0x14c IA32, 0xaa64 AArch64
  std::uint16_t compression_type = 0;     // 0 none, 1 EFI compression
  std::uint16_t image_offset = 0;         // PE image, from the start of the ROM image
};

// iPXE's "iPXE" header (pointer at 0x10 of its ROM header).
struct IpxeRomHeader {
  std::size_t offset = 0;        // within the image
  std::uint8_t shrunk_size = 0;  // 512-byte units after initialisation (0: not shrunk)
  std::uint32_t build_id = 0;
};

struct RomImage {
  std::size_t offset = 0;       // in the file
  std::uint8_t size_byte = 0;   // header byte 2 (512-byte units), legacy images
  std::size_t pcir_offset = 0;  // within the image
  std::uint16_t vendor_id = 0;
  std::uint16_t device_id = 0;
  std::vector<std::uint16_t> device_list;  // PCI 3.0 extra device ids
  std::uint32_t class_code = 0;            // base << 16 | subclass << 8 | prog-if
  std::uint8_t pcir_revision = 0;
  std::size_t length = 0;  // PCIR image length in bytes
  std::uint16_t code_revision = 0;
  std::uint8_t code_type = 0;
  bool last = false;
  std::size_t runtime_length = 0;   // PCI 3.0 maximum run-time length in bytes
  std::optional<bool> checksum_ok;  // x86 images: all size_byte*512 bytes sum to 0
  std::optional<EfiRomHeader> efi;
  std::optional<IpxeRomHeader> ipxe;
  std::vector<std::string> diagnostics;  // complete messages naming the image

  std::string id() const;  // "15ad:07b0"
};

enum class RomLayout { kPlain, kMrom };

struct OptionRom {
  std::string name;  // file name as given, for messages
  std::size_t file_size = 0;
  std::vector<RomImage> images;
  RomLayout layout = RomLayout::kPlain;
  // Bytes a legacy BIOS copies into option ROM space (C0000-EFFFF): the size
  // byte of the first x86 image. For .mrom only the prefix, not the payload.
  std::size_t shadow_size = 0;
  std::vector<std::string> file_diagnostics;  // trailing bytes, missing last flag

  const RomImage* first_x86() const;
  const RomImage* first_efi() const;
  std::vector<std::string> diagnostics() const;  // file's and every image's
  bool ok() const { return diagnostics().empty(); }
};

// Parses an image held in memory; `name` is used in messages.
OptionRom parse_option_rom(std::span<const std::uint8_t> data, const std::string& name);
// Reads and parses a file; InputError if it cannot be read.
OptionRom read_option_rom(const std::filesystem::path& path);

std::string code_type_name(std::uint8_t code_type);   // "x86 BIOS", "EFI", "none (0xff)"
std::string efi_machine_name(std::uint16_t machine);  // "x86_64", "IA32", "0x1234"
std::string efi_subsystem_name(std::uint16_t subsystem);
std::string layout_name(RomLayout layout);  // "plain", "mrom"

}  // namespace rh

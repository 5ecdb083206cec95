#include "harness/rom/option_rom.h"

#include <cstdio>
#include <fstream>
#include <iterator>

#include "harness/core/error.h"

namespace rh {
namespace {

constexpr std::size_t kBlock = 512;
constexpr std::size_t kRomHeaderSize = 0x1a;  // through the PCIR pointer at 0x18
constexpr std::size_t kPcirMinSize = 0x18;
constexpr std::size_t kIpxeHeaderSize = 12;
constexpr std::size_t kMaxDeviceList = 64;
constexpr std::uint32_t kEfiSignature = 0x0ef1;

std::string hex(std::size_t value, int width = 0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%0*zx", width, value);
  return buf;
}

std::string hex4(std::uint16_t value) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04x", value);
  return buf;
}

// Four bytes as text when printable ("PCIR"), else as hex bytes.
std::string quote_magic(std::span<const std::uint8_t> bytes) {
  std::string text;
  for (std::uint8_t b : bytes) {
    if (b < 0x20 || b > 0x7e) {
      std::string out;
      for (std::uint8_t c : bytes) out += (out.empty() ? "" : " ") + hex(c, 2);
      return out;
    }
    text += static_cast<char>(b);
  }
  return "'" + text + "'";
}

// Bounds-checked little-endian reads from one image's bytes.
class ImageBytes {
 public:
  ImageBytes(std::span<const std::uint8_t> file, std::size_t offset)
      : bytes_(file.subspan(offset)) {}
  std::size_t size() const { return bytes_.size(); }
  bool has(std::size_t pos, std::size_t count) const {
    return pos <= bytes_.size() && count <= bytes_.size() - pos;
  }
  std::uint8_t u8(std::size_t pos) const { return bytes_[pos]; }
  std::uint16_t u16(std::size_t pos) const { return bytes_[pos] | (bytes_[pos + 1] << 8); }
  std::uint32_t u32(std::size_t pos) const {
    return static_cast<std::uint32_t>(u16(pos)) | (static_cast<std::uint32_t>(u16(pos + 2)) << 16);
  }
  std::span<const std::uint8_t> span(std::size_t pos, std::size_t count) const {
    return bytes_.subspan(pos, count);
  }

 private:
  std::span<const std::uint8_t> bytes_;
};

class ImageParser {
 public:
  ImageParser(std::span<const std::uint8_t> file, std::size_t offset, int index,
              const std::string& name)
      : file_size_(file.size()), bytes_(file, offset), index_(index), name_(name) {
    image_.offset = offset;
  }

  RomImage parse() {
    check_header();
    parse_pcir();
    check_length();
    parse_device_list();
    if (image_.code_type == static_cast<std::uint8_t>(RomCodeType::kEfi)) parse_efi();
    if (image_.code_type == static_cast<std::uint8_t>(RomCodeType::kX86Bios)) parse_legacy();
    return image_;
  }

 private:
  std::string where() const {
    return "ROM '" + name_ + "': image " + std::to_string(index_) + " at offset " +
           hex(image_.offset);
  }
  [[noreturn]] void fail(const std::string& what) const { throw InputError(where() + ": " + what); }
  void note(const std::string& what) { image_.diagnostics.push_back(where() + ": " + what); }

  void check_header() {
    if (!bytes_.has(0, kRomHeaderSize)) {
      fail("truncated: " + std::to_string(bytes_.size()) + " bytes left, a ROM header needs " +
           std::to_string(kRomHeaderSize));
    }
    if (bytes_.u16(0) != 0xaa55) {
      fail("bad signature " + hex(bytes_.u16(0), 4) + " (expected 0xaa55)");
    }
  }

  void parse_pcir() {
    const std::size_t pcir = bytes_.u16(0x18);
    if (pcir < kRomHeaderSize || !bytes_.has(pcir, kPcirMinSize)) {
      fail("PCIR pointer " + hex(pcir, 4) + " is out of range (a " + std::to_string(kPcirMinSize) +
           "-byte PCIR structure must lie between " + hex(kRomHeaderSize) +
           " and the end of the file at " + hex(bytes_.size()) + ")");
    }
    const auto magic = bytes_.span(pcir, 4);
    if (std::string(magic.begin(), magic.end()) != "PCIR") {
      fail("PCIR structure at " + hex(pcir, 4) + " has signature " + quote_magic(magic) +
           " (expected 'PCIR')");
    }
    image_.pcir_offset = pcir;
    image_.vendor_id = bytes_.u16(pcir + 4);
    image_.device_id = bytes_.u16(pcir + 6);
    image_.pcir_revision = bytes_.u8(pcir + 0xc);
    image_.class_code =
        bytes_.u8(pcir + 0xd) | (bytes_.u8(pcir + 0xe) << 8) | (bytes_.u8(pcir + 0xf) << 16);
    image_.length = std::size_t{bytes_.u16(pcir + 0x10)} * kBlock;
    image_.code_revision = bytes_.u16(pcir + 0x12);
    image_.code_type = bytes_.u8(pcir + 0x14);
    image_.last = (bytes_.u8(pcir + 0x15) & 0x80) != 0;
    image_.runtime_length = std::size_t{bytes_.u16(pcir + 0x16)} * kBlock;
  }

  void check_length() {
    const std::size_t blocks = image_.length / kBlock;
    if (blocks == 0) fail("PCIR image length is 0 (an image must be at least 512 bytes)");
    if (image_.length > bytes_.size()) {
      fail("PCIR image length " + std::to_string(blocks) +
           " x 512 = " + std::to_string(image_.length) + " bytes runs past the end of the file (" +
           std::to_string(bytes_.size()) + " bytes left of " + std::to_string(file_size_) + ")");
    }
  }

  void parse_device_list() {
    const std::size_t pointer = bytes_.u16(image_.pcir_offset + 8);
    if (pointer == 0 || image_.pcir_revision < 3) return;
    std::size_t pos = image_.pcir_offset + pointer;
    for (std::size_t n = 0;; ++n, pos += 2) {
      if (n == kMaxDeviceList || pos + 2 > image_.length) {
        note("PCIR device list at " + hex(image_.pcir_offset + pointer, 4) +
             " has no terminating 0x0000 within the image");
        return;
      }
      const std::uint16_t id = bytes_.u16(pos);
      if (id == 0) return;
      image_.device_list.push_back(id);
    }
  }

  void parse_efi() {
    const std::uint32_t signature = bytes_.u32(4);
    if (signature != kEfiSignature) {
      note("code type is EFI but the EFI signature at offset 0x4 is " + hex(signature, 8) +
           " (expected 0x00000ef1)");
      return;
    }
    EfiRomHeader efi{.initialization_size = bytes_.u16(2),
                     .subsystem = bytes_.u16(8),
                     .machine_type = bytes_.u16(0xa),
                     .compression_type = bytes_.u16(0xc),
                     .image_offset = bytes_.u16(0x16)};
    if (std::size_t{efi.initialization_size} * kBlock > image_.length) {
      note("EFI initialization size " + std::to_string(efi.initialization_size) +
           " x 512 = " + std::to_string(efi.initialization_size * kBlock) +
           " bytes exceeds the PCIR image length " + std::to_string(image_.length));
    }
    if (efi.image_offset >= image_.length) {
      note("EFI image offset " + hex(efi.image_offset, 4) + " lies outside the image (" +
           std::to_string(image_.length) + " bytes)");
    }
    image_.efi = efi;
  }

  void parse_legacy() {
    image_.size_byte = bytes_.u8(2);
    const std::size_t declared = std::size_t{image_.size_byte} * kBlock;
    if (declared != image_.length) {
      note("size byte " + hex(image_.size_byte, 2) + " (" + std::to_string(declared) +
           " bytes) disagrees with PCIR image length " + std::to_string(image_.length / kBlock) +
           " (" + std::to_string(image_.length) + " bytes)");
    }
    if (declared == 0 || !bytes_.has(0, declared)) {
      note("size byte " + hex(image_.size_byte, 2) + " (" + std::to_string(declared) +
           " bytes) does not fit the " + std::to_string(bytes_.size()) +
           " bytes left in the file; checksum not checked");
    } else {
      check_sum(declared);
    }
    parse_ipxe_header();
  }

  void check_sum(std::size_t declared) {
    unsigned sum = 0;
    for (std::uint8_t b : bytes_.span(0, declared)) sum += b;
    image_.checksum_ok = (sum & 0xff) == 0;
    if (!*image_.checksum_ok) {
      note("checksum: the " + std::to_string(declared) + " bytes sum to " + hex(sum & 0xff, 2) +
           " mod 256 (expected 0x00)");
    }
  }

  void parse_ipxe_header() {
    const std::size_t pos = bytes_.u16(0x10);
    if (pos == 0 || !bytes_.has(pos, kIpxeHeaderSize)) return;
    const auto magic = bytes_.span(pos, 4);
    if (std::string(magic.begin(), magic.end()) != "iPXE") return;
    image_.ipxe = IpxeRomHeader{
        .offset = pos, .shrunk_size = bytes_.u8(pos + 6), .build_id = bytes_.u32(pos + 8)};
  }

  std::size_t file_size_;
  ImageBytes bytes_;
  int index_;
  const std::string& name_;
  RomImage image_;
};

bool is_x86(const RomImage& image) {
  return image.code_type == static_cast<std::uint8_t>(RomCodeType::kX86Bios);
}

// .mrom (iPXE mromprefix.S): a small x86 image marked "more images follow"
// (the prefix the BIOS shadows), then an image of code type 0xff holding the
// payload, which the prefix reads through the ROM BAR at run time.
void detect_mrom(OptionRom& rom) {
  if (rom.images.size() < 2 || !is_x86(rom.images[0]) || rom.images[0].last) return;
  if (rom.images[1].code_type == static_cast<std::uint8_t>(RomCodeType::kNone)) {
    rom.layout = RomLayout::kMrom;
  }
}

void check_file_end(OptionRom& rom, std::size_t end) {
  const RomImage& last = rom.images.back();
  if (!last.last) {
    rom.file_diagnostics.push_back(
        "ROM '" + rom.name + "': image " + std::to_string(rom.images.size() - 1) + " at offset " +
        hex(last.offset) + " is not marked as the last image but the file ends after it");
  }
  if (end < rom.file_size) {
    rom.file_diagnostics.push_back("ROM '" + rom.name + "': file is " +
                                   std::to_string(rom.file_size) +
                                   " bytes but its images declare " + std::to_string(end) + " (" +
                                   std::to_string(rom.file_size - end) + " trailing bytes)");
  }
}

}  // namespace

std::string RomImage::id() const { return hex4(vendor_id) + ":" + hex4(device_id); }

const RomImage* OptionRom::first_x86() const {
  for (const auto& image : images) {
    if (is_x86(image)) return &image;
  }
  return nullptr;
}

const RomImage* OptionRom::first_efi() const {
  for (const auto& image : images) {
    if (image.code_type == static_cast<std::uint8_t>(RomCodeType::kEfi)) return &image;
  }
  return nullptr;
}

std::vector<std::string> OptionRom::diagnostics() const {
  std::vector<std::string> all;
  for (const auto& image : images)
    all.insert(all.end(), image.diagnostics.begin(), image.diagnostics.end());
  all.insert(all.end(), file_diagnostics.begin(), file_diagnostics.end());
  return all;
}

OptionRom parse_option_rom(std::span<const std::uint8_t> data, const std::string& name) {
  OptionRom rom;
  rom.name = name;
  rom.file_size = data.size();
  if (data.empty()) throw InputError("ROM '" + name + "': file is empty");
  // Each image is at least 512 bytes and must end inside the file, so the
  // walk always moves forward and ends; chained images cannot loop.
  std::size_t offset = 0;
  for (int index = 0;; ++index) {
    rom.images.push_back(ImageParser(data, offset, index, name).parse());
    offset += rom.images.back().length;
    if (rom.images.back().last || offset >= data.size()) break;
  }
  detect_mrom(rom);
  check_file_end(rom, offset);
  if (const RomImage* x86 = rom.first_x86()) rom.shadow_size = std::size_t{x86->size_byte} * kBlock;
  return rom;
}

OptionRom read_option_rom(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError("cannot open ROM '" + path.string() + "': no such file or not readable");
  const std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)),
                                       std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError("cannot read ROM '" + path.string() + "'");
  return parse_option_rom(data, path.string());
}

std::string code_type_name(std::uint8_t code_type) {
  switch (code_type) {
    case 0:
      return "x86 BIOS";
    case 1:
      return "Open Firmware";
    case 2:
      return "HP PA-RISC";
    case 3:
      return "EFI";
    case 0xff:
      return "none (0xff)";
    default:
      return "unknown (" + hex(code_type, 2) + ")";
  }
}

std::string efi_machine_name(std::uint16_t machine) {
  switch (machine) {
    case 0x8664:
      return "x86_64";
    case 0x014c:
      return "IA32";
    case 0xaa64:
      return "AArch64";
    case 0x01c2:
      return "ARM";
    case 0x5064:
      return "RISC-V64";
    case 0x6264:
      return "LoongArch64";
    default:
      return hex(machine, 4);
  }
}

std::string efi_subsystem_name(std::uint16_t subsystem) {
  switch (subsystem) {
    case 10:
      return "application";
    case 11:
      return "boot service driver";
    case 12:
      return "runtime driver";
    default:
      return std::to_string(subsystem);
  }
}

std::string layout_name(RomLayout layout) { return layout == RomLayout::kMrom ? "mrom" : "plain"; }

}  // namespace rh

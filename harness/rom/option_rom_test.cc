#include "harness/rom/option_rom.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/core/error.h"
#include "harness/rom/rom_test_util.h"

namespace rh {
namespace {

using testing::Bytes;
using testing::debian_rom;
using ::testing::ElementsAre;
using testing::make_image;
using testing::put16;
using testing::read_bytes;

std::string parse_error(const Bytes& bytes, const std::string& name = "x.rom") {
  try {
    parse_option_rom(bytes, name);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

Bytes vmxnet3_bytes() {
  Bytes bytes = read_bytes(debian_rom("pxe-vmxnet3.rom"));
  if (bytes.size() != 74240) ADD_FAILURE() << "pxe-vmxnet3.rom is not the expected 74240 bytes";
  return bytes;
}

struct DebianPxeRom {
  std::string file;
  std::uint16_t vendor;
  std::uint16_t device;
  std::size_t size;
};

class DebianPxeRomTest : public ::testing::TestWithParam<DebianPxeRom> {};

TEST_P(DebianPxeRomTest, ParsesSingleLegacyImage) {
  const auto& p = GetParam();
  const OptionRom rom = read_option_rom(debian_rom(p.file));
  ASSERT_EQ(rom.images.size(), 1u);
  const RomImage& image = rom.images[0];
  EXPECT_EQ(image.vendor_id, p.vendor);
  EXPECT_EQ(image.device_id, p.device);
  EXPECT_EQ(image.code_type, 0);
  EXPECT_EQ(image.class_code, 0x020000u);
  EXPECT_TRUE(image.last);
  EXPECT_EQ(image.length, p.size);
  EXPECT_EQ(std::size_t{image.size_byte} * 512, p.size);
  EXPECT_EQ(image.checksum_ok, true);
  ASSERT_TRUE(image.ipxe.has_value());
  EXPECT_EQ(rom.file_size, p.size);
  EXPECT_EQ(rom.shadow_size, p.size);
  EXPECT_EQ(rom.layout, RomLayout::kPlain);
  EXPECT_TRUE(rom.ok()) << ::testing::PrintToString(rom.diagnostics());
}

INSTANTIATE_TEST_SUITE_P(Debian, DebianPxeRomTest,
                         ::testing::Values(DebianPxeRom{"pxe-vmxnet3.rom", 0x15ad, 0x07b0, 74240},
                                           DebianPxeRom{"pxe-e1000.rom", 0x8086, 0x100e, 75264},
                                           DebianPxeRom{"pxe-e1000e.rom", 0x8086, 0x10d3, 75264}),
                         [](const auto& test_info) {
                           return test_info.param.file.substr(4, test_info.param.file.size() - 8);
                         });

TEST(OptionRomTest, DebianEfiRomHasLegacyThenEfiImage) {
  const OptionRom rom = read_option_rom(debian_rom("efi-e1000e.rom"));
  ASSERT_EQ(rom.images.size(), 2u);
  EXPECT_EQ(rom.file_size, 249856u);
  EXPECT_EQ(rom.images[0].code_type, 0);
  EXPECT_FALSE(rom.images[0].last);
  EXPECT_EQ(rom.images[0].id(), "8086:10d3");
  const RomImage& efi = rom.images[1];
  EXPECT_EQ(efi.offset, 75264u);
  EXPECT_EQ(efi.code_type, 3);
  EXPECT_TRUE(efi.last);
  EXPECT_EQ(efi.id(), "8086:10d3");
  ASSERT_TRUE(efi.efi.has_value());
  EXPECT_EQ(efi.efi->machine_type, 0x8664);
  EXPECT_EQ(efi.efi->subsystem, 11);
  EXPECT_EQ(efi.efi->compression_type, 0);
  EXPECT_EQ(efi.length + efi.offset, rom.file_size);
  EXPECT_FALSE(efi.checksum_ok.has_value());
  EXPECT_EQ(rom.shadow_size, 75264u);
  EXPECT_EQ(rom.first_efi(), &rom.images[1]);
  EXPECT_TRUE(rom.ok());
}

TEST(OptionRomTest, EmptyFile) { EXPECT_EQ(parse_error({}), "ROM 'x.rom': file is empty"); }

TEST(OptionRomTest, TruncatedHeader) {
  Bytes bytes = vmxnet3_bytes();
  bytes.resize(16);
  EXPECT_EQ(parse_error(bytes),
            "ROM 'x.rom': image 0 at offset 0x0: truncated: 16 bytes left, a ROM header needs 26");
}

TEST(OptionRomTest, BadSignature) {
  Bytes bytes = vmxnet3_bytes();
  bytes[1] = 0xab;
  EXPECT_EQ(parse_error(bytes),
            "ROM 'x.rom': image 0 at offset 0x0: bad signature 0xab55 (expected 0xaa55)");
}

TEST(OptionRomTest, PcirPointerOutOfRange) {
  Bytes bytes = vmxnet3_bytes();
  bytes.resize(1024);
  put16(bytes, 0x18, 0x03f0);
  EXPECT_EQ(parse_error(bytes),
            "ROM 'x.rom': image 0 at offset 0x0: PCIR pointer 0x03f0 is out of range (a 24-byte "
            "PCIR structure must lie between 0x1a and the end of the file at 0x400)");
}

TEST(OptionRomTest, BadPcirSignature) {
  Bytes bytes = vmxnet3_bytes();
  bytes[0x1c + 3] = 'X';
  EXPECT_EQ(parse_error(bytes),
            "ROM 'x.rom': image 0 at offset 0x0: PCIR structure at 0x001c has signature 'PCIX' "
            "(expected 'PCIR')");
  bytes[0x1c] = 0;
  EXPECT_EQ(parse_error(bytes),
            "ROM 'x.rom': image 0 at offset 0x0: PCIR structure at 0x001c has signature "
            "0x00 0x43 0x49 0x58 (expected 'PCIR')");
}

TEST(OptionRomTest, TruncatedImage) {
  Bytes bytes = vmxnet3_bytes();
  bytes.resize(70000);
  EXPECT_EQ(parse_error(bytes),
            "ROM 'x.rom': image 0 at offset 0x0: PCIR image length 145 x 512 = 74240 bytes runs "
            "past the end of the file (70000 bytes left of 70000)");
}

TEST(OptionRomTest, ZeroImageLength) {
  Bytes bytes = vmxnet3_bytes();
  put16(bytes, 0x1c + 0x10, 0);
  EXPECT_EQ(parse_error(bytes),
            "ROM 'x.rom': image 0 at offset 0x0: PCIR image length is 0 (an image must be at "
            "least 512 bytes)");
}

TEST(OptionRomTest, BadChecksumIsADiagnostic) {
  Bytes bytes = vmxnet3_bytes();
  bytes[0x1000] ^= 0x01;
  const OptionRom rom = parse_option_rom(bytes, "x.rom");
  EXPECT_EQ(rom.images[0].checksum_ok, false);
  EXPECT_THAT(rom.diagnostics(),
              ElementsAre("ROM 'x.rom': image 0 at offset 0x0: checksum: the 74240 bytes sum to "
                          "0x01 mod 256 (expected 0x00)"));
  EXPECT_FALSE(rom.ok());
}

TEST(OptionRomTest, SizeByteDisagreeingWithPcirAndFile) {
  Bytes bytes = vmxnet3_bytes();
  bytes[2] = 0x92;
  const OptionRom rom = parse_option_rom(bytes, "x.rom");
  EXPECT_THAT(rom.diagnostics(),
              ElementsAre("ROM 'x.rom': image 0 at offset 0x0: size byte 0x92 (74752 bytes) "
                          "disagrees with PCIR image length 145 (74240 bytes)",
                          "ROM 'x.rom': image 0 at offset 0x0: size byte 0x92 (74752 bytes) does "
                          "not fit the 74240 bytes left in the file; checksum not checked"));
}

TEST(OptionRomTest, TrailingBytes) {
  Bytes bytes = vmxnet3_bytes();
  bytes.resize(bytes.size() + 100, 0xff);
  const OptionRom rom = parse_option_rom(bytes, "x.rom");
  EXPECT_THAT(rom.diagnostics(), ElementsAre("ROM 'x.rom': file is 74340 bytes but its images "
                                             "declare 74240 (100 trailing bytes)"));
}

TEST(OptionRomTest, MissingLastImageFlag) {
  Bytes bytes = vmxnet3_bytes();
  bytes[0x1c + 0x15] = 0;
  testing::fix_checksum(bytes, 0, bytes.size());
  const OptionRom rom = parse_option_rom(bytes, "x.rom");
  EXPECT_THAT(rom.diagnostics(),
              ElementsAre("ROM 'x.rom': image 0 at offset 0x0 is not marked as the last image but "
                          "the file ends after it"));
}

TEST(OptionRomTest, BadChainedImageNamesItsOffset) {
  Bytes bytes = read_bytes(debian_rom("efi-vmxnet3.rom"));
  ASSERT_EQ(bytes.size(), 243712u);
  bytes[0x12200] = 0;
  EXPECT_EQ(parse_error(bytes),
            "ROM 'x.rom': image 1 at offset 0x12200: bad signature 0xaa00 (expected 0xaa55)");
}

TEST(OptionRomTest, BadEfiSignatureIsADiagnostic) {
  Bytes bytes = read_bytes(debian_rom("efi-vmxnet3.rom"));
  bytes[0x12200 + 4] = 0xf2;
  const OptionRom rom = parse_option_rom(bytes, "x.rom");
  EXPECT_FALSE(rom.images[1].efi.has_value());
  EXPECT_THAT(rom.diagnostics(),
              ElementsAre("ROM 'x.rom': image 1 at offset 0x12200: code type is EFI but the EFI "
                          "signature at offset 0x4 is 0x00000ef2 (expected 0x00000ef1)"));
}

TEST(OptionRomTest, LongChainEndsAtEndOfFile) {
  // 1000 one-block images, none marked last: the walk ends with the file.
  Bytes bytes;
  for (int i = 0; i < 1000; ++i)
    bytes = testing::concat(bytes, make_image({.blocks = 1, .last = false}));
  const OptionRom rom = parse_option_rom(bytes, "x.rom");
  EXPECT_EQ(rom.images.size(), 1000u);
  EXPECT_EQ(rom.diagnostics().size(), 1u);
}

TEST(OptionRomTest, RecognisesMromLayout) {
  const Bytes prefix = make_image({.blocks = 4, .last = false, .build_id = 0x1234abcd});
  const Bytes payload = make_image({.code_type = 0xff, .blocks = 150, .build_id = 0x1234abcd});
  const OptionRom rom = parse_option_rom(testing::concat(prefix, payload), "x.mrom");
  EXPECT_EQ(rom.layout, RomLayout::kMrom);
  EXPECT_EQ(rom.shadow_size, 2048u);
  EXPECT_EQ(rom.file_size, 154u * 512);
  EXPECT_TRUE(rom.ok()) << ::testing::PrintToString(rom.diagnostics());
}

TEST(OptionRomTest, UnreadableFile) {
  try {
    read_option_rom("/nonexistent/x.rom");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "cannot open ROM '/nonexistent/x.rom': no such file or not readable");
  }
}

}  // namespace
}  // namespace rh

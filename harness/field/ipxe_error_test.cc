#include "harness/field/ipxe_error.h"

#include <gtest/gtest.h>

#include <fstream>
#include <ostream>
#include <sstream>

#include "harness/console/console_decoder.h"

namespace rh {
namespace {

// Boot logs captured with testdata/capture.sh: Debian's prebuilt iPXE ROMs
// (ipxe-qemu 1.0.0+git-20190125) under QEMU TCG, failing on purpose.
// Decoded as the runner decodes a console (sercon's 80-column screen).
std::vector<std::string> log_lines(const std::string& name) {
  std::ifstream in(RH_SOURCE_DIR "/harness/field/testdata/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return console_lines(raw, 80);
}

std::vector<std::string> codes_in(const std::string& name) {
  std::vector<std::string> codes;
  for (const IpxeErrorMention& m : find_ipxe_errors(log_lines(name))) {
    codes.push_back(decode_ipxe_error(m.code).hex());
  }
  return codes;
}

TEST(DecodeIpxeError, Http404FromARealBiosBoot) {
  IpxeError e = decode_ipxe_error(0x2d0c613b);
  EXPECT_EQ(e.posix, 0x2d);
  EXPECT_EQ(e.posix_name, "ENOENT");
  EXPECT_EQ(e.posix_text, "No such file or directory");
  EXPECT_EQ(e.file_id, 0x000c6000u);
  EXPECT_EQ(e.file, "httpcore");
  EXPECT_EQ(e.file_area, "net");
  EXPECT_FALSE(e.arch_file);
  EXPECT_EQ(e.uniq, 1);
  EXPECT_EQ(e.platform, 0x3b);
  EXPECT_EQ(e.platform_name, "PXENV_STATUS_TFTP_FILE_NOT_FOUND");
  EXPECT_EQ(e.detail, "HTTP 404 Not Found");
  EXPECT_EQ(e.hex(), "0x2d0c613b");
  EXPECT_EQ(e.message(),
            "No such file or directory: HTTP 404 Not Found (ENOENT in httpcore, disambiguator 1, "
            "PXENV_STATUS_TFTP_FILE_NOT_FOUND)");
}

TEST(DecodeIpxeError, CodesSeenInRealLogs) {
  struct Case {
    uint32_t code;
    const char* message;
  } cases[] = {
      {0x410c613c,
       "Operation not permitted: HTTP 403 Forbidden (EPERM in httpcore, "
       "disambiguator 1, PXENV_STATUS_TFTP_ACCESS_VIOLATION)"},
      {0x020c613c,
       "Permission denied: HTTP 401 Unauthorized (EACCES in httpcore, disambiguator "
       "1, PXENV_STATUS_TFTP_ACCESS_VIOLATION)"},
      {0x1d0c6539,
       "Input/output error: HTTP 5xx server error (EIO in httpcore, disambiguator 5, "
       "PXENV_STATUS_TFTP_CANNOT_READ_FROM_CONNECTION)"},
      {0x1d0c6239,
       "Input/output error: body shorter than its Content-Length (transfer cut "
       "short) (EIO in httpcore, disambiguator 2, "
       "PXENV_STATUS_TFTP_CANNOT_READ_FROM_CONNECTION)"},
      {0x0f0a6039,
       "Connection reset (ECONNRESET in tcp, disambiguator 0, "
       "PXENV_STATUS_TFTP_CANNOT_READ_FROM_CONNECTION)"},
      {0x3c092003,
       "Operation not supported: no handler for the URI scheme (e.g. https:// on a "
       "ROM built without HTTPS) (ENOTSUP in open, disambiguator 0, "
       "PXENV_STATUS_UNSUPPORTED)"},
      {0x3e11613b,
       "No such device or address: DNS name does not exist (ENXIO in dns, "
       "disambiguator 1, PXENV_STATUS_TFTP_FILE_NOT_FOUND)"},
      {0x4c0a6035,
       "Connection timed out (ETIMEDOUT in tcp, disambiguator 0, "
       "PXENV_STATUS_TFTP_READ_TIMEOUT)"},
      {0x280a6011,
       "Network unreachable (ENETUNREACH in tcp, disambiguator 0, "
       "PXENV_STATUS_ARP_TIMEOUT)"},
      {0x0212603c,
       "Permission denied (EACCES in tftp, disambiguator 0, "
       "PXENV_STATUS_TFTP_ACCESS_VIOLATION)"},
      // The same failures from the EFI build: the platform byte is an EFI status.
      {0x2d0c618e,
       "No such file or directory: HTTP 404 Not Found (ENOENT in httpcore, "
       "disambiguator 1, EFI_NOT_FOUND)"},
      {0x4c0a6092, "Connection timed out (ETIMEDOUT in tcp, disambiguator 0, EFI_TIMEOUT)"},
      {0x3c092083,
       "Operation not supported: no handler for the URI scheme (e.g. https:// on a "
       "ROM built without HTTPS) (ENOTSUP in open, disambiguator 0, EFI_UNSUPPORTED)"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(decode_ipxe_error(c.code).message(), c.message) << std::hex << c.code;
  }
}

TEST(DecodeIpxeError, ArchitectureFilesAndUnknownParts) {
  IpxeError guestinfo = decode_ipxe_error(0x2d8a2001);  // ENOENT from x86 guestinfo.c
  EXPECT_TRUE(guestinfo.arch_file);
  EXPECT_EQ(guestinfo.file, "guestinfo");
  IpxeError rpc = decode_ipxe_error(0x43892301);  // EPROTO, guestrpc, disambiguator 3
  EXPECT_EQ(rpc.detail, "GuestRPC reply length failed");
  IpxeError unknown = decode_ipxe_error(0x7b7e6077);
  EXPECT_EQ(unknown.message(),
            "unknown error 123 (posix 123 in file id 0x7e6000 (net), disambiguator 0, "
            "PXENV status 0x77)");
}

TEST(ParseIpxeErrorCode, AcceptsTheFormsUsersPaste) {
  EXPECT_EQ(parse_ipxe_error_code("3c092003"), 0x3c092003u);
  EXPECT_EQ(parse_ipxe_error_code("0x3C092003"), 0x3c092003u);
  EXPECT_EQ(parse_ipxe_error_code("https://ipxe.org/3c092003"), 0x3c092003u);
  EXPECT_EQ(parse_ipxe_error_code("http://ipxe.org/err/3c092003"), 0x3c092003u);
  EXPECT_EQ(parse_ipxe_error_code("3c09200"), std::nullopt);
  EXPECT_EQ(parse_ipxe_error_code("https://example.org/3c092003"), std::nullopt);
}

const std::vector<std::string> kBiosCodes = {"0x2d0c613b", "0x410c613c", "0x020c613c", "0x1d0c6539",
                                             "0x1d0c6239", "0x0f0a6039", "0x0f0a6039", "0x3c092003",
                                             "0x3c092003", "0x3e11613b", "0x4c0a6035", "0x280a6011",
                                             "0x0212603c"};

TEST(FindIpxeErrors, RealBiosLogsWithSerconLineWraps) {
  EXPECT_EQ(codes_in("ipxe-debian-20190125-e1000-bios.log"), kBiosCodes);
  EXPECT_EQ(codes_in("ipxe-debian-20190125-vmxnet3-bios.log"), kBiosCodes);
}

TEST(FindIpxeErrors, RealEfiLog) {
  EXPECT_EQ(codes_in("ipxe-debian-20190125-e1000-efi.log"),
            (std::vector<std::string>{"0x2d0c618e", "0x410c618f", "0x020c618f", "0x1d0c6598",
                                      "0x1d0c6298", "0x0f0a6095", "0x0f0a6095", "0x3c092083",
                                      "0x3c092083", "0x3e11618e", "0x4c0a6092", "0x280a6090",
                                      "0x0212608f"}));
}

TEST(FindIpxeErrors, PrintedTextAndJoinedLine) {
  std::vector<IpxeErrorMention> m =
      find_ipxe_errors(log_lines("ipxe-debian-20190125-e1000-bios.log"));
  ASSERT_EQ(m.size(), kBiosCodes.size());
  EXPECT_EQ(m[0].printed, "No such file or directory");
  EXPECT_EQ(m[1].printed, "Operation not permitted");
  EXPECT_EQ(m[1].line,
            "http://10.0.2.2:18087/status/403... Operation not permitted (http://ipxe.org/"
            "410c613c)");
  EXPECT_EQ(m[7].printed, "Operation not supported");
  EXPECT_EQ(m[9].printed, "Error 0x3e11613b");
  EXPECT_EQ(m[10].printed, "Connection timed out");
}

TEST(FindIpxeErrors, NewerHttpsAndOlderErrUrls) {
  std::vector<IpxeErrorMention> m = find_ipxe_errors(
      {"Could not boot: No such file or directory (https://ipxe.org/2d0c613b)",
       clean_console_line(
           "\x1b[0;1mboot.ipxe... Exec format error (http://ipxe.org/err/2e008081)\x1b[0m\r")});
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].code, 0x2d0c613bu);
  EXPECT_EQ(m[0].printed, "No such file or directory");
  EXPECT_EQ(m[1].code, 0x2e008081u);
  EXPECT_EQ(m[1].printed, "Exec format error");
}

TEST(IpxeErrorCommand, PrintsThePartsOrRefuses) {
  std::ostringstream out, err;
  EXPECT_EQ(ipxe_error_command({"https://ipxe.org/3c092003"}, out, err), 0);
  EXPECT_EQ(out.str(),
            "0x3c092003: Operation not supported: no handler for the URI scheme (e.g. https:// on "
            "a ROM built without HTTPS) (ENOTSUP in open, disambiguator 0, "
            "PXENV_STATUS_UNSUPPORTED)\n"
            "  posix 0x3c ENOTSUP, file 0x092000 open (core), disambiguator 0, platform 0x03 "
            "PXENV_STATUS_UNSUPPORTED\n");
  std::ostringstream out2, err2;
  EXPECT_EQ(ipxe_error_command({"nope"}, out2, err2), 2);
  EXPECT_EQ(err2.str(), "romharness ipxe-error: 'nope' is not an iPXE error code (8 hex digits)\n");
}

}  // namespace
}  // namespace rh

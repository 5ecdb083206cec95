// Decoding iPXE error numbers and naming why a boot failed.
//
// iPXE prints a failure as "<text> (https://ipxe.org/<8 hex digits>)" (older
// builds: http://ipxe.org/<hex> or http://ipxe.org/err/<hex>). The number is
// built (iPXE src/include/errno.h) as
//   bits 30-24  POSIX-like error (iPXE's own numbering: 0x2d is ENOENT)
//   bits 23-13  file that raised it (ERRFILE_*, src/include/ipxe/errfile.h;
//               bit 23 marks architecture-specific files)
//   bits 12-8   disambiguator within that file (e.g. httpcore ENOENT 1 = 404)
//   bits  7-0   platform error: a PXENV_STATUS_* on BIOS, a compressed
//               EFI_STATUS (0x80 | EFI error number) on EFI
//
//   IpxeError e = decode_ipxe_error(0x2d0c613b);
//   e.posix_name == "ENOENT"; e.file == "httpcore"; e.uniq == 1;
//   e.message() == "No such file or directory: HTTP 404 Not Found (ENOENT in httpcore, "
//                  "disambiguator 1, PXENV_STATUS_TFTP_FILE_NOT_FOUND)"

#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/result.h"

namespace rh {

struct IpxeError {
  uint32_t code = 0;
  int posix = 0;              // bits 30-24
  std::string posix_name;     // "ENOENT"; "" when not in the table
  std::string posix_text;     // "No such file or directory"
  uint32_t file_id = 0;       // bits 23-13, in place (code & 0x00ffe000), as ERRFILE_* values
  std::string file;           // "httpcore"; "" when not in the table
  std::string file_area;      // core, driver, net, image, other (from bits 15-13)
  bool arch_file = false;     // bit 23: x86-specific file
  int uniq = 0;               // bits 12-8
  int platform = 0;           // bits 7-0
  std::string platform_name;  // "PXENV_STATUS_TFTP_FILE_NOT_FOUND" or "EFI_NOT_FOUND"
  std::string detail;         // what this file's disambiguator means, when known
  std::string message() const;
  std::string hex() const;  // "0x2d0c613b"
};

IpxeError decode_ipxe_error(uint32_t code);
// "2d0c613b", "0x2d0c613b", "https://ipxe.org/2d0c613b" -> code; nullopt otherwise.
std::optional<uint32_t> parse_ipxe_error_code(std::string_view text);

// `romharness ipxe-error CODE...` (each a code, 0xCODE or an ipxe.org URL;
// read by harness/cli/field_options.cc): prints each code's parts. Exit 0,
// or 2 when an argument is not a code.
int ipxe_error_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// An error iPXE printed, found in serial output.
struct IpxeErrorMention {
  uint32_t code = 0;
  std::string printed;  // iPXE's own text before the URL, e.g. "No such file or directory"
  std::string line;     // the (rejoined) console line
};

// Errors in console lines as the console decoder gives them (escapes gone,
// wrapped lines joined: harness/console/console_decoder.h), in order.
std::vector<IpxeErrorMention> find_ipxe_errors(const std::vector<std::string>& console_lines);

}  // namespace rh

// Lookup tables behind ipxe_error.h (see ipxe_error_tables.cc for sources).
#pragma once

#include <cstdint>
#include <span>

namespace rh::ipxe_tables {

struct PosixEntry {
  int number;
  const char* name;
  const char* text;
};
struct FileEntry {
  uint32_t id;          // ERRFILE_* value (bits 23-13 in place)
  const char* name;     // source file without .c
  const char* concern;  // network, server, guestinfo, driver, image, boot, core
};
struct PlatformEntry {
  int number;
  const char* name;
};
struct DetailEntry {
  const char* file;
  int posix;
  int uniq;
  const char* text;
};

std::span<const PosixEntry> posix_errors();
std::span<const FileEntry> files();
std::span<const PlatformEntry> pxenv_statuses();
std::span<const PlatformEntry> efi_statuses();  // by EFI error number (1 = EFI_LOAD_ERROR)
std::span<const DetailEntry> details();

}  // namespace rh::ipxe_tables

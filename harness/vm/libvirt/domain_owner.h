// Who started a libvirt domain (and the files staged for it), so that a
// later run can remove what a SIGKILLed run left behind, and only that. The
// owner is written twice: in the domain's <metadata> (run id, pid, host, the
// scenario) and in the names of the domain, its staged directory and its
// uploaded volumes, which outlive the domain.
//
//   DomainOwner me = DomainOwner::self("20261201-223000-4f2a");
//   std::string name = domain_name(me, 3, "smoke/dhcp-linux/e1000-bios");
//   // "romharness_ci-7_4123_98231_3_smoke.dhcp-linux.e1000-bios"
//   owner_from_name(name)->pid;                   // 4123
//   owner_state(*owner_from_name(name), me.host);  // kAlive while this process runs
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rh {

inline constexpr std::string_view kDomainPrefix = "romharness_";
inline constexpr const char* kMetadataUri = "urn:romharness:run:1";

struct DomainOwner {
  std::string host;              // this machine's name, [A-Za-z0-9-]
  long pid = 0;                  // the harness process
  unsigned long long start = 0;  // its start time (clock ticks since boot): pids are reused
  std::string run_id;            // metadata only
  std::string scenario;          // metadata only

  // The calling process.
  static DomainOwner self(std::string run_id, std::string scenario = "");
  // "ci-7_4123_98231": what names carry.
  std::string token() const;
};

// This machine's host name as owners carry it.
std::string owner_host_name();

// "romharness_<host>_<pid>_<start>_<seq>_<scenario slug>".
std::string domain_name(const DomainOwner& owner, int seq, std::string_view scenario);
// The owner a name carries (run id and scenario empty); nullopt for a name
// that is not ours. A staged file's name ("<domain>-rom") parses too.
std::optional<DomainOwner> owner_from_name(std::string_view name);

// The <metadata> element: <rh:run xmlns:rh='urn:romharness:run:1' .../>.
std::string owner_metadata(const DomainOwner& owner);
// Parses what virDomainGetMetadata returns for kMetadataUri; nullopt when it
// lacks host or pid.
std::optional<DomainOwner> owner_from_metadata(std::string_view xml);

enum class OwnerState {
  kAlive,      // the process runs on this machine
  kGone,       // it ran on this machine and has exited: its leftovers may go
  kElsewhere,  // another machine's: leave it alone
};
OwnerState owner_state(const DomainOwner& owner, std::string_view this_host);

}  // namespace rh

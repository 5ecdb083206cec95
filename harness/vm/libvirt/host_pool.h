// The libvirt hosts a run may boot on (`--hosts FILE`, or the one `--connect
// URI`), each with a number of slots. Scenarios go to the least-loaded
// healthy host; a host whose connection died is marked dead, so a scenario
// retried after kHostLost lands elsewhere. A dead host is asked again (the
// probe) only when no healthy host is left.
//
// Hosts file, one host a line, `#` starts a comment:
//   qemu:///system            slots=2
//   qemu+ssh://lab-3/system   slots=4 pool=romharness emulator=/opt/romharness/qemu-system-x86_64
//
//   HostPool pool(read_hosts_file("hosts.txt"));
//   std::optional<HostPool::Lease> lease = pool.acquire(probe);  // blocks while all are busy
//   lease->host().uri;
//   pool.mark_dead(lease->host().uri, "connection closed: keepalive timeout");
#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rh {

struct HostEntry {
  std::string uri;
  int slots = 1;
  std::string pool;                // storage pool files are uploaded into; empty: stage locally
  std::filesystem::path emulator;  // the patched QEMU on that host; empty: stage ours (local)
  std::filesystem::path ovmf;      // OVMF image on that host; empty: Debian's path
  std::string where;               // "hosts.txt:3" or "--connect", for messages
  bool local() const;              // QEMU runs on this machine
};

// True for a URI whose QEMU runs on this machine (no host part; unix transport).
bool is_local_uri(const std::string& uri);

// Throws InputError "<file>:<line>: ..." for a bad line.
std::vector<HostEntry> read_hosts_file(const std::filesystem::path& file);
std::vector<HostEntry> parse_hosts(const std::string& text, const std::string& file_name);

class HostPool {
 public:
  explicit HostPool(std::vector<HostEntry> hosts);

  // One slot on one host, given back when destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    const HostEntry& host() const;

   private:
    friend class HostPool;
    Lease(HostPool* pool, std::size_t index) : pool_(pool), index_(index) {}
    HostPool* pool_;
    std::size_t index_;
  };

  // Answers whether a dead host answers again (empty string) or why not.
  using Probe = std::function<std::string(const HostEntry&)>;
  // A slot on the least-loaded healthy host, waiting while all healthy hosts
  // are full. With no healthy host left, each dead host is probed once; when
  // none answers, nullopt and `why` lists every host's reason.
  std::optional<Lease> acquire(const Probe& probe, std::string* why = nullptr);
  void mark_dead(const std::string& uri, const std::string& reason);
  bool healthy(const std::string& uri) const;
  const std::vector<HostEntry>& hosts() const { return hosts_; }
  int in_flight(const std::string& uri) const;

 private:
  struct State {
    int in_flight = 0;
    std::string dead;  // why; empty: healthy
  };
  void release(std::size_t index);
  std::optional<std::size_t> least_loaded_locked() const;
  bool any_healthy_locked() const;
  std::size_t index_of(const std::string& uri) const;

  std::vector<HostEntry> hosts_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::vector<State> state_;
};

}  // namespace rh

#include "harness/vm/libvirt/host_pool.h"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "harness/core/error.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

constexpr int kMaxSlots = 1024;

int parse_slots(const std::string& value, const std::string& where) {
  int slots = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), slots);
  if (ec != std::errc() || end != value.data() + value.size() || slots < 1 || slots > kMaxSlots) {
    throw InputError(where + ": slots must be a number from 1 to " + std::to_string(kMaxSlots) +
                     ", got '" + value + "'");
  }
  return slots;
}

void set_key(HostEntry& h, const std::string& word) {
  const auto eq = word.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError(h.where + ": expected key=value after the URI, got '" + word + "'");
  }
  const std::string key = word.substr(0, eq);
  const std::string value = word.substr(eq + 1);
  if (value.empty()) throw InputError(h.where + ": '" + key + "' has an empty value");
  if (key == "slots") {
    h.slots = parse_slots(value, h.where);
  } else if (key == "pool") {
    h.pool = value;
  } else if (key == "emulator") {
    h.emulator = value;
  } else if (key == "ovmf") {
    h.ovmf = value;
  } else {
    throw InputError(h.where + ": unknown key '" + key + "' (known: slots, pool, emulator, ovmf)");
  }
}

void check_remote(const HostEntry& h) {
  if (h.local()) return;
  if (h.pool.empty() || h.emulator.empty()) {
    throw InputError(h.where + ": remote host '" + h.uri +
                     "' needs pool=NAME (a storage pool there that ROMs and fw_cfg files are "
                     "uploaded into) and emulator=PATH (romharness' patched QEMU on that host)");
  }
}

HostEntry parse_line(const std::string& line, const std::string& where) {
  std::istringstream words(line);
  HostEntry h;
  h.where = where;
  words >> h.uri;
  if (h.uri.find("://") == std::string::npos) {
    throw InputError(where + ": '" + h.uri + "' is not a libvirt URI (e.g. qemu:///system)");
  }
  std::string word;
  while (words >> word) set_key(h, word);
  check_remote(h);
  return h;
}

}  // namespace

bool is_local_uri(const std::string& uri) {
  const auto colon = uri.find("://");
  if (colon == std::string::npos) return false;
  const std::string scheme = uri.substr(0, colon);
  const auto plus = scheme.find('+');
  const std::string transport = plus == std::string::npos ? "" : scheme.substr(plus + 1);
  if (!transport.empty() && transport != "unix") return false;
  // qemu:///system: nothing between "//" and the path.
  return uri.compare(colon + 3, 1, "/") == 0;
}

bool HostEntry::local() const { return is_local_uri(uri); }

std::vector<HostEntry> parse_hosts(const std::string& text, const std::string& file_name) {
  std::vector<HostEntry> hosts;
  std::set<std::string> seen;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = line.substr(0, line.find('#'));
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    HostEntry h = parse_line(line, file_name + ":" + std::to_string(n));
    if (!seen.insert(h.uri).second) {
      throw InputError(h.where + ": host '" + h.uri + "' is listed twice");
    }
    hosts.push_back(std::move(h));
  }
  if (hosts.empty()) throw InputError(file_name + ": no hosts listed");
  return hosts;
}

std::vector<HostEntry> read_hosts_file(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError("--hosts: cannot read '" + file.string() + "'");
  std::stringstream text;
  text << in.rdbuf();
  return parse_hosts(text.str(), file.string());
}

HostPool::HostPool(std::vector<HostEntry> hosts)
    : hosts_(std::move(hosts)), state_(hosts_.size()) {}

HostPool::Lease::Lease(Lease&& other) noexcept : pool_(other.pool_), index_(other.index_) {
  other.pool_ = nullptr;
}

HostPool::Lease& HostPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    if (pool_ != nullptr) pool_->release(index_);
    pool_ = other.pool_;
    index_ = other.index_;
    other.pool_ = nullptr;
  }
  return *this;
}

HostPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->release(index_);
}

const HostEntry& HostPool::Lease::host() const { return pool_->hosts_[index_]; }

void HostPool::release(std::size_t index) {
  {
    std::lock_guard lock(mu_);
    --state_[index].in_flight;
  }
  freed_.notify_all();
}

bool HostPool::any_healthy_locked() const {
  for (const auto& s : state_) {
    if (s.dead.empty()) return true;
  }
  return false;
}

std::optional<std::size_t> HostPool::least_loaded_locked() const {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < hosts_.size(); ++i) {
    const State& s = state_[i];
    if (!s.dead.empty() || s.in_flight >= hosts_[i].slots) continue;
    // Compare in_flight/slots without division; ties keep the file's order.
    if (!best || static_cast<long long>(s.in_flight) * hosts_[*best].slots <
                     static_cast<long long>(state_[*best].in_flight) * hosts_[i].slots) {
      best = i;
    }
  }
  return best;
}

std::optional<HostPool::Lease> HostPool::acquire(const Probe& probe, std::string* why) {
  std::unique_lock lock(mu_);
  for (;;) {
    if (any_healthy_locked()) {
      freed_.wait(lock, [&] { return least_loaded_locked() || !any_healthy_locked(); });
      if (const auto i = least_loaded_locked()) {
        ++state_[*i].in_flight;
        return Lease(this, *i);
      }
      continue;
    }
    // Every host is dead: ask each once more, outside the lock.
    lock.unlock();
    std::vector<std::string> answers;
    answers.reserve(hosts_.size());
    for (const auto& h : hosts_) answers.push_back(probe(h));
    lock.lock();
    bool revived = false;
    std::string reasons;
    for (std::size_t i = 0; i < hosts_.size(); ++i) {
      if (answers[i].empty()) {
        state_[i].dead.clear();
        revived = true;
      } else {
        state_[i].dead = answers[i];
        reasons += (reasons.empty() ? "" : "; ") + hosts_[i].uri + ": " + answers[i];
      }
    }
    if (!revived) {
      if (why != nullptr) *why = reasons;
      return std::nullopt;
    }
  }
}

std::size_t HostPool::index_of(const std::string& uri) const {
  for (std::size_t i = 0; i < hosts_.size(); ++i) {
    if (hosts_[i].uri == uri) return i;
  }
  throw std::logic_error("HostPool: unknown host '" + uri + "'");
}

void HostPool::mark_dead(const std::string& uri, const std::string& reason) {
  {
    std::lock_guard lock(mu_);
    state_[index_of(uri)].dead = reason.empty() ? "lost" : reason;
  }
  freed_.notify_all();
}

bool HostPool::healthy(const std::string& uri) const {
  std::lock_guard lock(mu_);
  return state_[index_of(uri)].dead.empty();
}

int HostPool::in_flight(const std::string& uri) const {
  std::lock_guard lock(mu_);
  return state_[index_of(uri)].in_flight;
}

}  // namespace rh

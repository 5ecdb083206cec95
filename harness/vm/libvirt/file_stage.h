// Puts the files one domain's QEMU reads (NIC ROM, fw_cfg files, kernel)
// where that QEMU runs, and takes them away again.
//
// Local hosts (qemu:///system): a directory per domain under the stage root
// (/var/lib/libvirt/romharness), owned by the user libvirt runs QEMU as
// (libvirt-qemu cannot read anything under /root, and `user = "root"` in
// qemu.conf would taint the domain). QEMU may write there too (capture,
// GuestRPC log), and we copy those out after the VM stops.
// Remote hosts: one volume per file in a storage pool on that host (named
// by the hosts file's pool=), filled with virStorageVolUpload. Nothing comes
// back: a remote QEMU's capture or GuestRPC log stays where it was written,
// so the backend does not ask for them.
//
//   auto stage = LocalStage::create(conn, "/var/lib/libvirt/romharness", name);
//   fs::path rom = stage->put_file(plan.rom, "rom");   // path on QEMU's host
//   std::optional<fs::path> pcap = stage->output("capture.pcap");
//   ... after the VM stopped:
//   stage->collect("capture.pcap", artifacts / "capture.pcap");
//   stage->remove();
#pragma once

#include <libvirt/libvirt.h>
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rh {

class FileStage {
 public:
  virtual ~FileStage() = default;
  // Copies `local` over; returns its path on QEMU's host. Throws SetupError.
  virtual std::filesystem::path put_file(const std::filesystem::path& local,
                                         const std::string& name) = 0;
  virtual std::filesystem::path put_bytes(std::string_view bytes, const std::string& name) = 0;
  // A path QEMU may create a file at, or nullopt when what it writes cannot
  // be brought back (remote hosts).
  virtual std::optional<std::filesystem::path> output(const std::string& name) = 0;
  // Copies an output to `dest`; false when QEMU did not write it.
  virtual bool collect(const std::string& name, const std::filesystem::path& dest) = 0;
  // Removes everything staged. Idempotent; never throws.
  virtual void remove() = 0;
  virtual std::string describe() const = 0;  // "/var/lib/libvirt/romharness/<name>"
};

// The uid:gid libvirt gives QEMU on this connection (its DAC base label),
// nullopt when no DAC driver runs (QEMU then runs as the connecting user).
std::optional<std::pair<uid_t, gid_t>> qemu_user(virConnectPtr conn, const std::string& type);

class LocalStage : public FileStage {
 public:
  // Throws SetupError when the directory cannot be made QEMU's.
  static std::unique_ptr<LocalStage> create(const std::filesystem::path& root,
                                            const std::string& name,
                                            std::optional<std::pair<uid_t, gid_t>> qemu);
  ~LocalStage() override;
  std::filesystem::path put_file(const std::filesystem::path& local,
                                 const std::string& name) override;
  std::filesystem::path put_bytes(std::string_view bytes, const std::string& name) override;
  std::optional<std::filesystem::path> output(const std::string& name) override;
  bool collect(const std::string& name, const std::filesystem::path& dest) override;
  void remove() override;
  std::string describe() const override { return dir_.string(); }

 private:
  LocalStage(std::filesystem::path dir, std::optional<std::pair<uid_t, gid_t>> qemu)
      : dir_(std::move(dir)), qemu_(std::move(qemu)) {}
  void give_to_qemu(const std::filesystem::path& path) const;

  std::filesystem::path dir_;
  std::optional<std::pair<uid_t, gid_t>> qemu_;
};

// The emulator binary copied (once, by content) to root/emulator/<sha>/,
// where QEMU's user may execute it. Returns the staged path.
std::filesystem::path stage_emulator(const std::filesystem::path& root,
                                     const std::filesystem::path& binary);

class PoolStage : public FileStage {
 public:
  // Throws SetupError when the pool does not exist or is not running.
  PoolStage(virConnectPtr conn, const std::string& pool, std::string name);
  ~PoolStage() override;
  PoolStage(const PoolStage&) = delete;
  PoolStage& operator=(const PoolStage&) = delete;
  std::filesystem::path put_file(const std::filesystem::path& local,
                                 const std::string& name) override;
  std::filesystem::path put_bytes(std::string_view bytes, const std::string& name) override;
  std::optional<std::filesystem::path> output(const std::string& /*name*/) override {
    return std::nullopt;
  }
  bool collect(const std::string& /*name*/, const std::filesystem::path& /*dest*/) override {
    return false;
  }
  void remove() override;
  std::string describe() const override;

 private:
  virConnectPtr conn_;
  virStoragePoolPtr pool_ = nullptr;
  std::string pool_name_;
  std::string name_;
  std::vector<std::string> volumes_;
};

// "<domain name>-<file name>": what a staged file is called (its owner parses from it).
std::string staged_name(const std::string& domain, const std::string& file);

}  // namespace rh

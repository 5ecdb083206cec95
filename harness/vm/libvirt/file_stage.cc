#include "harness/vm/libvirt/file_stage.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "harness/core/error.h"
#include "harness/core/hash.h"
#include "harness/vm/libvirt/domain_xml.h"
#include "harness/vm/libvirt/libvirt_connection.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

constexpr auto kReadable =
    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;
constexpr auto kTraversable = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SetupError("libvirt: cannot read '" + path.string() + "' to stage it");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw SetupError("libvirt: cannot write '" + path.string() + "'");
}

// Creates `dir` (and parents) readable and traversable by everyone: QEMU's
// user must reach what lies below.
void make_traversable(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw SetupError("libvirt: cannot create '" + dir.string() + "': " + ec.message());
  fs::permissions(dir, kTraversable, ec);
}

std::string volume_xml(const std::string& name, std::size_t size) {
  return "<volume><name>" + xml_escape(name) + "</name><capacity unit='bytes'>" +
         std::to_string(size) +
         "</capacity><target><format type='raw'/><permissions><mode>0644</mode>"
         "</permissions></target></volume>";
}

void upload(virConnectPtr conn, virStorageVolPtr vol, std::string_view bytes,
            const std::string& what) {
  virStreamPtr st = virStreamNew(conn, 0);
  if (st == nullptr) throw SetupError(libvirt_error("libvirt: cannot make a stream for " + what));
  bool ok = virStorageVolUpload(vol, st, 0, bytes.size(), 0) == 0;
  std::size_t sent = 0;
  while (ok && sent < bytes.size()) {
    const int n = virStreamSend(st, bytes.data() + sent, bytes.size() - sent);
    ok = n > 0;
    if (ok) sent += static_cast<std::size_t>(n);
  }
  ok = ok && virStreamFinish(st) == 0;
  const std::string why = ok ? "" : libvirt_error("libvirt: cannot upload " + what);
  if (!ok) virStreamAbort(st);
  virStreamFree(st);
  if (!ok) throw SetupError(why);
}

}  // namespace

std::string staged_name(const std::string& domain, const std::string& file) {
  return domain + "-" + file;
}

std::optional<std::pair<uid_t, gid_t>> qemu_user(virConnectPtr conn, const std::string& type) {
  char* caps = virConnectGetCapabilities(conn);
  if (caps == nullptr) throw SetupError(libvirt_error("libvirt: cannot read the capabilities"));
  const std::string xml(caps);
  free(caps);  // NOLINT(cppcoreguidelines-no-malloc): libvirt's allocation
  const auto dac = xml.find("<model>dac</model>");
  if (dac == std::string::npos) return std::nullopt;
  const std::string tag = "<baselabel type='" + type + "'>+";
  const auto at = xml.find(tag, dac);
  if (at == std::string::npos) return std::nullopt;
  unsigned long uid = 0;
  unsigned long gid = 0;
  if (std::sscanf(xml.c_str() + at + tag.size(), "%lu:+%lu", &uid, &gid) != 2) {
    return std::nullopt;
  }
  return std::pair{static_cast<uid_t>(uid), static_cast<gid_t>(gid)};
}

std::unique_ptr<LocalStage> LocalStage::create(const fs::path& root, const std::string& name,
                                               std::optional<std::pair<uid_t, gid_t>> qemu) {
  if (qemu && qemu->first != ::geteuid() && ::geteuid() != 0) {
    throw SetupError("libvirt: staging files for QEMU (user " + std::to_string(qemu->first) +
                     ") under '" + root.string() +
                     "' needs root; or list the host with pool=NAME in a hosts file");
  }
  make_traversable(root);
  std::unique_ptr<LocalStage> stage(new LocalStage(root / name, qemu));
  std::error_code ec;
  fs::create_directory(stage->dir_, ec);
  if (ec)
    throw SetupError("libvirt: cannot create '" + stage->dir_.string() + "': " + ec.message());
  fs::permissions(stage->dir_, fs::perms::owner_all, ec);
  stage->give_to_qemu(stage->dir_);
  return stage;
}

LocalStage::~LocalStage() = default;

void LocalStage::give_to_qemu(const fs::path& path) const {
  if (!qemu_ || qemu_->first == ::geteuid()) return;
  if (::chown(path.c_str(), qemu_->first, qemu_->second) != 0) {
    throw SetupError("libvirt: cannot give '" + path.string() + "' to QEMU's user " +
                     std::to_string(qemu_->first));
  }
}

fs::path LocalStage::put_file(const fs::path& local, const std::string& name) {
  return put_bytes(read_file(local), name);
}

fs::path LocalStage::put_bytes(std::string_view bytes, const std::string& name) {
  fs::path path = dir_ / name;
  write_file(path, bytes);
  std::error_code ec;
  fs::permissions(path, kReadable, ec);
  give_to_qemu(path);
  return path;
}

std::optional<fs::path> LocalStage::output(const std::string& name) { return dir_ / name; }

bool LocalStage::collect(const std::string& name, const fs::path& dest) {
  std::error_code ec;
  if (!fs::exists(dir_ / name, ec)) return false;
  fs::create_directories(dest.parent_path(), ec);
  fs::copy_file(dir_ / name, dest, fs::copy_options::overwrite_existing, ec);
  return !ec;
}

void LocalStage::remove() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

fs::path stage_emulator(const fs::path& root, const fs::path& binary) {
  const std::string sha = sha256_file_hex(binary).substr(0, 16);
  const fs::path dir = root / "emulator" / sha;
  fs::path staged = dir / binary.filename();
  std::error_code ec;
  if (fs::exists(staged, ec)) return staged;
  make_traversable(root);
  make_traversable(root / "emulator");
  make_traversable(dir);
  // Copy then rename, so a concurrent run never executes half a binary.
  const fs::path tmp = dir / (binary.filename().string() + ".tmp" + std::to_string(::getpid()));
  fs::copy_file(binary, tmp, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::permissions(tmp, kTraversable, ec);
  if (!ec) fs::rename(tmp, staged, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw SetupError("libvirt: cannot stage the emulator '" + binary.string() + "' in '" +
                     dir.string() + "'");
  }
  return staged;
}

PoolStage::PoolStage(virConnectPtr conn, const std::string& pool, std::string name)
    : conn_(conn), pool_name_(pool), name_(std::move(name)) {
  pool_ = virStoragePoolLookupByName(conn, pool.c_str());
  if (pool_ == nullptr) {
    throw SetupError(libvirt_error("libvirt: no storage pool '" + pool + "' on the host"));
  }
  if (virStoragePoolIsActive(pool_) != 1) {
    virStoragePoolFree(pool_);
    throw SetupError("libvirt: storage pool '" + pool + "' is not running (virsh pool-start " +
                     pool + ")");
  }
}

PoolStage::~PoolStage() {
  remove();
  virStoragePoolFree(pool_);
}

fs::path PoolStage::put_file(const fs::path& local, const std::string& name) {
  return put_bytes(read_file(local), name);
}

fs::path PoolStage::put_bytes(std::string_view bytes, const std::string& name) {
  const std::string vol_name = staged_name(name_, name);
  virStorageVolPtr vol =
      virStorageVolCreateXML(pool_, volume_xml(vol_name, bytes.size()).c_str(), 0);
  if (vol == nullptr) {
    throw SetupError(libvirt_error("libvirt: cannot create volume '" + vol_name + "' in pool '" +
                                   pool_name_ + "'"));
  }
  volumes_.push_back(vol_name);
  std::string path;
  try {
    upload(conn_, vol, bytes, "'" + vol_name + "'");
    char* p = virStorageVolGetPath(vol);
    if (p == nullptr) throw SetupError(libvirt_error("libvirt: no path for '" + vol_name + "'"));
    path = p;
    free(p);  // NOLINT(cppcoreguidelines-no-malloc): libvirt's allocation
  } catch (...) {
    virStorageVolFree(vol);
    throw;
  }
  virStorageVolFree(vol);
  return path;
}

void PoolStage::remove() {
  for (const auto& name : volumes_) {
    virStorageVolPtr vol = virStorageVolLookupByName(pool_, name.c_str());
    if (vol == nullptr) continue;
    virStorageVolDelete(vol, 0);
    virStorageVolFree(vol);
  }
  volumes_.clear();
}

std::string PoolStage::describe() const { return "storage pool '" + pool_name_ + "'"; }

}  // namespace rh

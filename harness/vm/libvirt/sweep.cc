#include "harness/vm/libvirt/sweep.h"

#include <libvirt/virterror.h>

#include <cstdlib>
#include <optional>

#include "harness/vm/libvirt/domain_owner.h"
#include "harness/vm/libvirt/libvirt_connection.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

// The metadata is the authority; the name is the fallback (a domain defined
// by hand with our prefix but without metadata).
std::optional<DomainOwner> owner_of(virDomainPtr dom, const std::string& name) {
  char* xml = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, kMetadataUri,
                                   VIR_DOMAIN_AFFECT_CURRENT);
  if (xml != nullptr) {
    auto owner = owner_from_metadata(xml);
    free(xml);  // NOLINT(cppcoreguidelines-no-malloc): libvirt's allocation
    if (owner) return owner;
  }
  return owner_from_name(name);
}

// Another sweeper (a concurrent run on this machine) or libvirt's
// autodestroy may take a leftover between our listing and our call: it is
// gone, which is all the sweep wants, so that is no error.
bool vanished(virErrorNumber code) { return virGetLastErrorCode() == code; }

bool remove_domain(virDomainPtr dom, const std::string& name, SweepResult& r) {
  if (virDomainIsActive(dom) == 1 && virDomainDestroy(dom) < 0) {
    if (!vanished(VIR_ERR_NO_DOMAIN)) {
      r.errors.push_back(libvirt_error("domain " + name + ": cannot destroy"));
    }
    return false;
  }
  if (virDomainIsPersistent(dom) == 1 &&
      virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_NVRAM) < 0) {
    if (!vanished(VIR_ERR_NO_DOMAIN)) {
      r.errors.push_back(libvirt_error("domain " + name + ": cannot undefine"));
    }
    return false;
  }
  return true;
}

void sweep_domains(virConnectPtr conn, std::string_view this_host, SweepResult& r) {
  virDomainPtr* doms = nullptr;
  const int n = virConnectListAllDomains(conn, &doms, 0);
  if (n < 0) {
    r.errors.push_back(libvirt_error("cannot list domains"));
    return;
  }
  for (int i = 0; i < n; ++i) {
    const char* raw = virDomainGetName(doms[i]);
    const std::string name = raw != nullptr ? raw : "";
    if (name.starts_with(kDomainPrefix)) {
      const auto owner = owner_of(doms[i], name);
      const OwnerState state = owner ? owner_state(*owner, this_host) : OwnerState::kElsewhere;
      if (state == OwnerState::kGone && remove_domain(doms[i], name, r)) {
        r.removed.push_back("domain " + name);
      } else if (state == OwnerState::kElsewhere) {
        r.kept.push_back("domain " + name + " (owner on " + (owner ? owner->host : "?") + ")");
      }
    }
    virDomainFree(doms[i]);
  }
  free(doms);  // NOLINT(cppcoreguidelines-no-malloc): libvirt's allocation
}

void sweep_stage_root(const fs::path& root, std::string_view this_host, SweepResult& r) {
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) return;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const auto owner = owner_from_name(entry.path().filename().string());
    if (!owner || owner_state(*owner, this_host) != OwnerState::kGone) continue;
    fs::remove_all(entry.path(), ec);
    if (ec) {
      r.errors.push_back("staged " + entry.path().string() + ": " + ec.message());
    } else {
      r.removed.push_back("staged " + entry.path().string());
    }
  }
}

void sweep_pool(virConnectPtr conn, const std::string& pool_name, std::string_view this_host,
                SweepResult& r) {
  virStoragePoolPtr pool = virStoragePoolLookupByName(conn, pool_name.c_str());
  if (pool == nullptr) return;     // the session says so when it needs the pool
  virStoragePoolRefresh(pool, 0);  // files a killed run left are volumes after a refresh
  virStorageVolPtr* vols = nullptr;
  const int n = virStoragePoolListAllVolumes(pool, &vols, 0);
  for (int i = 0; i < n; ++i) {
    const char* raw = virStorageVolGetName(vols[i]);
    const std::string name = raw != nullptr ? raw : "";
    const auto owner = owner_from_name(name);
    if (owner && owner_state(*owner, this_host) == OwnerState::kGone) {
      if (virStorageVolDelete(vols[i], 0) == 0) {
        r.removed.push_back("volume " + name);
      } else if (!vanished(VIR_ERR_NO_STORAGE_VOL)) {
        r.errors.push_back(libvirt_error("volume " + name + ": cannot delete"));
      }
    }
    virStorageVolFree(vols[i]);
  }
  free(vols);  // NOLINT(cppcoreguidelines-no-malloc): libvirt's allocation
  virStoragePoolFree(pool);
}

}  // namespace

SweepResult sweep_leftovers(virConnectPtr conn, std::string_view this_host,
                            const SweepPlaces& places) {
  SweepResult r;
  sweep_domains(conn, this_host, r);
  sweep_stage_root(places.stage_root, this_host, r);
  if (!places.pool.empty()) sweep_pool(conn, places.pool, this_host, r);
  return r;
}

}  // namespace rh

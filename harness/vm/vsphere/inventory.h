// Finding the lab file's objects by name: the datacenter and VM folder by
// inventory path (SearchIndex.FindByInventoryPath), the datastore, network,
// cluster or host and resource pool by name inside the datacenter (a
// ContainerView). A name that is not there is a SetupError listing the
// names that are.
//
//   LabPlacement where = resolve_placement(vim, lab);
//   where.datastore_name;  // "LocalDS_0"
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/vm/vsphere/lab_file.h"
#include "harness/vm/vsphere/vim_client.h"

namespace rh::vsphere {

struct LabPlacement {
  MoRef datacenter;
  std::string datacenter_path;  // for /folder/...?dcPath=
  MoRef datastore;
  std::string datastore_name;
  MoRef network;
  std::string network_name;
  // A distributed port group is joined by switch uuid and port group key.
  std::string dvs_uuid;
  std::string portgroup_key;
  MoRef vm_folder;
  MoRef pool;
  std::optional<MoRef> host;
};

struct NamedObject {
  MoRef ref;
  std::string name;
};

// Every object of `types` below `container`, with its name.
std::vector<NamedObject> list_named(VimClient& vim, const MoRef& container,
                                    const std::vector<std::string>& types);
// The object named `name`, or SetupError "<kind> 'name' not found in <scope>
// (there are: a, b)".
MoRef find_named(VimClient& vim, const MoRef& container, const std::vector<std::string>& types,
                 const std::string& name, const std::string& kind, const std::string& scope);
// FindByInventoryPath; empty when nothing is there.
MoRef find_by_path(VimClient& vim, const std::string& path);

LabPlacement resolve_placement(VimClient& vim, const LabConfig& lab);

}  // namespace rh::vsphere

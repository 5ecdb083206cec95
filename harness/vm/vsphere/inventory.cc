#include "harness/vm/vsphere/inventory.h"

#include "harness/core/error.h"

namespace rh::vsphere {
namespace {

std::string joined(const std::vector<NamedObject>& objects) {
  std::string out;
  for (const NamedObject& o : objects) out += (out.empty() ? "" : ", ") + o.name;
  return out.empty() ? "none" : out;
}

// "Network 'x'", "folder 'y'": quoted for messages.
std::string quoted(const std::string& kind, const std::string& name) {
  return kind + " '" + name + "'";
}

void resolve_network(VimClient& vim, const LabConfig& lab, LabPlacement& p) {
  p.network_name = lab.network;
  p.network =
      find_named(vim, p.datacenter, {"Network", "DistributedVirtualPortgroup", "OpaqueNetwork"},
                 lab.network, "network", quoted("datacenter", lab.datacenter));
  if (p.network.type != "DistributedVirtualPortgroup") return;
  std::string what = quoted("port group", lab.network);
  ObjectContent pg = vim.retrieve_one(p.network, {"key", "config.distributedVirtualSwitch"}, what);
  p.portgroup_key = pg.text("key");
  MoRef dvs = pg.ref("config.distributedVirtualSwitch");
  p.dvs_uuid = vim.retrieve_one(dvs, {"uuid"}, what).text("uuid");
}

void resolve_compute(VimClient& vim, const LabConfig& lab, LabPlacement& p) {
  std::string scope = quoted("datacenter", lab.datacenter);
  MoRef compute;
  if (!lab.cluster.empty()) {
    compute =
        find_named(vim, p.datacenter, {"ClusterComputeResource"}, lab.cluster, "cluster", scope);
  }
  if (!lab.host.empty()) {
    MoRef within = compute.empty() ? p.datacenter : compute;
    p.host = find_named(vim, within, {"HostSystem"}, lab.host, "host",
                        compute.empty() ? scope : quoted("cluster", lab.cluster));
    if (compute.empty()) {
      compute = vim.retrieve_one(*p.host, {"parent"}, quoted("host", lab.host)).ref("parent");
    }
  }
  std::string compute_name = lab.cluster.empty() ? lab.host : lab.cluster;
  ObjectContent c =
      vim.retrieve_one(compute, {"resourcePool"}, quoted("compute resource", compute_name));
  p.pool = c.ref("resourcePool");
  if (!lab.resource_pool.empty()) {
    p.pool = find_named(vim, compute, {"ResourcePool"}, lab.resource_pool, "resource pool",
                        quoted("compute resource", compute_name));
  }
}

void resolve_folder(VimClient& vim, const LabConfig& lab, LabPlacement& p) {
  ObjectContent dc =
      vim.retrieve_one(p.datacenter, {"vmFolder"}, quoted("datacenter", lab.datacenter));
  p.vm_folder = dc.ref("vmFolder");
  if (lab.folder.empty()) return;
  std::string path = lab.datacenter + "/vm/" + lab.folder;
  p.vm_folder = find_by_path(vim, path);
  if (p.vm_folder.empty() || p.vm_folder.type != "Folder") {
    throw SetupError("vSphere folder '" + lab.folder + "' not found in datacenter '" +
                     lab.datacenter + "' (inventory path '" + path + "'; " +
                     lab.where.at("folder") + "): create it or leave 'folder' out");
  }
}

}  // namespace

std::vector<NamedObject> list_named(VimClient& vim, const MoRef& container,
                                    const std::vector<std::string>& types) {
  std::string what = "the contents of " + container.describe();
  std::string params = xml_moref("container", container);
  for (const std::string& t : types) params += xml_text("type", t);
  params += "<recursive>true</recursive>";
  MoRef view = vim.call_for_ref("CreateContainerView", vim.content().view_manager, params, what);
  std::vector<NamedObject> out;
  try {
    for (const ObjectContent& o :
         vim.retrieve(container_filter_spec(view, types, {"name"}), what)) {
      out.push_back({o.obj, o.text("name")});
    }
  } catch (...) {
    vim.call("DestroyView", view, "", what);
    throw;
  }
  vim.call("DestroyView", view, "", what);
  return out;
}

MoRef find_named(VimClient& vim, const MoRef& container, const std::vector<std::string>& types,
                 const std::string& name, const std::string& kind, const std::string& scope) {
  std::vector<NamedObject> all = list_named(vim, container, types);
  for (const NamedObject& o : all) {
    if (o.name == name) return o.ref;
  }
  throw SetupError("vSphere " + kind + " '" + name + "' not found in " + scope +
                   " (there are: " + joined(all) + ")");
}

MoRef find_by_path(VimClient& vim, const std::string& path) {
  SoapResponse r = vim.call("FindByInventoryPath", vim.content().search_index,
                            xml_text("inventoryPath", path), "inventory path '" + path + "'");
  return moref_of(r.returnval());
}

LabPlacement resolve_placement(VimClient& vim, const LabConfig& lab) {
  LabPlacement p;
  p.datacenter_path = lab.datacenter;
  p.datacenter = find_by_path(vim, lab.datacenter);
  if (p.datacenter.empty() || p.datacenter.type != "Datacenter") {
    std::vector<NamedObject> all = list_named(vim, vim.content().root_folder, {"Datacenter"});
    throw SetupError("vSphere datacenter '" + lab.datacenter +
                     "' not found (there are: " + joined(all) + ")");
  }
  p.datastore_name = lab.datastore;
  p.datastore = find_named(vim, p.datacenter, {"Datastore"}, lab.datastore, "datastore",
                           quoted("datacenter", lab.datacenter));
  resolve_network(vim, lab, p);
  resolve_compute(vim, lab, p);
  resolve_folder(vim, lab, p);
  return p;
}

}  // namespace rh::vsphere

// Request bodies for the vSphere Web Services (VIM) SOAP API: the envelope
// every call shares and the pieces the backend's calls are made of. Element
// order follows the vim25 WSDL, which real ESXi/vCenter enforce.
//
//   MoRef pc{"PropertyCollector", "propertyCollector"};
//   std::string xml = soap_envelope("RetrievePropertiesEx", pc,
//                                   property_filter_spec(vm, {"runtime.powerState"}) +
//                                       "<options/>");
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rh::vsphere {

// A managed object reference, e.g. {"VirtualMachine", "vm-42"}.
struct MoRef {
  std::string type;
  std::string value;
  bool empty() const { return value.empty(); }
  bool operator==(const MoRef&) const = default;
  std::string describe() const { return type + ":" + value; }  // "VirtualMachine:vm-42"
};

// &, <, >, " and ' escaped for text and attribute values.
std::string xml_escape(std::string_view text);
// <name>text</name>, text escaped.
std::string xml_text(std::string_view name, std::string_view text);
// <name type="T">V</name>
std::string xml_moref(std::string_view name, const MoRef& ref);

// <soapenv:Envelope ...><soapenv:Body><method xmlns="urn:vim25"><_this .../>params
// </method></soapenv:Body></soapenv:Envelope>; `params_xml` is inserted as is.
std::string soap_envelope(std::string_view method, const MoRef& target,
                          std::string_view params_xml);

// <specSet> reading `paths` of one object.
std::string property_filter_spec(const MoRef& obj, const std::vector<std::string>& paths);
// <specSet> reading `paths` of every object of `types` a ContainerView holds.
std::string container_filter_spec(const MoRef& view, const std::vector<std::string>& types,
                                  const std::vector<std::string>& paths);

}  // namespace rh::vsphere

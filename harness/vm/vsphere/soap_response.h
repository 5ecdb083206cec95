// Reading vSphere SOAP answers with pugixml: a fault (its type and message),
// the <returnval> nodes of a method's response, and the ObjectContent of a
// RetrievePropertiesEx. Namespace prefixes are ignored (servers differ in
// them); xsi:type is read whatever its prefix.
//
//   SoapResponse r = SoapResponse::parse(500, body);
//   r.fault()->type;     // "InvalidLogin"
//   r.fault()->message;  // "Login failure"
//   for (const ObjectContent& o : object_contents(ok)) o.text("name");
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "harness/vm/vsphere/soap_envelope.h"

namespace rh::vsphere {

struct SoapFault {
  std::string type;              // "InvalidLogin", "NotAuthenticated", "InvalidPowerState", ...
  std::string message;           // the faultstring, may be empty
  std::string describe() const;  // "InvalidLogin (Login failure)"
};

// The answer was not a SOAP envelope (an HTML error page, a truncated body).
class SoapParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SoapResponse {
 public:
  // Throws SoapParseError when `body` is not a SOAP envelope.
  static SoapResponse parse(long http_status, const std::string& body);

  long http_status() const { return status_; }
  const std::optional<SoapFault>& fault() const { return fault_; }
  // The <returnval> children of the method's response (none for void methods).
  std::vector<pugi::xml_node> returnvals() const;
  pugi::xml_node returnval() const;  // the first, or an empty node
  std::shared_ptr<const pugi::xml_document> document() const { return doc_; }

 private:
  long status_ = 0;
  std::optional<SoapFault> fault_;
  pugi::xml_node response_;
  std::shared_ptr<pugi::xml_document> doc_;
};

// The properties of one object a RetrievePropertiesEx returned.
struct ObjectContent {
  MoRef obj;
  std::map<std::string, pugi::xml_node> props;    // property path -> its <val>
  std::shared_ptr<const pugi::xml_document> doc;  // keeps the nodes alive

  bool has(const std::string& path) const { return props.count(path) != 0; }
  std::string text(const std::string& path) const;         // "" when absent
  MoRef ref(const std::string& path) const;                // empty when absent
  std::vector<MoRef> refs(const std::string& path) const;  // ArrayOfManagedObjectReference
  // ArrayOfOptionValue (config.extraConfig) as key -> value.
  std::map<std::string, std::string> options(const std::string& path) const;
};

// <returnval><objects>... of RetrievePropertiesEx (or <returnval>s of
// ContinueRetrievePropertiesEx); `token` gets the paging token, "" when done.
std::vector<ObjectContent> object_contents(const SoapResponse& r, std::string* token);

// The fault inside a LocalizedMethodFault (a task's info.error).
SoapFault localized_fault(pugi::xml_node val);

// Helpers over prefixed names.
std::string_view local_name(pugi::xml_node node);
pugi::xml_node child_named(pugi::xml_node node, std::string_view local);
std::vector<pugi::xml_node> children_named(pugi::xml_node node, std::string_view local);
std::string child_text(pugi::xml_node node, std::string_view local);
std::string xsi_type(pugi::xml_node node);  // "" when none
MoRef moref_of(pugi::xml_node node);

}  // namespace rh::vsphere

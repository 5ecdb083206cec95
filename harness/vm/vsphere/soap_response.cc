#include "harness/vm/vsphere/soap_response.h"

namespace rh::vsphere {

std::string SoapFault::describe() const {
  return message.empty() ? type : type + " (" + message + ")";
}

std::string_view local_name(pugi::xml_node node) {
  std::string_view name = node.name();
  std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child_named(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element && local_name(c) == local) return c;
  }
  return {};
}

std::vector<pugi::xml_node> children_named(pugi::xml_node node, std::string_view local) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element && local_name(c) == local) out.push_back(c);
  }
  return out;
}

std::string child_text(pugi::xml_node node, std::string_view local) {
  return child_named(node, local).text().as_string();
}

std::string xsi_type(pugi::xml_node node) {
  for (pugi::xml_attribute a : node.attributes()) {
    std::string_view name = a.name();
    if (name.size() > 5 && name.substr(name.size() - 5) == ":type") {
      std::string_view value = a.value();
      std::size_t colon = value.find(':');
      return std::string(colon == std::string_view::npos ? value : value.substr(colon + 1));
    }
  }
  return "";
}

MoRef moref_of(pugi::xml_node node) {
  if (!node) return {};
  return {node.attribute("type").as_string(), node.text().as_string()};
}

namespace {

pugi::xml_node first_element(pugi::xml_node node) {
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element) return c;
  }
  return {};
}

// The type of a fault detail element: its xsi:type, else its name less the
// "Fault" suffix the WSDL adds (<InvalidLoginFault> is an InvalidLogin).
std::string detail_type(pugi::xml_node detail) {
  std::string type = xsi_type(detail);
  if (!type.empty()) return type;
  std::string name(local_name(detail));
  const std::string suffix = "Fault";
  if (name.size() > suffix.size() && name.ends_with(suffix))
    name.resize(name.size() - suffix.size());
  return name;
}

SoapFault parse_fault(pugi::xml_node fault) {
  SoapFault f;
  f.message = child_text(fault, "faultstring");
  pugi::xml_node detail = first_element(child_named(fault, "detail"));
  f.type = detail ? detail_type(detail) : child_text(fault, "faultcode");
  if (f.type.empty()) f.type = "SOAP fault";
  return f;
}

}  // namespace

SoapResponse SoapResponse::parse(long http_status, const std::string& body) {
  SoapResponse r;
  r.status_ = http_status;
  r.doc_ = std::make_shared<pugi::xml_document>();
  pugi::xml_parse_result ok = r.doc_->load_buffer(body.data(), body.size());
  if (!ok) throw SoapParseError(std::string("not XML: ") + ok.description());
  pugi::xml_node envelope = first_element(*r.doc_);
  pugi::xml_node soap_body = child_named(envelope, "Body");
  if (local_name(envelope) != "Envelope" || !soap_body) {
    throw SoapParseError("not a SOAP envelope (root element '" + std::string(envelope.name()) +
                         "')");
  }
  pugi::xml_node content = first_element(soap_body);
  if (content && local_name(content) == "Fault") {
    r.fault_ = parse_fault(content);
  } else {
    r.response_ = content;
  }
  return r;
}

std::vector<pugi::xml_node> SoapResponse::returnvals() const {
  return children_named(response_, "returnval");
}

pugi::xml_node SoapResponse::returnval() const { return child_named(response_, "returnval"); }

std::string ObjectContent::text(const std::string& path) const {
  auto it = props.find(path);
  return it == props.end() ? "" : it->second.text().as_string();
}

MoRef ObjectContent::ref(const std::string& path) const {
  auto it = props.find(path);
  return it == props.end() ? MoRef{} : moref_of(it->second);
}

std::vector<MoRef> ObjectContent::refs(const std::string& path) const {
  std::vector<MoRef> out;
  auto it = props.find(path);
  if (it == props.end()) return out;
  for (pugi::xml_node n : children_named(it->second, "ManagedObjectReference")) {
    out.push_back(moref_of(n));
  }
  return out;
}

std::map<std::string, std::string> ObjectContent::options(const std::string& path) const {
  std::map<std::string, std::string> out;
  auto it = props.find(path);
  if (it == props.end()) return out;
  for (pugi::xml_node n : it->second.children()) {
    if (n.type() != pugi::node_element) continue;
    out[child_text(n, "key")] = child_text(n, "value");
  }
  return out;
}

namespace {

ObjectContent parse_object(pugi::xml_node objects, const SoapResponse& r) {
  ObjectContent o;
  o.obj = moref_of(child_named(objects, "obj"));
  o.doc = r.document();
  for (pugi::xml_node p : children_named(objects, "propSet")) {
    o.props[child_text(p, "name")] = child_named(p, "val");
  }
  return o;
}

}  // namespace

std::vector<ObjectContent> object_contents(const SoapResponse& r, std::string* token) {
  std::vector<ObjectContent> out;
  if (token != nullptr) token->clear();
  for (pugi::xml_node ret : r.returnvals()) {
    for (pugi::xml_node objects : children_named(ret, "objects")) {
      out.push_back(parse_object(objects, r));
    }
    if (token != nullptr && child_named(ret, "token")) *token = child_text(ret, "token");
  }
  return out;
}

SoapFault localized_fault(pugi::xml_node val) {
  SoapFault f;
  pugi::xml_node fault = child_named(val, "fault");
  f.type = fault ? detail_type(fault) : "unknown fault";
  f.message = child_text(val, "localizedMessage");
  return f;
}

}  // namespace rh::vsphere

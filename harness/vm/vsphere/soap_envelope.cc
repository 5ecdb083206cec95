#include "harness/vm/vsphere/soap_envelope.h"

namespace rh::vsphere {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string xml_text(std::string_view name, std::string_view text) {
  std::string n(name);
  return "<" + n + ">" + xml_escape(text) + "</" + n + ">";
}

std::string xml_moref(std::string_view name, const MoRef& ref) {
  std::string n(name);
  return "<" + n + " type=\"" + xml_escape(ref.type) + "\">" + xml_escape(ref.value) + "</" + n +
         ">";
}

std::string soap_envelope(std::string_view method, const MoRef& target,
                          std::string_view params_xml) {
  std::string m(method);
  return R"(<?xml version="1.0" encoding="UTF-8"?>)"
         R"(<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/")"
         R"( xmlns:xsd="http://www.w3.org/2001/XMLSchema")"
         R"( xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>)"
         "<" +
         m + R"( xmlns="urn:vim25">)" + xml_moref("_this", target) + std::string(params_xml) +
         "</" + m + "></soapenv:Body></soapenv:Envelope>";
}

namespace {

std::string prop_set(const std::string& type, const std::vector<std::string>& paths) {
  std::string xml = "<propSet>" + xml_text("type", type);
  for (const std::string& p : paths) xml += xml_text("pathSet", p);
  return xml + "</propSet>";
}

}  // namespace

std::string property_filter_spec(const MoRef& obj, const std::vector<std::string>& paths) {
  return "<specSet>" + prop_set(obj.type, paths) + "<objectSet>" + xml_moref("obj", obj) +
         "<skip>false</skip></objectSet></specSet>";
}

std::string container_filter_spec(const MoRef& view, const std::vector<std::string>& types,
                                  const std::vector<std::string>& paths) {
  std::string xml = "<specSet>";
  for (const std::string& t : types) xml += prop_set(t, paths);
  return xml + "<objectSet>" + xml_moref("obj", view) +
         R"(<skip>true</skip><selectSet xsi:type="TraversalSpec"><name>view</name>)"
         "<type>ContainerView</type><path>view</path><skip>false</skip></selectSet>"
         "</objectSet></specSet>";
}

}  // namespace rh::vsphere

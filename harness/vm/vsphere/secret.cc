#include "harness/vm/vsphere/secret.h"

#include "harness/core/text.h"
#include "harness/vm/vsphere/http_client.h"
#include "harness/vm/vsphere/soap_envelope.h"

namespace rh::vsphere {

std::string Secret::redact(std::string text) const {
  if (value_.empty()) return text;
  for (const std::string& form : {value_, xml_escape(value_), url_encode_query(value_)}) {
    text = replace_all(std::move(text), form, "***");
  }
  return text;
}

}  // namespace rh::vsphere

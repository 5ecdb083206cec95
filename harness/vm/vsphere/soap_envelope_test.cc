#include "harness/vm/vsphere/soap_envelope.h"

#include <gtest/gtest.h>

#include "harness/vm/vsphere/soap_response.h"

namespace rh::vsphere {
namespace {

TEST(SoapEnvelope, WrapsTheMethodWithItsTargetInTheVimNamespace) {
  std::string xml = soap_envelope("PowerOnVM_Task", {"VirtualMachine", "vm-42"}, "");
  EXPECT_NE(xml.find("<soapenv:Body><PowerOnVM_Task xmlns=\"urn:vim25\">"
                     "<_this type=\"VirtualMachine\">vm-42</_this></PowerOnVM_Task>"
                     "</soapenv:Body>"),
            std::string::npos)
      << xml;
  EXPECT_TRUE(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
}

TEST(SoapEnvelope, EscapesTextSoAPasswordCannotBreakTheDocument) {
  std::string xml = soap_envelope("Login", {"SessionManager", "SessionManager"},
                                  xml_text("userName", "u") + xml_text("password", "a<b&c>\"'"));
  EXPECT_NE(xml.find("<password>a&lt;b&amp;c&gt;&quot;&apos;</password>"), std::string::npos);
  // The envelope parses, and the value comes back as written.
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  EXPECT_STREQ(doc.select_node("//password").node().text().as_string(), "a<b&c>\"'");
}

TEST(SoapEnvelope, PropertyFilterSpecReadsPathsOfOneObject) {
  std::string xml = property_filter_spec({"Task", "task-7"}, {"info.state", "info.error"});
  EXPECT_EQ(xml,
            "<specSet><propSet><type>Task</type><pathSet>info.state</pathSet>"
            "<pathSet>info.error</pathSet></propSet><objectSet><obj type=\"Task\">task-7</obj>"
            "<skip>false</skip></objectSet></specSet>");
}

TEST(SoapEnvelope, ContainerFilterSpecTraversesTheViewForEachType) {
  std::string xml = container_filter_spec({"ContainerView", "session[1]v"},
                                          {"Network", "DistributedVirtualPortgroup"}, {"name"});
  EXPECT_EQ(xml,
            "<specSet><propSet><type>Network</type><pathSet>name</pathSet></propSet>"
            "<propSet><type>DistributedVirtualPortgroup</type><pathSet>name</pathSet></propSet>"
            "<objectSet><obj type=\"ContainerView\">session[1]v</obj><skip>true</skip>"
            "<selectSet xsi:type=\"TraversalSpec\"><name>view</name><type>ContainerView</type>"
            "<path>view</path><skip>false</skip></selectSet></objectSet></specSet>");
}

}  // namespace
}  // namespace rh::vsphere

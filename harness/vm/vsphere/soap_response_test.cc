#include "harness/vm/vsphere/soap_response.h"

#include <gtest/gtest.h>

namespace rh::vsphere {
namespace {

std::string envelope(const std::string& body, const std::string& prefix = "soapenv") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + prefix + ":Envelope xmlns:" + prefix +
         "=\"http://schemas.xmlsoap.org/soap/envelope/\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><" +
         prefix + ":Body>" + body + "</" + prefix + ":Body></" + prefix + ":Envelope>";
}

TEST(SoapResponse, FaultTypeComesFromTheDetailsXsiType) {
  // As govmomi's simulator and vCenter answer a bad password.
  SoapResponse r = SoapResponse::parse(
      500, envelope("<soapenv:Fault><faultcode>ServerFaultCode</faultcode>"
                    "<faultstring>Login failure</faultstring><detail><InvalidLoginFault "
                    "xmlns=\"urn:vim25\" xsi:type=\"InvalidLogin\"></InvalidLoginFault></detail>"
                    "</soapenv:Fault>"));
  ASSERT_TRUE(r.fault());
  EXPECT_EQ(r.fault()->type, "InvalidLogin");
  EXPECT_EQ(r.fault()->describe(), "InvalidLogin (Login failure)");
}

TEST(SoapResponse, FaultWithoutXsiTypeIsNamedByItsElement) {
  SoapResponse r = SoapResponse::parse(
      500, envelope("<S:Fault><faultcode>S:Server</faultcode><faultstring>The session is not "
                    "authenticated.</faultstring><detail><NotAuthenticatedFault "
                    "xmlns=\"urn:vim25\"/></detail></S:Fault>",
                    "S"));
  ASSERT_TRUE(r.fault());
  EXPECT_EQ(r.fault()->type, "NotAuthenticated");
}

TEST(SoapResponse, FaultWithoutDetailFallsBackToTheFaultCode) {
  SoapResponse r =
      SoapResponse::parse(500, envelope("<soapenv:Fault><faultcode>ServerFaultCode</faultcode>"
                                        "<faultstring>boom</faultstring></soapenv:Fault>"));
  EXPECT_EQ(r.fault()->describe(), "ServerFaultCode (boom)");
}

TEST(SoapResponse, ReturnvalIsAManagedObjectReference) {
  SoapResponse r = SoapResponse::parse(
      200, envelope("<CreateVM_TaskResponse xmlns=\"urn:vim25\"><returnval type=\"Task\">"
                    "task-12</returnval></CreateVM_TaskResponse>"));
  EXPECT_FALSE(r.fault());
  EXPECT_EQ(moref_of(r.returnval()), (MoRef{"Task", "task-12"}));
}

TEST(SoapResponse, ObjectContentsGivePropertiesByPathAndThePagingToken) {
  SoapResponse r = SoapResponse::parse(
      200,
      envelope("<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><token>t1</token>"
               "<objects><obj type=\"VirtualMachine\">vm-1</obj>"
               "<propSet><name>name</name><val xsi:type=\"xsd:string\">rh-a</val></propSet>"
               "<propSet><name>config.extraConfig</name><val xsi:type=\"ArrayOfOptionValue\">"
               "<OptionValue xsi:type=\"OptionValue\"><key>guestinfo.ipxe.ip</key>"
               "<value xsi:type=\"xsd:string\">10.0.0.5</value></OptionValue>"
               "<OptionValue xsi:type=\"OptionValue\"><key>romharness.run</key>"
               "<value xsi:type=\"xsd:string\">r1</value></OptionValue></val></propSet>"
               "<propSet><name>datastore</name><val xsi:type=\"ArrayOfManagedObjectReference\">"
               "<ManagedObjectReference type=\"Datastore\">ds-1</ManagedObjectReference></val>"
               "</propSet></objects></returnval></RetrievePropertiesExResponse>"));
  std::string token;
  std::vector<ObjectContent> objects = object_contents(r, &token);
  ASSERT_EQ(objects.size(), 1U);
  EXPECT_EQ(token, "t1");
  EXPECT_EQ(objects[0].obj, (MoRef{"VirtualMachine", "vm-1"}));
  EXPECT_EQ(objects[0].text("name"), "rh-a");
  EXPECT_EQ(objects[0].text("absent"), "");
  std::map<std::string, std::string> extra = objects[0].options("config.extraConfig");
  EXPECT_EQ(extra.at("guestinfo.ipxe.ip"), "10.0.0.5");
  EXPECT_EQ(extra.at("romharness.run"), "r1");
  EXPECT_EQ(objects[0].refs("datastore"), (std::vector<MoRef>{{"Datastore", "ds-1"}}));
}

TEST(SoapResponse, EmptyRetrieveHasNoObjects) {
  SoapResponse r =
      SoapResponse::parse(200, envelope("<RetrievePropertiesExResponse xmlns=\"urn:vim25\"/>"));
  std::string token = "stale";
  EXPECT_TRUE(object_contents(r, &token).empty());
  EXPECT_EQ(token, "");
}

TEST(SoapResponse, TaskErrorIsALocalizedMethodFault) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(
      "<val xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:type=\"LocalizedMethodFault\"><fault xsi:type=\"InsufficientResourcesFault\"/>"
      "<localizedMessage>not enough memory</localizedMessage></val>"));
  SoapFault f = localized_fault(doc.first_child());
  EXPECT_EQ(f.describe(), "InsufficientResourcesFault (not enough memory)");
}

TEST(SoapResponse, AnHtmlErrorPageIsNotAnEnvelope) {
  EXPECT_THROW(SoapResponse::parse(503, "<html><body>Service Unavailable</body></html>"),
               SoapParseError);
  EXPECT_THROW(SoapResponse::parse(502, "Bad gateway"), SoapParseError);
}

}  // namespace
}  // namespace rh::vsphere

#include "harness/vm/vsphere/vim_client.h"

#include <thread>

#include "harness/core/error.h"

namespace rh::vsphere {
namespace {

const char* const kSessionCookie = "vmware_soap_session";

// "vmware_soap_session=\"52..\"; Path=/; HttpOnly" -> the name=value part.
std::string session_cookie_of(const HttpResponse& res) {
  for (const std::string& c : res.set_cookies) {
    if (c.starts_with(kSessionCookie)) return c.substr(0, c.find(';'));
  }
  return "";
}

ServiceContent parse_service_content(pugi::xml_node r) {
  ServiceContent c;
  c.root_folder = moref_of(child_named(r, "rootFolder"));
  c.property_collector = moref_of(child_named(r, "propertyCollector"));
  c.view_manager = moref_of(child_named(r, "viewManager"));
  c.search_index = moref_of(child_named(r, "searchIndex"));
  c.session_manager = moref_of(child_named(r, "sessionManager"));
  pugi::xml_node about = child_named(r, "about");
  c.api_type = child_text(about, "apiType");
  c.full_name = child_text(about, "fullName");
  return c;
}

// A NotAuthenticated fault, or properties the server would not read for
// want of a session (govmomi's simulator answers RetrievePropertiesEx so).
bool is_not_authenticated(const SoapResponse& r) {
  if (r.fault()) return r.fault()->type == "NotAuthenticated";
  for (pugi::xml_node ret : r.returnvals()) {
    for (pugi::xml_node objects : children_named(ret, "objects")) {
      for (pugi::xml_node missing : children_named(objects, "missingSet")) {
        if (localized_fault(child_named(missing, "fault")).type == "NotAuthenticated") return true;
      }
    }
  }
  return false;
}

}  // namespace

VimClient::VimClient(std::string sdk_url, TlsOptions tls, Credentials credentials)
    : sdk_url_(std::move(sdk_url)),
      tls_(std::move(tls)),
      credentials_(std::move(credentials)),
      http_(tls_) {}

VimClient::~VimClient() { logout(); }

std::string VimClient::base_url() const {
  std::size_t path = sdk_url_.find('/', sdk_url_.find("://") + 3);
  return sdk_url_.substr(0, path);
}

std::string VimClient::cookie() const {
  std::lock_guard lock(mu_);
  return cookie_;
}

int VimClient::logins() const {
  std::lock_guard lock(mu_);
  return logins_;
}

std::string VimClient::message(const std::string& method, const std::string& what,
                               const std::string& why) const {
  std::string on = what.empty() ? "" : " on " + what;
  return credentials_.password.redact("vSphere " + method + on + " at " +
                                      url_for_messages(sdk_url_) + " failed: " + why);
}

void VimClient::fail(const std::string& method, const std::string& what,
                     const std::string& why) const {
  throw SetupError(message(method, what, why));
}

void VimClient::fail(const std::string& method, const std::string& what, const SoapFault& fault,
                     const std::string& more) const {
  throw VimFault(message(method, what, fault.describe() + more), fault);
}

SoapResponse VimClient::post(const std::string& method, const MoRef& target,
                             const std::string& params, const std::string& what) {
  HttpRequest req{.method = "POST", .url = sdk_url_, .headers = {}, .body = {}, .range_from = {}};
  req.headers = {"Content-Type: text/xml; charset=utf-8", "SOAPAction: \"urn:vim25/6.5\""};
  if (!cookie_.empty()) req.headers.push_back("Cookie: " + cookie_);
  req.body = soap_envelope(method, target, params);
  HttpResponse res;
  try {
    res = http_.request(req);
  } catch (const SetupError& e) {
    fail(method, what, e.what());
  }
  try {
    SoapResponse r = SoapResponse::parse(res.status, res.body);
    if (!r.fault() && res.status != 200) fail(method, what, "HTTP " + std::to_string(res.status));
    if (method == "Login" && !r.fault()) cookie_ = session_cookie_of(res);
    return r;
  } catch (const SoapParseError& e) {
    fail(method, what, "HTTP " + std::to_string(res.status) + ", " + e.what());
  }
}

void VimClient::login_locked() {
  const MoRef instance{"ServiceInstance", "ServiceInstance"};
  cookie_.clear();
  SoapResponse sc = post("RetrieveServiceContent", instance, "", "");
  if (sc.fault()) fail("RetrieveServiceContent", "", *sc.fault());
  content_ = parse_service_content(sc.returnval());
  std::string params = xml_text("userName", credentials_.username) +
                       xml_text("password", credentials_.password.reveal());
  SoapResponse r = post("Login", content_.session_manager, params, "");
  if (r.fault()) {
    throw SetupError(credentials_.password.redact("vSphere login to " + url_for_messages(sdk_url_) +
                                                  " as '" + credentials_.username +
                                                  "' failed: " + r.fault()->describe()));
  }
  if (cookie_.empty()) {
    fail("Login", "", "the answer set no " + std::string(kSessionCookie) + " cookie");
  }
  ++logins_;
}

void VimClient::login() {
  std::lock_guard lock(mu_);
  login_locked();
}

void VimClient::relogin(const std::string& why) {
  std::lock_guard lock(mu_);
  try {
    login_locked();
  } catch (const SetupError& e) {
    throw SetupError(std::string(e.what()) + " (logging in again after " + why + ")");
  }
}

void VimClient::logout() noexcept {
  std::lock_guard lock(mu_);
  if (cookie_.empty()) return;
  try {
    post("Logout", content_.session_manager, "", "");
  } catch (const std::exception&) {  // the session ends on the server's side anyway
  }
  cookie_.clear();
}

SoapResponse VimClient::call_locked(const std::string& method, const MoRef& target,
                                    const std::string& params, const std::string& what) {
  if (cookie_.empty()) fail(method, what, "not logged in");
  SoapResponse r = post(method, target, params, what);
  if (is_not_authenticated(r)) {
    login_locked();  // the session expired: one new login, one retry
    r = post(method, target, params, what);
    if (is_not_authenticated(r)) {
      fail(method, what, r.fault().value_or(SoapFault{"NotAuthenticated", ""}),
           ", again right after a new login");
    }
  }
  if (r.fault()) fail(method, what, *r.fault());
  return r;
}

SoapResponse VimClient::call(const std::string& method, const MoRef& target,
                             const std::string& params, const std::string& what) {
  std::lock_guard lock(mu_);
  return call_locked(method, target, params, what);
}

MoRef VimClient::call_for_ref(const std::string& method, const MoRef& target,
                              const std::string& params, const std::string& what) {
  SoapResponse r = call(method, target, params, what);
  MoRef ref = moref_of(r.returnval());
  if (ref.empty()) fail(method, what, "the answer held no object reference");
  return ref;
}

std::vector<ObjectContent> VimClient::retrieve(const std::string& spec_set,
                                               const std::string& what) {
  std::vector<ObjectContent> all;
  std::string token;
  SoapResponse r =
      call("RetrievePropertiesEx", content_.property_collector, spec_set + "<options/>", what);
  for (;;) {
    std::vector<ObjectContent> page = object_contents(r, &token);
    all.insert(all.end(), page.begin(), page.end());
    if (token.empty()) return all;
    r = call("ContinueRetrievePropertiesEx", content_.property_collector, xml_text("token", token),
             what);
  }
}

ObjectContent VimClient::retrieve_one(const MoRef& obj, const std::vector<std::string>& paths,
                                      const std::string& what) {
  std::vector<ObjectContent> found = retrieve(property_filter_spec(obj, paths), what);
  if (found.empty()) {
    fail("RetrievePropertiesEx", what, "no such object (" + obj.describe() + ")");
  }
  return found.front();
}

void VimClient::wait_task(const MoRef& task, const std::string& what,
                          std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(50);
  for (;;) {
    ObjectContent info = retrieve_one(task, {"info.state", "info.error", "info.descriptionId"},
                                      "task " + task.value + " for " + what);
    std::string state = info.text("info.state");
    if (state == "success") return;
    if (state == "error") {
      std::string name = info.text("info.descriptionId");
      SoapFault f = localized_fault(info.props["info.error"]);
      fail("task " + (name.empty() ? task.value : name), what, f);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      fail("task " + task.value, what, "still '" + state + "' after the task timeout");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
}

}  // namespace rh::vsphere

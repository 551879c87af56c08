#include "engine/engine.h"

#include <sys/stat.h>

#include <cstdlib>

#include "image/http_client.h"

namespace hivesec::engine {

namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

Result<Endpoint> find_engine(const std::string& docker_host) {
  std::string host = docker_host;
  if (host.empty()) {
    if (const char* env = std::getenv("DOCKER_HOST"); env && *env) host = env;
  }
  if (!host.empty()) {
    if (host.rfind("unix://", 0) == 0) {
      Endpoint e{host.substr(7), "http://localhost", host.substr(7)};
      if (e.socket.empty() || e.socket[0] != '/') {
        return make_error(Errc::kInvalidArgument, "bad DOCKER_HOST {}", host);
      }
      if (!exists(e.socket)) {
        return make_error(Errc::kNotFound, "no container engine socket at {}", e.socket);
      }
      return e;
    }
    if (host.rfind("tcp://", 0) == 0) {
      std::string addr = host.substr(6);
      while (!addr.empty() && addr.back() == '/') addr.pop_back();
      if (addr.empty() || addr.find_first_of("/?#@ ") != std::string::npos) {
        return make_error(Errc::kInvalidArgument, "bad DOCKER_HOST {}", host);
      }
      return Endpoint{"", "http://" + addr, addr};
    }
    return make_error(Errc::kInvalidArgument,
                      "unsupported DOCKER_HOST {} (expected unix:///path or tcp://host:port)",
                      host);
  }
  for (const char* path : {"/var/run/docker.sock", "/run/podman/podman.sock"}) {
    if (exists(path)) return Endpoint{path, "http://localhost", path};
  }
  return make_error(Errc::kNotFound,
                    "no container engine found (DOCKER_HOST unset, no /var/run/docker.sock or "
                    "/run/podman/podman.sock)");
}

std::string error_message(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("message") && j["message"].is_string()) {
    std::string m = j["message"].get<std::string>();
    return m.size() > 300 ? m.substr(0, 300) + "..." : m;
  }
  std::string s = body.substr(0, 200);
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return s;
}

Client::Client(Endpoint endpoint, ClientOptions options)
    : endpoint_(std::move(endpoint)), options_(options) {}

Result<Client> Client::connect(const std::string& docker_host, ClientOptions options) {
  HIVESEC_TRY(Endpoint e, find_engine(docker_host));
  return Client(std::move(e), options);
}

Result<Reply> Client::request(std::string_view method, std::string_view path,
                              const std::string& body) const {
  if (path.empty() || path[0] != '/') {
    return make_error(Errc::kInvalidArgument, "engine API path must start with '/': {}", path);
  }
  image::HttpRequest req;
  req.url = endpoint_.base_url + std::string(path);
  req.method = std::string(method);
  req.body = body;
  if (!body.empty()) req.headers.push_back("Content-Type: application/json");
  req.unix_socket = endpoint_.socket;
  req.follow_redirects = false;
  req.connect_timeout_s = options_.connect_timeout_s;
  req.total_timeout_s = options_.timeout_s;
  req.low_speed_time_s = options_.timeout_s > 0 ? options_.timeout_s : 60;
  req.buffer_bytes = 1 << 20;
  auto resp = image::http_get(req, options_.max_body);
  if (!resp.ok()) {
    Error e = std::move(resp).error();
    if (e.code == Errc::kLimit) {
      return make_error(Errc::kLimit, "engine at {}: {} {}: reply larger than {} bytes",
                        endpoint_.where, method, path, options_.max_body);
    }
    return make_error(Errc::kNetwork, "engine at {}: {} {}: {}", endpoint_.where, method, path,
                      e.message);
  }
  return Reply{resp->status, std::move(resp->body), std::move(resp->headers)};
}

Result<nlohmann::json> Client::get_json(std::string_view path) const {
  HIVESEC_TRY(Reply r, request("GET", path, ""));
  if (r.status == 404) {
    return make_error(Errc::kNotFound, "engine at {}: GET {}: not found ({})", endpoint_.where,
                      path, error_message(r.body));
  }
  if (r.status != 200) {
    return make_error(Errc::kNetwork, "engine at {}: GET {}: HTTP {}: {}", endpoint_.where, path,
                      r.status, error_message(r.body));
  }
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded()) {
    return make_error(Errc::kCorrupt, "engine at {}: GET {}: reply is not JSON", endpoint_.where,
                      path);
  }
  return j;
}

Result<std::string> Client::get_text(std::string_view path) const {
  HIVESEC_TRY(Reply r, request("GET", path, ""));
  if (r.status != 200) {
    return make_error(Errc::kNetwork, "engine at {}: GET {}: HTTP {}: {}", endpoint_.where, path,
                      r.status, error_message(r.body));
  }
  return std::move(r.body);
}

Result<Reply> Client::ping() const {
  HIVESEC_TRY(Reply r, request("GET", "/_ping", ""));
  if (r.status != 200) {
    return make_error(Errc::kNetwork, "engine at {}: GET /_ping: HTTP {}: {}", endpoint_.where,
                      r.status, error_message(r.body));
  }
  return r;
}

Result<Reply> Client::del(std::string_view path) const { return request("DELETE", path, ""); }

Result<Reply> Client::post(std::string_view path, const std::string& json_body) const {
  return request("POST", path, json_body);
}

}  // namespace hivesec::engine

// A small Docker Engine API client (Docker, or `podman system service` which speaks the same
// API): finds the engine socket the way Docker's own tools do, reads JSON with bounded bodies
// and timeouts, and sends POSTs for response actions (stop, pause, kill a container) and
// DELETEs (remove one).
// The transport is image/http_client (libcurl over a unix socket or tcp).
//
// Thread-safety: a Client is immutable after construction; every method may be called from
// several threads at once (each request is its own transfer).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hivesec::engine {

// Where the engine listens.
struct Endpoint {
  std::string socket;    // unix socket path; "" for tcp
  std::string base_url;  // "http://localhost" for unix sockets, "http://host:port" for tcp
  std::string where;     // socket path or tcp address, for messages
};

// `docker_host` if set, else $DOCKER_HOST, else /var/run/docker.sock, else
// /run/podman/podman.sock. Accepts unix:///path and tcp://host:port. kNotFound when no socket
// exists (or the DOCKER_HOST socket is absent), kInvalidArgument for another scheme.
Result<Endpoint> find_engine(const std::string& docker_host = "");

struct ClientOptions {
  long connect_timeout_s = 5;
  long timeout_s = 30;          // whole request
  size_t max_body = 16u << 20;  // larger JSON replies are kLimit
};

struct Reply {
  long status = 0;
  std::string body;                            // bounded by max_body (error bodies by 64 KiB)
  std::map<std::string, std::string> headers;  // names lowercased
};

class Client {
 public:
  explicit Client(Endpoint endpoint, ClientOptions options = {});
  // find_engine(docker_host) + a client for it.
  static Result<Client> connect(const std::string& docker_host = "", ClientOptions options = {});

  const Endpoint& endpoint() const { return endpoint_; }

  // GET `path` ("/info", "/containers/json?all=1"): the parsed JSON of a 200 reply.
  // Errors: kNetwork (cannot connect, timeout, other status: "HTTP 500: message"),
  // kNotFound (404), kLimit (body over max_body), kCorrupt (not JSON).
  Result<nlohmann::json> get_json(std::string_view path) const;

  // POST `path` with an optional JSON body ("/containers/ID/stop?t=5"): the reply, for any
  // status (204/304 are the engine's usual success answers). kNetwork on transport failures.
  Result<Reply> post(std::string_view path, const std::string& json_body = "") const;

  // DELETE `path` ("/containers/ID?force=1"): the reply, for any status. kNetwork on transport
  // failures.
  Result<Reply> del(std::string_view path) const;

  // GET `path` and succeed for HTTP 200 only ("/_ping"): the raw body.
  Result<std::string> get_text(std::string_view path) const;

  // GET /_ping: the reply with its headers (Server: "Docker/27.0.3 (linux)" or
  // "Libpod/4.3.1 (linux)", Api-Version, Libpod-Api-Version). Cheap: engines answer it without
  // collecting anything, unlike /version (Podman runs its helpers for that, ~1 s).
  Result<Reply> ping() const;

 private:
  Result<Reply> request(std::string_view method, std::string_view path,
                        const std::string& body) const;
  Endpoint endpoint_;
  ClientOptions options_;
};

// The engine's own message from an error body ({"message": "..."}), else the body cut short.
std::string error_message(const std::string& body);

}  // namespace hivesec::engine

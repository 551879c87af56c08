// Registry source: OCI distribution API client (manifests, blobs, token auth) on libcurl.
#include <sys/stat.h>

#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/hash.h"
#include "image/http_client.h"
#include "image/oci_image.h"
#include "image/registry_auth.h"
#include "image/registry_ref.h"
#include "image/remote_sources.h"

namespace hivesec::image {
namespace {

constexpr const char* kManifestAccept =
    "Accept: application/vnd.oci.image.index.v1+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";
constexpr size_t kMaxTokenReply = 1 << 20;
constexpr size_t kMaxChildManifests = 1000;

// Talks to one registry for one repository; caches the Authorization per repository.
// Thread-safe (layers are opened concurrently).
class RegistryClient {
 public:
  RegistryClient(RegistryRef ref, std::optional<Credentials> creds, bool insecure)
      : ref_(std::move(ref)), creds_(std::move(creds)), insecure_(insecure) {
    bool plain = insecure_ || ref_.is_loopback();
    base_ = std::string(plain ? "http://" : "https://") + ref_.host;
  }

  const RegistryRef& ref() const { return ref_; }

  // GET /v2/<repo>/<path> with authentication. Returns a 200 response or a mapped error;
  // `what` names the object for messages ("manifest x:1.0", "blob sha256:...").
  Result<HttpResponse> get(const std::string& path, const std::string& what, bool manifest,
                           bool stream, size_t max_body) const {
    HttpRequest req;
    req.url = base_ + "/v2/" + ref_.repository + "/" + path;
    req.insecure_tls = insecure_;
    if (manifest) req.headers.push_back(kManifestAccept);
    std::string auth = cached_auth();
    for (int attempt = 0; attempt < 2; ++attempt) {
      HttpRequest r = req;
      if (!auth.empty()) r.headers.push_back("Authorization: " + auth);
      auto resp = stream ? http_open(r) : http_get(r, max_body);
      if (!resp.ok()) return std::move(resp).error().wrap(prefix());
      if (resp->status == 401 && attempt == 0) {
        auto challenge_header = resp->headers.find("www-authenticate");
        if (challenge_header == resp->headers.end()) break;
        HIVESEC_TRY(std::string fresh, authenticate(challenge_header->second));
        if (fresh.empty() || fresh == auth) break;
        auth = fresh;
        continue;
      }
      return map_status(std::move(resp).value(), what);
    }
    return auth_required();
  }

  std::string prefix() const { return "registry " + ref_.domain; }

 private:
  Error auth_required() const {
    return make_error(Errc::kAuth, "{}: authentication required for repository {} (401)", prefix(),
                      ref_.repository);
  }

  Result<HttpResponse> map_status(HttpResponse resp, const std::string& what) const {
    switch (resp.status) {
      case 200:
        return resp;
      case 401:
        return auth_required();
      case 403:
        return make_error(Errc::kAuth, "{}: access to repository {} denied (403)", prefix(),
                          ref_.repository);
      case 404:
        return make_error(Errc::kNotFound, "{}: {} not found in repository {} (404)", prefix(),
                          what, ref_.repository);
      case 429:
        return make_error(Errc::kNetwork, "{}: too many requests (429)", prefix());
      default:
        return make_error(Errc::kNetwork, "{}: unexpected HTTP {} for {}", prefix(), resp.status,
                          what);
    }
  }

  std::string cached_auth() const {
    std::lock_guard lock(mu_);
    return auth_;
  }

  std::string basic_header() const {
    return "Basic " + base64_encode(creds_->username + ":" + creds_->password);
  }

  // Answers a 401 challenge: returns the Authorization value to retry with ("" if none).
  Result<std::string> authenticate(const std::string& header) const {
    auto challenge = parse_www_authenticate(header);
    if (!challenge.ok()) return std::move(challenge).error().wrap(prefix());
    std::string auth;
    if (challenge->scheme == "basic") {
      if (!creds_) return auth_required();
      auth = basic_header();
    } else if (challenge->scheme == "bearer") {
      HIVESEC_TRY(auth, fetch_token(*challenge));
    } else {
      return make_error(Errc::kUnsupported, "{}: unsupported authentication scheme {}", prefix(),
                        challenge->scheme);
    }
    std::lock_guard lock(mu_);
    auth_ = auth;
    return auth;
  }

  Result<std::string> fetch_token(const AuthChallenge& c) const {
    auto realm = c.params.find("realm");
    if (realm == c.params.end() || realm->second.empty()) {
      return make_error(Errc::kAuth, "{}: bearer challenge without realm", prefix());
    }
    std::string url = realm->second;
    char sep = url.find('?') == std::string::npos ? '?' : '&';
    if (auto s = c.params.find("service"); s != c.params.end()) {
      url += sep + std::string("service=") + url_escape(s->second);
      sep = '&';
    }
    auto s = c.params.find("scope");
    std::string scope = s != c.params.end() ? s->second : "repository:" + ref_.repository + ":pull";
    url += sep + std::string("scope=") + url_escape(scope);
    HttpRequest req;
    req.url = url;
    req.insecure_tls = insecure_;
    if (creds_) req.headers.push_back("Authorization: " + basic_header());
    auto resp = http_get(req, kMaxTokenReply);
    if (!resp.ok()) return std::move(resp).error().wrap(prefix() + ": token request");
    if (resp->status == 401 || resp->status == 403) {
      return make_error(Errc::kAuth,
                        "{}: authentication failed for repository {} (token endpoint answered "
                        "{}{})",
                        prefix(), ref_.repository, resp->status,
                        creds_ ? ", wrong credentials?" : ", credentials needed");
    }
    if (resp->status != 200) {
      return make_error(Errc::kNetwork, "{}: token endpoint {} answered HTTP {}", prefix(),
                        realm->second, resp->status);
    }
    nlohmann::json j = nlohmann::json::parse(resp->body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return make_error(Errc::kAuth, "{}: token endpoint reply is not JSON", prefix());
    }
    for (const char* key : {"token", "access_token"}) {
      auto it = j.find(key);
      if (it != j.end() && it->is_string() && !it->get<std::string>().empty()) {
        return "Bearer " + it->get<std::string>();
      }
    }
    return make_error(Errc::kAuth, "{}: token endpoint reply has no token", prefix());
  }

  RegistryRef ref_;
  std::optional<Credentials> creds_;
  bool insecure_;
  std::string base_;
  mutable std::mutex mu_;
  mutable std::string auth_;  // one client per repository, so one cached Authorization
};

Status check_digest(std::string_view body, const std::string& digest, const std::string& what) {
  if (digest.rfind("sha256:", 0) != 0) {
    return make_error(Errc::kUnsupported, "{}: digest algorithm of {} not supported", what, digest);
  }
  std::string actual = sha256_digest(body);
  if (actual != digest) {
    return make_error(Errc::kCorrupt, "{}: digest mismatch (expected {}, got {})", what, digest,
                      actual);
  }
  return ok_status();
}

class RegistryBlobStore final : public BlobStore {
 public:
  explicit RegistryBlobStore(std::shared_ptr<const RegistryClient> client)
      : client_(std::move(client)) {}

  // Remembers the manifests an index points at, so read_blob fetches them from /manifests/.
  void note_children(std::string_view json_text) const {
    nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
    if (!j.is_object()) return;
    auto m = j.find("manifests");
    if (m == j.end() || !m->is_array()) return;
    std::lock_guard lock(mu_);
    for (const auto& e : *m) {
      if (manifests_.size() >= kMaxChildManifests) break;
      if (e.is_object() && e.contains("digest") && e["digest"].is_string()) {
        manifests_.insert(e["digest"].get<std::string>());
      }
    }
  }

  Result<std::string> read_blob(const std::string& digest, size_t max_bytes) const override {
    HIVESEC_TRY_STATUS(validate_digest(digest));
    bool is_manifest;
    {
      std::lock_guard lock(mu_);
      is_manifest = manifests_.count(digest) > 0;
    }
    auto resp = fetch(digest, max_bytes, is_manifest);
    if (!resp.ok() && !is_manifest && resp.error().code == Errc::kNotFound) {
      resp = fetch(digest, max_bytes, true);
    }
    if (!resp.ok()) return std::move(resp).error();
    HIVESEC_TRY_STATUS(check_digest(resp->body, digest, client_->prefix()));
    if (is_manifest) note_children(resp->body);
    return std::move(resp->body);
  }

  Result<std::unique_ptr<ByteStream>> open_blob(const std::string& digest,
                                                int64_t size) const override {
    HIVESEC_TRY_STATUS(validate_digest(digest));
    HIVESEC_TRY(HttpResponse resp, client_->get("blobs/" + digest, "blob " + digest, false,
                                                /*stream=*/true, 0));
    return verifying_stream(std::move(resp.stream), digest, size,
                            client_->prefix() + ": blob " + digest);
  }

 private:
  Result<HttpResponse> fetch(const std::string& digest, size_t max_bytes, bool manifest) const {
    return client_->get((manifest ? "manifests/" : "blobs/") + digest,
                        (manifest ? "manifest " : "blob ") + digest, manifest, false, max_bytes);
  }

  std::shared_ptr<const RegistryClient> client_;
  mutable std::mutex mu_;
  mutable std::set<std::string> manifests_;
};

Result<std::optional<Credentials>> credentials_for(const RegistryRef& ref,
                                                   const SourceOptions& opts) {
  if (!opts.username.empty()) {
    return std::optional<Credentials>(Credentials{opts.username, opts.password});
  }
  std::string path = docker_config_path();
  if (path.empty()) return std::optional<Credentials>{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::optional<Credentials>{};
  std::ostringstream text;
  text << in.rdbuf();
  auto found = find_docker_config_credentials(text.str(), ref);
  if (!found.ok()) return std::move(found).error().wrap(path);
  return found;
}

}  // namespace

Result<std::unique_ptr<ImageSource>> open_registry_image(const std::string& ref_text,
                                                         const SourceOptions& opts) {
  HIVESEC_TRY(RegistryRef ref, parse_registry_ref(ref_text));
  HIVESEC_TRY(std::optional<Credentials> creds, credentials_for(ref, opts));
  auto client = std::make_shared<const RegistryClient>(ref, std::move(creds), opts.insecure);
  std::string what = "manifest " + ref.reference();
  HIVESEC_TRY(HttpResponse top, client->get("manifests/" + ref.reference(), what,
                                            /*manifest=*/true, false, kMaxManifestBytes));
  std::string top_digest = ref.digest;
  if (top_digest.empty()) {
    top_digest = sha256_digest(top.body);
    auto header = top.headers.find("docker-content-digest");
    if (header != top.headers.end() && header->second.rfind("sha256:", 0) == 0 &&
        header->second != top_digest) {
      return make_error(Errc::kCorrupt, "{}: {}: digest mismatch (registry says {}, body is {})",
                        client->prefix(), what, header->second, top_digest);
    }
  } else {
    HIVESEC_TRY_STATUS(check_digest(top.body, top_digest, client->prefix() + ": " + what));
  }
  auto store = std::make_shared<RegistryBlobStore>(client);
  store->note_children(top.body);
  auto meta = resolve_oci_image(*store, top.body, top_digest, opts.platform);
  if (!meta.ok()) return std::move(meta).error().wrap(client->prefix() + ": " + ref_text);
  meta->name = ref_text;
  meta->source = "registry";
  meta->repo_tags.clear();
  meta->repo_digests.clear();
  if (!ref.tag.empty()) meta->repo_tags.push_back(ref.familiar_name() + ":" + ref.tag);
  meta->repo_digests.push_back(ref.familiar_name() + "@" + top_digest);
  return make_blob_store_source(std::move(store), std::move(meta).value());
}

bool detect_registry_ref(const std::string& ref) {
  struct stat st;
  if (::stat(ref.c_str(), &st) == 0) return false;
  return looks_like_registry_ref(ref);
}

SourceKind registry_source_kind() {
  return SourceKind{"registry", &detect_registry_ref, &open_registry_image};
}

}  // namespace hivesec::image

#include "scan/layer_codec.h"

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

namespace hivesec::scan {
namespace {

constexpr char kMagic[4] = {'H', 'V', 'L', 'C'};
constexpr uint64_t kFormat = 2;  // 2: findings

class Writer {
 public:
  void u(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void s(std::string_view v) {
    u(v.size());
    out_.append(v);
  }
  void strs(const std::vector<std::string>& v) {
    u(v.size());
    for (const auto& x : v) s(x);
  }
  void map(const std::map<std::string, std::string>& m) {
    u(m.size());
    for (const auto& [k, v] : m) {
      s(k);
      s(v);
    }
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }

  uint64_t u() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return fail();
      auto b = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    return fail();
  }
  // A count of items that each take at least one byte: never more than the bytes left.
  size_t count() {
    uint64_t n = u();
    if (n > in_.size() - pos_) return static_cast<size_t>(fail());
    return static_cast<size_t>(n);
  }
  std::string s() {
    size_t n = count();
    if (!ok_) return {};
    std::string v(in_.substr(pos_, n));
    pos_ += n;
    return v;
  }
  std::vector<std::string> strs() {
    std::vector<std::string> v(count());
    for (auto& x : v) x = s();
    return v;
  }
  std::map<std::string, std::string> map() {
    std::map<std::string, std::string> m;
    for (size_t n = count(); n > 0 && ok_; --n) {
      std::string k = s();
      m.emplace(std::move(k), s());
    }
    return m;
  }

 private:
  uint64_t fail() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void put_package(Writer& w, const model::Package& p) {
  for (const std::string* f :
       {&p.type, &p.name, &p.version, &p.namespace_, &p.arch, &p.source_name, &p.source_version,
        &p.purl, &p.found_by, &p.location, &p.layer, &p.owner}) {
    w.s(*f);
  }
  w.strs(p.licenses);
  w.strs(p.files);
  w.u(p.dev ? 1 : 0);
  w.map(p.metadata);
}

model::Package get_package(Reader& r) {
  model::Package p;
  for (std::string* f :
       {&p.type, &p.name, &p.version, &p.namespace_, &p.arch, &p.source_name, &p.source_version,
        &p.purl, &p.found_by, &p.location, &p.layer, &p.owner}) {
    *f = r.s();
  }
  p.licenses = r.strs();
  p.files = r.strs();
  p.dev = r.u() != 0;
  p.metadata = r.map();
  return p;
}

}  // namespace

std::string encode_layer_result(const LayerResult& r) {
  Writer w;
  w.out().append(kMagic, sizeof(kMagic));
  w.u(kFormat);
  w.s(r.diff_id);
  const auto& o = r.output;
  w.u(o.packages.size());
  for (const auto& p : o.packages) put_package(w, p);
  w.u(o.os.size());
  for (const auto& c : o.os) {
    for (const std::string* f :
         {&c.os.family, &c.os.name, &c.os.version, &c.os.codename, &c.os.source}) {
      w.s(*f);
    }
    w.u(static_cast<uint64_t>(static_cast<int64_t>(c.priority)));
  }
  w.u(o.package_files.size());
  for (const auto& f : o.package_files) {
    w.s(f.type);
    w.s(f.package);
    w.s(f.location);
    w.strs(f.files);
  }
  w.u(o.package_licenses.size());
  for (const auto& l : o.package_licenses) {
    w.s(l.type);
    w.s(l.package);
    w.strs(l.licenses);
  }
  w.strs(o.notes);
  // Findings are few and varied: one JSON string.
  w.s(o.findings.empty() ? std::string() : nlohmann::json(o.findings).dump());
  w.strs(r.analyzed_paths);
  w.strs(r.whiteouts);
  w.strs(r.opaque_dirs);
  w.map(r.symlinks);
  w.u(static_cast<uint64_t>(r.entries));
  w.u(static_cast<uint64_t>(r.bytes));
  return std::move(w.out());
}

Result<LayerResult> decode_layer_result(std::string_view bytes) {
  if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return make_error(Errc::kCorrupt, "layer cache entry: bad magic");
  }
  Reader r(bytes.substr(sizeof(kMagic)));
  if (r.u() != kFormat) return make_error(Errc::kCorrupt, "layer cache entry: unknown format");
  LayerResult out;
  out.diff_id = r.s();
  auto& o = out.output;
  o.packages.resize(r.count());
  for (auto& p : o.packages) p = get_package(r);
  o.os.resize(r.count());
  for (auto& c : o.os) {
    for (std::string* f : {&c.os.family, &c.os.name, &c.os.version, &c.os.codename, &c.os.source}) {
      *f = r.s();
    }
    c.priority = static_cast<int>(static_cast<int64_t>(r.u()));
  }
  o.package_files.resize(r.count());
  for (auto& f : o.package_files) {
    f.type = r.s();
    f.package = r.s();
    f.location = r.s();
    f.files = r.strs();
  }
  o.package_licenses.resize(r.count());
  for (auto& l : o.package_licenses) {
    l.type = r.s();
    l.package = r.s();
    l.licenses = r.strs();
  }
  o.notes = r.strs();
  if (std::string findings = r.s(); !findings.empty()) {
    auto doc = nlohmann::json::parse(findings, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_array()) return make_error(Errc::kCorrupt, "layer cache entry: bad findings");
    try {
      doc.get_to(o.findings);
    } catch (const nlohmann::json::exception&) {
      return make_error(Errc::kCorrupt, "layer cache entry: bad findings");
    }
  }
  out.analyzed_paths = r.strs();
  out.whiteouts = r.strs();
  out.opaque_dirs = r.strs();
  out.symlinks = r.map();
  out.entries = static_cast<int64_t>(r.u());
  out.bytes = static_cast<int64_t>(r.u());
  if (!r.ok() || !r.at_end()) return make_error(Errc::kCorrupt, "layer cache entry: truncated");
  return out;
}

}  // namespace hivesec::scan

#include "secrets/engine.h"

#include <hs/hs.h>

#include <algorithm>
#include <atomic>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <tuple>

#include "common/blob_cache.h"
#include "common/hash.h"

namespace hivesec::secrets {

namespace {

constexpr std::string_view kDatabaseMagic = "HIVESEC-HSDB 1\n";
// Submatches requested from RE2 at most (the secret group's index + 1).
constexpr int kMaxSubmatch = 32;
constexpr std::string_view kMetaMagic = "HIVESEC-SECRET-META 1\n";

// What compiling a rule's regex tells (Hyperscan flags and width, RE2 capture groups), cached
// on disk next to the databases so a warm start needs neither library to analyse the rules.
struct RuleMeta {
  unsigned flags = 0;
  uint64_t window = 0;
  std::vector<int> secret_groups;
};

std::string format_meta(const std::vector<RuleMeta>& metas) {
  std::string out;
  for (const RuleMeta& m : metas) {
    out += fmt::format("{} {}", m.flags, m.window);
    for (int g : m.secret_groups) out += fmt::format(" {}", g);
    out += '\n';
  }
  return out;
}

// nullopt unless every line is well formed and there is one per rule.
std::optional<std::vector<RuleMeta>> parse_meta(std::string_view text, size_t nrules) {
  std::vector<RuleMeta> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return std::nullopt;
    std::string line(text.substr(0, nl));
    text.remove_prefix(nl + 1);
    RuleMeta m;
    std::istringstream in(line);
    if (!(in >> m.flags >> m.window) || m.window == 0 || m.window > kMaxWindow) return std::nullopt;
    int g;
    while (in >> g) {
      if (g < 0 || g >= kMaxSubmatch) return std::nullopt;
      m.secret_groups.push_back(g);
    }
    if (!in.eof() || m.secret_groups.empty()) return std::nullopt;
    out.push_back(std::move(m));
  }
  if (out.size() != nrules) return std::nullopt;
  return out;
}

// Hyperscan may report a match a few bytes after its end was scanned (assertions such as \b or
// $ need the next byte); groups stay open that much longer so chunking cannot split them.
constexpr uint64_t kLookahead = 16;
// Longest run of candidate ends confirmed as one group (bounds the buffer).
constexpr uint64_t kMaxGroupSpan = 64 << 10;
// The buffer is trimmed only when this much can go (avoids moving it for every small chunk).
constexpr size_t kTrimSlack = 64 << 10;

// File names that are never text worth scanning (compiled code, archives, media, fonts).
constexpr std::array<std::string_view, 42> kSkippedSuffixes = {
    ".so",   ".a",    ".o",     ".ko",   ".pyc",  ".pyo",  ".class", ".jar",  ".war",
    ".ear",  ".whl",  ".egg",   ".zip",  ".gz",   ".tgz",  ".xz",    ".bz2",  ".zst",
    ".lz4",  ".7z",   ".deb",   ".rpm",  ".png",  ".jpg",  ".jpeg",  ".gif",  ".bmp",
    ".ico",  ".webp", ".tif",   ".tiff", ".ttf",  ".otf",  ".woff",  ".woff2", ".eot",
    ".pcf",  ".mo",   ".wasm",  ".mp3",  ".mp4",  ".ogg"};

bool has_skipped_name(std::string_view path) {
  std::string_view base = path.substr(path.rfind('/') + 1);
  for (std::string_view s : kSkippedSuffixes) {
    if (base.size() > s.size() && base.ends_with(s)) return true;
  }
  // Versioned shared objects: libfoo.so.1, libfoo.so.1.2.3
  size_t so = base.find(".so.");
  if (so != std::string_view::npos && so > 0) {
    std::string_view rest = base.substr(so + 4);
    return !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) {
      return (c >= '0' && c <= '9') || c == '.';
    });
  }
  return false;
}

bool contains_ci(std::string_view hay, std::string_view needle_lower) {
  if (needle_lower.size() > hay.size()) return false;
  return std::search(hay.begin(), hay.end(), needle_lower.begin(), needle_lower.end(),
                     [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) == b;
                     }) != hay.end();
}

bool any_stopword(std::string_view secret, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return contains_ci(secret, w); });
}

// One RE2 matching any of `list` ("" -> null).
Result<std::unique_ptr<re2::RE2>> alternation(const std::vector<std::string>& list) {
  if (list.empty()) return std::unique_ptr<re2::RE2>();
  std::string joined;
  for (const auto& re : list) joined += (joined.empty() ? "(?:" : "|(?:") + re + ")";
  return compile_plain_regex(joined);
}

bool search(const std::unique_ptr<re2::RE2>& re, std::string_view text) {
  return re && re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re);
}

struct CompiledRule {
  // The confirmation regex, built on the rule's first candidate (most rules never see one in
  // an image, and building 240 RE2s costs more than the rest of the start-up): `once` guards
  // it across the scanning threads.
  mutable std::unique_ptr<re2::RE2> re;
  std::unique_ptr<std::once_flag> once = std::make_unique<std::once_flag>();
  // Submatch indexes that may hold the secret, first participating wins: groups named
  // `secret`/`secretN`, else group 1, else the whole match (0).
  std::vector<int> secret_groups;
  int nsub = 1;
  uint64_t window = kMaxWindow;
  std::unique_ptr<re2::RE2> paths;
  std::unique_ptr<re2::RE2> allow_paths;
  std::unique_ptr<re2::RE2> allow_values;
};

struct ScratchHolder {
  hs_scratch_t* scratch = nullptr;
  std::vector<uint64_t> fitted;  // database keys the scratch has been sized for
  ~ScratchHolder() {
    if (scratch) hs_free_scratch(scratch);
  }
};

// Every database gets a key never reused in this process (an address could be).
std::atomic<uint64_t> g_database_keys{1};

// A scratch space for this thread big enough for `db` (hs_alloc_scratch grows it as needed and
// the grown scratch still fits the earlier databases). hs_alloc_scratch is slow even when
// nothing needs to grow, so each thread remembers which databases its scratch already fits.
hs_scratch_t* thread_scratch(const hs_database_t* db, uint64_t key) {
  thread_local ScratchHolder holder;
  if (holder.scratch &&
      std::find(holder.fitted.begin(), holder.fitted.end(), key) != holder.fitted.end()) {
    return holder.scratch;
  }
  if (hs_alloc_scratch(db, &holder.scratch) != HS_SUCCESS) return nullptr;
  holder.fitted.push_back(key);
  return holder.scratch;
}

class EngineImpl;

class StreamImpl final : public Stream {
 public:
  StreamImpl(const EngineImpl& engine, std::vector<uint8_t> active, std::vector<uint8_t> selected,
             bool text);
  ~StreamImpl() override;
  Status feed(std::string_view chunk) override;
  Result<StreamResult> finish() override;
  void set_block(bool block) { block_ = block; }

 private:
  struct Group {
    uint64_t first = 0;
    uint64_t last = 0;
  };
  struct Entry {
    uint64_t offset = 0;
    uint64_t length = 0;
    size_t rule = 0;
    int line = 0;
    std::string masked;
  };

  static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                      unsigned int flags, void* ctx);
  void candidate(size_t rule, uint64_t end);
  bool skip_binary();
  Status start();
  Status scan_block();
  Status scan(std::string_view data);
  void settle(bool at_eof);
  void confirm(size_t rule, const Group& g);
  void record(size_t rule, uint64_t offset, int line, std::string_view secret);
  void drop_generic_overlaps();
  void trim();
  int line_at(uint64_t offset);

  const EngineImpl& e_;
  std::vector<uint8_t> active_;    // per rule: applies to this file
  std::vector<uint8_t> selected_;  // per rule: its `paths` select this file (binary files)
  bool text_ = false;
  bool block_ = false;  // buffer everything, then one block-mode scan (StreamOptions::size_hint)
  bool started_ = false;
  bool done_ = false;    // nothing more to do (no rule applies)
  bool binary_ = false;
  hs_stream_t* hs_ = nullptr;

  std::string buf_;          // file bytes [base_, end_) (before start: the first bytes)
  uint64_t base_ = 0;
  uint64_t end_ = 0;
  uint64_t lines_before_base_ = 0;
  uint64_t cursor_ = 0;        // a position in the buffer whose line is known
  uint64_t cursor_line_ = 1;   // the 1-based line of cursor_
  std::vector<std::optional<Group>> open_;       // per rule
  std::vector<std::pair<size_t, Group>> closed_;  // waiting for bytes past them
  std::map<std::tuple<size_t, int, size_t>, Entry> found_;  // (rule, line, hash(secret))
  bool truncated_ = false;
};

class EngineImpl final : public Engine {
 public:
  ~EngineImpl() override {
    if (db_) hs_free_database(db_);
    if (block_db_) hs_free_database(block_db_);
  }

  const RuleSet& rules() const override { return rules_; }

  bool skips_path(std::string_view path) const override {
    return has_skipped_name(path) || search(allow_paths_, path);
  }

  Result<std::unique_ptr<Stream>> open(std::string_view path,
                                       StreamOptions options) const override {
    std::vector<uint8_t> active(compiled_.size(), 1);
    std::vector<uint8_t> selected(compiled_.size(), 0);
    bool global_skip = !options.ignore_paths && search(allow_paths_, path);
    for (size_t i = 0; i < compiled_.size(); ++i) {
      const CompiledRule& c = compiled_[i];
      if (global_skip || !db_) {
        active[i] = 0;
        continue;
      }
      if (options.ignore_paths) continue;
      if (c.paths) {
        selected[i] = search(c.paths, path);
        active[i] = selected[i];
      }
      if (active[i] && search(c.allow_paths, path)) active[i] = 0;
    }
    auto stream =
        std::make_unique<StreamImpl>(*this, std::move(active), std::move(selected), options.text);
    stream->set_block(options.size_hint >= 0 && options.size_hint <= kBlockMax);
    return std::unique_ptr<Stream>(std::move(stream));
  }

  Status compile(RuleSet rules, const std::string& cache_dir) {
    rules_ = std::move(rules);
    HIVESEC_TRY(allow_paths_, alternation(rules_.allow.paths));
    HIVESEC_TRY(allow_values_, alternation(rules_.allow.values));
    stopwords_ = rules_.allow.stopwords;
    std::vector<unsigned> flags;
    std::string meta_path;
    if (!cache_dir.empty()) {
      std::string key = fmt::format("{}\n{}\n", hs_version(), kMetaMagic);
      for (const Rule& r : rules_.rules) key += fmt::format("{}\t{}\n", r.case_insensitive, r.regex);
      meta_path = fmt::format("{}/secrets/{}.meta", cache_dir, sha256_hex(key));
    }
    std::optional<std::vector<RuleMeta>> cached;
    if (!meta_path.empty()) {
      if (auto blob = read_checked_blob(meta_path, kMetaMagic)) {
        cached = parse_meta(*blob, rules_.rules.size());
      }
    }
    std::vector<RuleMeta> metas;
    for (size_t i = 0; i < rules_.rules.size(); ++i) {
      const Rule& r = rules_.rules[i];
      auto where = [&](std::string_view reason) {
        return make_error(Errc::kInvalidArgument, "{}:{}: rule {}: {}", r.file, r.line, r.id,
                          reason);
      };
      CompiledRule c;
      HIVESEC_TRY(c.paths, alternation(r.paths));
      HIVESEC_TRY(c.allow_paths, alternation(r.allow.paths));
      HIVESEC_TRY(c.allow_values, alternation(r.allow.values));
      if (cached) {  // analysed before, exactly these regexes: RE2 waits for a candidate
        const RuleMeta& m = (*cached)[i];
        c.window = m.window;
        c.secret_groups = m.secret_groups;
        c.nsub = c.secret_groups.back() + 1;
        flags.push_back(m.flags);
        compiled_.push_back(std::move(c));
        continue;
      }
      auto re = compile_rule_regex(r.regex, r.case_insensitive);
      if (!re.ok()) return where(fmt::format("regex: {}", re.error().message));
      c.re = std::move(re).value();
      for (const auto& [name, index] : c.re->NamedCapturingGroups()) {
        std::string_view rest = std::string_view(name).substr(std::min<size_t>(6, name.size()));
        if (name.starts_with("secret") &&
            std::all_of(rest.begin(), rest.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
          c.secret_groups.push_back(index);
        }
      }
      std::sort(c.secret_groups.begin(), c.secret_groups.end());
      if (c.secret_groups.empty()) c.secret_groups.push_back(c.re->NumberOfCapturingGroups() >= 1 ? 1 : 0);
      c.nsub = c.secret_groups.back() + 1;
      if (c.nsub > kMaxSubmatch) return where("the secret group must be among the first 31 groups");
      unsigned f = HS_FLAG_MULTILINE | (r.case_insensitive ? HS_FLAG_CASELESS : 0u);
      hs_expr_info_t* info = nullptr;
      hs_compile_error_t* err = nullptr;
      if (hs_expression_info(r.regex.c_str(), f, &info, &err) != HS_SUCCESS) {
        hs_free_compile_error(err);
        err = nullptr;
        f |= HS_FLAG_PREFILTER;
        if (hs_expression_info(r.regex.c_str(), f, &info, &err) != HS_SUCCESS) {
          std::string msg = err ? err->message : "refused";
          hs_free_compile_error(err);
          return where(fmt::format("Hyperscan cannot compile the regex: {}", msg));
        }
      }
      if (info) {
        if (info->max_width != UINT_MAX) {
          c.window = std::min<uint64_t>(kMaxWindow, std::max<uint64_t>(info->max_width, 1));
        }
        if (info->min_width == 0) {
          free(info);
          return where("the regex can match the empty string");
        }
        free(info);
      }
      flags.push_back(f);
      metas.push_back(RuleMeta{f, c.window, c.secret_groups});
      compiled_.push_back(std::move(c));
    }
    if (!cached && !meta_path.empty() && !metas.empty()) {
      write_checked_blob(meta_path, kMetaMagic, format_meta(metas));
    }
    if (compiled_.empty()) return ok_status();
    for (const auto& c : compiled_) max_window_ = std::max(max_window_, c.window);
    std::vector<const char*> patterns;
    std::vector<unsigned> ids;
    for (size_t i = 0; i < rules_.rules.size(); ++i) {
      patterns.push_back(rules_.rules[i].regex.c_str());
      ids.push_back(static_cast<unsigned>(i));
    }
    // Compiling hundreds of patterns takes most of a second: the databases are cached on disk,
    // keyed by everything that goes into them (Hyperscan version, mode, patterns, flags, ids).
    // Patterns Hyperscan refuses exactly are retried as prefilters (streaming mode decides).
    auto cache_path = [&](unsigned mode) -> std::string {
      if (cache_dir.empty()) return {};
      std::string key = fmt::format("{}\nmode {}\n", hs_version(), mode);
      for (size_t i = 0; i < patterns.size(); ++i) {
        key += fmt::format("{}\t{}\t{}\n", ids[i], flags[i], patterns[i]);
      }
      return fmt::format("{}/secrets/{}.hsdb", cache_dir, sha256_hex(key));
    };
    auto load = [&](unsigned mode, hs_database_t** db) {
      std::string path = cache_path(mode);
      if (path.empty()) return false;
      auto blob = read_checked_blob(path, kDatabaseMagic);
      if (!blob) return false;
      if (hs_deserialize_database(blob->data(), blob->size(), db) == HS_SUCCESS) return true;
      *db = nullptr;
      return false;
    };
    auto save = [&](unsigned mode, hs_database_t* db) {
      std::string path = cache_path(mode);
      char* bytes = nullptr;
      size_t length = 0;
      if (!path.empty() && hs_serialize_database(db, &bytes, &length) == HS_SUCCESS) {
        write_checked_blob(path, kDatabaseMagic, std::string_view(bytes, length));
        free(bytes);
      }
    };
    auto compile_mode = [&](unsigned mode, hs_database_t** db, hs_compile_error_t** err) {
      return hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                              static_cast<unsigned>(patterns.size()), mode, nullptr, db, err);
    };
    bool have_stream = load(HS_MODE_STREAM, &db_);
    for (int attempt = 0; !have_stream && attempt <= static_cast<int>(patterns.size()); ++attempt) {
      hs_compile_error_t* err = nullptr;
      if (compile_mode(HS_MODE_STREAM, &db_, &err) == HS_SUCCESS) {
        save(HS_MODE_STREAM, db_);
        have_stream = true;
        break;
      }
      int bad = err ? err->expression : -1;
      std::string msg = err ? err->message : "unknown error";
      hs_free_compile_error(err);
      db_ = nullptr;
      if (bad < 0 || bad >= static_cast<int>(flags.size())) {
        return make_error(Errc::kInternal, "Hyperscan: cannot compile the secret rules: {}", msg);
      }
      const Rule& r = rules_.rules[static_cast<size_t>(bad)];
      if (flags[static_cast<size_t>(bad)] & HS_FLAG_PREFILTER) {
        return make_error(Errc::kInvalidArgument, "{}:{}: rule {}: Hyperscan cannot compile the regex: {}",
                          r.file, r.line, r.id, msg);
      }
      flags[static_cast<size_t>(bad)] |= HS_FLAG_PREFILTER;
    }
    if (!have_stream) return make_error(Errc::kInternal, "Hyperscan: cannot compile the secret rules");
    if (!load(HS_MODE_BLOCK, &block_db_)) {
      hs_compile_error_t* err = nullptr;
      if (compile_mode(HS_MODE_BLOCK, &block_db_, &err) != HS_SUCCESS) {
        std::string msg = err ? err->message : "unknown error";
        hs_free_compile_error(err);
        block_db_ = nullptr;
        return make_error(Errc::kInternal, "Hyperscan: cannot compile the secret rules: {}", msg);
      }
      save(HS_MODE_BLOCK, block_db_);
    }
    return ok_status();
  }

  // Rule `i`'s confirmation regex, built on first use (thread-safe); null if RE2 refuses it
  // (it accepted the same regex when the cached analysis was made).
  const re2::RE2* rule_regex(size_t i) const {
    const CompiledRule& c = compiled_[i];
    std::call_once(*c.once, [&] {
      if (c.re) return;
      auto re = compile_rule_regex(rules_.rules[i].regex, rules_.rules[i].case_insensitive);
      if (re.ok()) c.re = std::move(re).value();
    });
    return c.re.get();
  }

  RuleSet rules_;
  std::vector<CompiledRule> compiled_;
  hs_database_t* db_ = nullptr;        // streaming mode
  hs_database_t* block_db_ = nullptr;  // the same patterns in block mode (small inputs)
  uint64_t stream_key_ = g_database_keys.fetch_add(1);  // for thread_scratch
  uint64_t block_key_ = g_database_keys.fetch_add(1);
  std::unique_ptr<re2::RE2> allow_paths_;
  std::unique_ptr<re2::RE2> allow_values_;
  std::vector<std::string> stopwords_;
  uint64_t max_window_ = 1;
};

StreamImpl::StreamImpl(const EngineImpl& engine, std::vector<uint8_t> active,
                       std::vector<uint8_t> selected, bool text)
    : e_(engine), active_(std::move(active)), selected_(std::move(selected)), text_(text) {
  open_.resize(active_.size());
  done_ = std::none_of(active_.begin(), active_.end(), [](uint8_t a) { return a != 0; });
}

StreamImpl::~StreamImpl() {
  if (hs_) hs_close_stream(hs_, nullptr, nullptr, nullptr);
}

int StreamImpl::on_match(unsigned int id, unsigned long long /*from*/, unsigned long long to,
                         unsigned int /*flags*/, void* ctx) {
  auto* self = static_cast<StreamImpl*>(ctx);
  if (id < self->active_.size() && self->active_[id]) self->candidate(id, to);
  return 0;
}

void StreamImpl::candidate(size_t rule, uint64_t end) {
  auto& g = open_[rule];
  uint64_t window = e_.compiled_[rule].window;
  if (g) {
    if (end >= g->first && end <= g->last + window && end - g->first <= kMaxGroupSpan) {
      g->last = std::max(g->last, end);
      return;
    }
    if (end < g->first && g->last - end <= kMaxGroupSpan) {  // reported out of order
      g->first = end;
      return;
    }
    closed_.emplace_back(rule, *g);
  }
  g = Group{end, end};
}

Status StreamImpl::scan(std::string_view data) {
  if (data.empty()) return ok_status();
  hs_scratch_t* scratch = thread_scratch(e_.db_, e_.stream_key_);
  if (!scratch) return make_error(Errc::kInternal, "Hyperscan: cannot allocate scratch space");
  if (hs_scan_stream(hs_, data.data(), static_cast<unsigned>(data.size()), 0, scratch, on_match,
                     this) != HS_SUCCESS) {
    return make_error(Errc::kInternal, "Hyperscan: stream scan failed");
  }
  end_ += data.size();
  return ok_status();
}

// Looks at the first bytes: a binary file keeps only the rules that select it by path. True
// when no rule is left (the file is done).
bool StreamImpl::skip_binary() {
  size_t sniff = std::min(buf_.size(), kBinarySniff);
  if (text_ || std::memchr(buf_.data(), 0, sniff) == nullptr) return false;
  binary_ = true;
  for (size_t i = 0; i < active_.size(); ++i) active_[i] = active_[i] && selected_[i];
  if (std::any_of(active_.begin(), active_.end(), [](uint8_t a) { return a != 0; })) return false;
  done_ = true;
  std::string().swap(buf_);
  return true;
}

Status StreamImpl::start() {
  started_ = true;
  if (skip_binary()) return ok_status();
  if (hs_open_stream(e_.db_, 0, &hs_) != HS_SUCCESS) {
    hs_ = nullptr;
    return make_error(Errc::kInternal, "Hyperscan: cannot open a stream");
  }
  HIVESEC_TRY_STATUS(scan(buf_));
  settle(false);
  return ok_status();
}

// The whole input is in buf_: one block-mode scan, then every candidate group is complete.
Status StreamImpl::scan_block() {
  started_ = true;
  if (skip_binary() || buf_.empty()) return ok_status();
  hs_scratch_t* scratch = thread_scratch(e_.block_db_, e_.block_key_);
  if (!scratch) return make_error(Errc::kInternal, "Hyperscan: cannot allocate scratch space");
  if (hs_scan(e_.block_db_, buf_.data(), static_cast<unsigned>(buf_.size()), 0, scratch, on_match,
              this) != HS_SUCCESS) {
    return make_error(Errc::kInternal, "Hyperscan: block scan failed");
  }
  end_ = buf_.size();
  settle(true);
  return ok_status();
}

Status StreamImpl::feed(std::string_view chunk) {
  if (done_) return ok_status();
  while (chunk.size() > (1u << 30)) {  // Hyperscan takes an unsigned length
    HIVESEC_TRY_STATUS(feed(chunk.substr(0, 1u << 30)));
    chunk.remove_prefix(1u << 30);
  }
  buf_.append(chunk);
  if (!started_) {
    // Block mode waits for the end; an input longer than its hint falls back to streaming.
    if (block_ && buf_.size() <= static_cast<size_t>(kBlockMax)) return ok_status();
    block_ = false;
    if (buf_.size() < kBinarySniff) return ok_status();
    return start();
  }
  HIVESEC_TRY_STATUS(scan(chunk));
  settle(false);
  return ok_status();
}

void StreamImpl::settle(bool at_eof) {
  auto complete = [&](size_t rule, const Group& g) {
    return at_eof || end_ > g.last + e_.compiled_[rule].window + kLookahead;
  };
  for (size_t r = 0; r < open_.size(); ++r) {
    if (open_[r] && complete(r, *open_[r])) {
      closed_.emplace_back(r, *open_[r]);
      open_[r].reset();
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < closed_.size(); ++i) {
    if (complete(closed_[i].first, closed_[i].second)) {
      confirm(closed_[i].first, closed_[i].second);
    } else {
      closed_[kept++] = closed_[i];
    }
  }
  closed_.resize(kept);
  if (!at_eof) trim();
}

void StreamImpl::trim() {
  uint64_t back = e_.max_window_ + kLookahead + 1;
  uint64_t keep = end_ > back ? end_ - back : 0;
  auto window_start = [&](size_t rule, const Group& g) {
    uint64_t w = e_.compiled_[rule].window + 1;
    return g.first > w ? g.first - w : 0;
  };
  for (size_t r = 0; r < open_.size(); ++r) {
    if (open_[r]) keep = std::min(keep, window_start(r, *open_[r]));
  }
  for (const auto& [r, g] : closed_) keep = std::min(keep, window_start(r, g));
  if (keep < base_ + kTrimSlack) return;
  size_t drop = static_cast<size_t>(keep - base_);
  lines_before_base_ += static_cast<uint64_t>(std::count(buf_.begin(), buf_.begin() + drop, '\n'));
  buf_.erase(0, drop);
  base_ = keep;
}

int StreamImpl::line_at(uint64_t offset) {
  if (cursor_ < base_ || cursor_ > offset) {
    cursor_ = base_;
    cursor_line_ = lines_before_base_ + 1;
  }
  auto from = buf_.begin() + static_cast<ptrdiff_t>(cursor_ - base_);
  auto to = buf_.begin() + static_cast<ptrdiff_t>(offset - base_);
  cursor_line_ += static_cast<uint64_t>(std::count(from, to, '\n'));
  cursor_ = offset;
  return static_cast<int>(std::min<uint64_t>(cursor_line_, INT32_MAX));
}

void StreamImpl::confirm(size_t rule, const Group& g) {
  const CompiledRule& c = e_.compiled_[rule];
  const Rule& r = e_.rules_.rules[rule];
  uint64_t ws = std::max(base_, g.first > c.window ? g.first - c.window : 0);
  uint64_t we = std::min(end_, g.last + c.window);
  if (we <= ws) return;
  re2::StringPiece text(buf_.data(), buf_.size());
  size_t pos = static_cast<size_t>(ws - base_);
  size_t endpos = static_cast<size_t>(we - base_);
  std::array<re2::StringPiece, kMaxSubmatch> sub;
  int nsub = c.nsub;
  const re2::RE2* re = e_.rule_regex(rule);
  if (!re) return;
  while (pos < endpos && re->Match(text, pos, endpos, re2::RE2::UNANCHORED, sub.data(), nsub)) {
    size_t ms = static_cast<size_t>(sub[0].data() - buf_.data());
    size_t me = ms + sub[0].size();
    if (me == ms) {
      pos = ms + 1;
      continue;
    }
    pos = me;
    uint64_t abs_end = base_ + me;
    if (abs_end > g.last) break;  // later matches end in a later group
    if (abs_end < g.first) continue;
    std::string_view whole(sub[0].data(), sub[0].size());
    std::string_view secret = whole;
    for (int gi : c.secret_groups) {
      if (gi > 0 && sub[static_cast<size_t>(gi)].data() != nullptr) {
        secret = std::string_view(sub[static_cast<size_t>(gi)].data(), sub[static_cast<size_t>(gi)].size());
        break;
      }
    }
    if (secret.empty()) continue;
    if (!std::any_of(r.keywords.begin(), r.keywords.end(),
                     [&](const std::string& k) { return contains_ci(whole, k); })) {
      continue;
    }
    if (r.entropy > 0 && shannon_entropy(secret) < r.entropy) continue;
    if (search(e_.allow_values_, secret) || search(c.allow_values, secret)) continue;
    if (any_stopword(secret, e_.stopwords_) || any_stopword(secret, r.allow.stopwords)) continue;
    uint64_t so = base_ + static_cast<uint64_t>(secret.data() - buf_.data());
    record(rule, so, line_at(so), secret);
  }
}

void StreamImpl::record(size_t rule, uint64_t offset, int line, std::string_view secret) {
  auto key = std::make_tuple(rule, line, std::hash<std::string_view>{}(secret));
  auto it = found_.find(key);
  if (it != found_.end()) {
    it->second.offset = std::min(it->second.offset, offset);
    return;
  }
  found_.emplace(key, Entry{offset, secret.size(), rule, line, mask_secret(secret)});
  if (found_.size() <= kMaxFindingsPerFile) return;
  // Keep the first findings in file order, whatever order groups were confirmed in.
  auto last = found_.begin();
  for (auto i = found_.begin(); i != found_.end(); ++i) {
    if (std::tie(i->second.offset, i->second.rule) > std::tie(last->second.offset, last->second.rule)) {
      last = i;
    }
  }
  found_.erase(last);
  truncated_ = true;
}

// A generic rule ("generic-*") yields to any other rule that found a secret overlapping its own.
void StreamImpl::drop_generic_overlaps() {
  const auto& rules = e_.rules_.rules;
  auto generic = [&](size_t r) { return std::string_view(rules[r].id).starts_with("generic-"); };
  std::vector<std::pair<uint64_t, uint64_t>> specific;
  for (const auto& [key, e] : found_) {
    if (!generic(e.rule)) specific.emplace_back(e.offset, e.offset + e.length);
  }
  if (specific.empty()) return;
  for (auto it = found_.begin(); it != found_.end();) {
    const Entry& e = it->second;
    bool overlaps = generic(e.rule) && std::any_of(specific.begin(), specific.end(), [&](const auto& s) {
                      return e.offset < s.second && s.first < e.offset + e.length;
                    });
    it = overlaps ? found_.erase(it) : std::next(it);
  }
}

Result<StreamResult> StreamImpl::finish() {
  StreamResult out;
  if (!done_ && !started_) HIVESEC_TRY_STATUS(block_ ? scan_block() : start());
  if (hs_) {
    hs_scratch_t* scratch = thread_scratch(e_.db_, e_.stream_key_);
    if (!scratch) return make_error(Errc::kInternal, "Hyperscan: cannot allocate scratch space");
    hs_error_t rc = hs_close_stream(hs_, scratch, on_match, this);
    hs_ = nullptr;
    if (rc != HS_SUCCESS) return make_error(Errc::kInternal, "Hyperscan: closing a stream failed");
    settle(true);
  }
  drop_generic_overlaps();
  out.binary_skipped = binary_ && done_;
  out.truncated = truncated_;
  for (auto& [key, e] : found_) {
    out.matches.push_back(SecretMatch{e.rule, e.line, e.offset, e.length, std::move(e.masked)});
  }
  std::sort(out.matches.begin(), out.matches.end(), [](const SecretMatch& a, const SecretMatch& b) {
    return std::tie(a.offset, a.rule, a.line, a.masked) < std::tie(b.offset, b.rule, b.line, b.masked);
  });
  found_.clear();
  std::string().swap(buf_);
  return out;
}

}  // namespace

double shannon_entropy(std::string_view s) {
  if (s.empty()) return 0;
  std::array<size_t, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double h = 0;
  double n = static_cast<double>(s.size());
  for (size_t k : counts) {
    if (k == 0) continue;
    double p = static_cast<double>(k) / n;
    h -= p * std::log2(p);
  }
  return h;
}

std::string mask_secret(std::string_view secret) {
  size_t n = secret.size();
  size_t keep = std::min<size_t>(4, n / 6);
  std::string out;
  auto put = [&](std::string_view part) {
    for (char ch : part) out.push_back(ch > 0x20 && ch < 0x7f ? ch : '*');
  };
  put(secret.substr(0, keep));
  out.append(std::min<size_t>(n - 2 * keep, 24), '*');
  put(secret.substr(n - keep));
  return out;
}

Result<std::unique_ptr<Engine>> Engine::build(RuleSet rules, const std::string& cache_dir) {
  auto e = std::make_unique<EngineImpl>();
  HIVESEC_TRY_STATUS(e->compile(std::move(rules), cache_dir));
  return std::unique_ptr<Engine>(std::move(e));
}

Result<StreamResult> Engine::scan(std::string_view path, std::string_view text,
                                  StreamOptions options) const {
  if (options.size_hint < 0) options.size_hint = static_cast<int64_t>(text.size());
  HIVESEC_TRY(auto stream, open(path, options));
  HIVESEC_TRY_STATUS(stream->feed(text));
  return stream->finish();
}

Result<std::shared_ptr<const Engine>> shared_engine(const std::vector<std::string>& user_files,
                                                    const std::string& cache_dir) {
  static std::mutex mu;
  static std::map<std::vector<std::string>, std::shared_ptr<const Engine>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(user_files); it != cache.end()) return it->second;
  HIVESEC_TRY(auto rules, load_rule_set(user_files));
  HIVESEC_TRY(auto engine, Engine::build(std::move(rules), cache_dir));
  std::shared_ptr<const Engine> shared(std::move(engine));
  cache[user_files] = shared;
  return shared;
}

}  // namespace hivesec::secrets

// The "secrets" analyzer (scanner "secret"): every text file of a layer is matched against the
// secret rules (rules/secrets/*.yaml plus --secret-rules files) in one streaming pass
// (secrets/engine.h). Findings carry the rule, the line and the masked secret only.
//
// Not scanned (required() says no, so the file is not even read): the global allow.paths of the
// rules (documentation, locales, man pages, time zones, certificate bundles, package-manager
// databases), names that are never text (shared objects, archives, images, fonts, bytecode),
// empty files and non-regular files. Files over --secret-max-size are skipped with the
// dispatcher's note; binary files (NUL in the first 8 KiB) are skipped with a note per file
// that the secret scanner folds into one summary.
#include <fstream>

#include "analyze/builtins.h"
#include "common/hash.h"
#include "secrets/engine.h"

namespace hivesec::analyze {

namespace {

constexpr std::string_view kName = "secrets";

void to_findings(const secrets::Engine& engine, std::string_view path,
                 secrets::StreamResult&& result, AnalysisOutput& out) {
  const auto& rules = engine.rules().rules;
  for (auto& m : result.matches) {
    out.findings.push_back(
        secrets::make_finding(rules[m.rule], std::string(path), m.line, std::move(m.masked)));
  }
  if (result.binary_skipped) {
    out.notes.push_back(fmt::format("{}: {}{}", kName, secrets::kBinarySkippedNote, path));
  }
  if (result.truncated) {
    out.notes.push_back(fmt::format("{}: {}: more than {} secret findings; only the first {} are "
                                    "reported",
                                    kName, path, secrets::kMaxFindingsPerFile,
                                    secrets::kMaxFindingsPerFile));
  }
}

class SecretFileStream final : public FileStream {
 public:
  SecretFileStream(std::shared_ptr<const secrets::Engine> engine, std::string path,
                   std::unique_ptr<secrets::Stream> stream)
      : engine_(std::move(engine)), path_(std::move(path)), stream_(std::move(stream)) {}

  Status feed(std::string_view chunk) override { return stream_->feed(chunk); }

  Status finish(AnalysisOutput& out) override {
    HIVESEC_TRY(auto result, stream_->finish());
    to_findings(*engine_, path_, std::move(result), out);
    return ok_status();
  }

 private:
  std::shared_ptr<const secrets::Engine> engine_;
  std::string path_;
  std::unique_ptr<secrets::Stream> stream_;
};

class SecretsAnalyzer final : public Analyzer {
 public:
  SecretsAnalyzer(std::shared_ptr<const secrets::Engine> engine, int64_t max_size,
                  std::string fingerprint)
      : engine_(std::move(engine)), max_size_(max_size), fingerprint_(std::move(fingerprint)) {}

  std::string_view name() const override { return kName; }
  int version() const override { return 1; }
  std::string_view scanner() const override { return "secret"; }
  int64_t max_size() const override { return max_size_; }
  std::string config_fingerprint() const override { return fingerprint_; }

  bool required(const FileInfo& file) const override {
    return file.type == FileType::kRegular && file.size > 0 && !engine_->skips_path(file.path);
  }

  std::unique_ptr<FileStream> open_stream(const FileInfo& file) const override {
    secrets::StreamOptions so;
    so.size_hint = file.size;
    auto stream = engine_->open(file.path, so);
    if (!stream.ok()) return nullptr;
    return std::make_unique<SecretFileStream>(engine_, std::string(file.path),
                                              std::move(stream).value());
  }

  // Only used when a caller does not stream (tests, tools): the same as one feed.
  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    HIVESEC_TRY(auto result, engine_->scan(file.path, content));
    to_findings(*engine_, file.path, std::move(result), out);
    return ok_status();
  }

 private:
  std::shared_ptr<const secrets::Engine> engine_;
  int64_t max_size_;
  std::string fingerprint_;
};

// What besides the built-in rules (covered by version()) changes the output: the user's rule
// files' contents and the size cap.
Result<std::string> fingerprint(const AnalyzerOptions& options) {
  Sha256 h;
  for (const auto& path : options.secret_rule_files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::kNotFound, "{}: cannot open the secret rule file", path);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    h.update(sha256_hex(content));
  }
  h.update(fmt::format("max={}", options.secret_max_size));
  return h.hex_final();
}

}  // namespace

Result<std::unique_ptr<Analyzer>> make_secrets_analyzer(const AnalyzerOptions& options) {
  if (options.secret_max_size <= 0) {
    return make_error(Errc::kInvalidArgument, "--secret-max-size must be positive");
  }
  HIVESEC_TRY(auto engine, secrets::shared_engine(options.secret_rule_files, options.cache_dir));
  HIVESEC_TRY(auto fp, fingerprint(options));
  return std::unique_ptr<Analyzer>(
      std::make_unique<SecretsAnalyzer>(std::move(engine), options.secret_max_size, std::move(fp)));
}

}  // namespace hivesec::analyze

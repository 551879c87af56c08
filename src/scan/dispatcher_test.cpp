// The dispatcher's contract with streaming and metadata-only analyzers, through real tar layers.
#include "scan/dispatcher.h"

#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "scan/tar_layer.h"
#include "scan/testing/test_layers.h"

namespace hivesec::scan {
namespace {

using testing::TarItem;

// Counts bytes and the chunks it was fed; reports one finding per file with the byte count and
// the number of 'z' bytes (so the test sees every byte arrived, in order-independent form).
class CountingStream final : public analyze::FileStream {
 public:
  Status feed(std::string_view chunk) override {
    bytes_ += chunk.size();
    ++chunks_;
    for (char c : chunk) zs_ += c == 'z';
    return ok_status();
  }
  Status finish(analyze::AnalysisOutput& out) override {
    model::Finding f;
    f.kind = model::FindingKind::kSecret;
    f.rule_id = "count";
    f.evidence.extra["bytes"] = std::to_string(bytes_);
    f.evidence.extra["zs"] = std::to_string(zs_);
    f.evidence.extra["chunks"] = std::to_string(chunks_);
    out.findings.push_back(std::move(f));
    return ok_status();
  }

 private:
  size_t bytes_ = 0, chunks_ = 0, zs_ = 0;
};

class StreamingAnalyzer final : public analyze::Analyzer {
 public:
  explicit StreamingAnalyzer(int64_t cap) : cap_(cap) {}
  std::string_view name() const override { return "stream"; }
  int version() const override { return 1; }
  bool required(const analyze::FileInfo& f) const override { return f.path.ends_with(".txt"); }
  int64_t max_size() const override { return cap_; }
  std::unique_ptr<analyze::FileStream> open_stream(const analyze::FileInfo&) const override {
    return std::make_unique<CountingStream>();
  }
  Status analyze(const analyze::FileInfo&, std::string_view, analyze::AnalysisOutput&) const override {
    return make_error(Errc::kInternal, "a streaming analyzer is never called whole");
  }

 private:
  int64_t cap_;
};

// Needs no content: reports set-uid files from metadata alone.
class SetuidAnalyzer final : public analyze::Analyzer {
 public:
  std::string_view name() const override { return "setuid"; }
  int version() const override { return 1; }
  bool required(const analyze::FileInfo& f) const override { return (f.mode & 04000) != 0; }
  int64_t max_size() const override { return 0; }
  Status analyze(const analyze::FileInfo& f, std::string_view content,
                 analyze::AnalysisOutput& out) const override {
    model::Finding x;
    x.kind = model::FindingKind::kMisconfig;
    x.rule_id = "setuid";
    x.evidence.extra["content_bytes"] = std::to_string(content.size());
    x.evidence.extra["size"] = std::to_string(f.size);
    out.findings.push_back(std::move(x));
    return ok_status();
  }
};

// Per-layer state: reports at the end of the layer how many files and bytes it saw, and the
// first and last path, so the test sees the pass got every file once, in dispatch order.
class TallyPass final : public analyze::LayerPass {
 public:
  Status analyze(const analyze::FileInfo& f, std::string_view content,
                 analyze::AnalysisOutput&) override {
    ++files_;
    bytes_ += content.size();
    if (first_.empty()) first_ = f.path;
    last_ = f.path;
    return ok_status();
  }
  Status finish(analyze::AnalysisOutput& out) override {
    model::Finding f;
    f.kind = model::FindingKind::kMisconfig;
    f.rule_id = "tally";
    f.evidence.path = "(layer)";
    f.evidence.extra["files"] = std::to_string(files_);
    f.evidence.extra["bytes"] = std::to_string(bytes_);
    f.evidence.extra["first"] = first_;
    f.evidence.extra["last"] = last_;
    out.findings.push_back(std::move(f));
    return make_error(Errc::kLimit, "tally done");  // errors become a note naming the analyzer
  }

 private:
  size_t files_ = 0, bytes_ = 0;
  std::string first_, last_;
};

class TallyAnalyzer final : public analyze::Analyzer {
 public:
  std::string_view name() const override { return "tally"; }
  int version() const override { return 1; }
  bool required(const analyze::FileInfo& f) const override { return f.path.ends_with(".txt"); }
  std::unique_ptr<analyze::LayerPass> open_layer() const override {
    return std::make_unique<TallyPass>();
  }
  Status analyze(const analyze::FileInfo&, std::string_view,
                 analyze::AnalysisOutput&) const override {
    return make_error(Errc::kInternal, "an analyzer with a layer pass is never called directly");
  }
};

Result<LayerResult> run(const std::vector<TarItem>& items, int64_t cap, bool with_whole) {
  analyze::Registry r;
  EXPECT_TRUE(r.add(std::make_unique<StreamingAnalyzer>(cap)).ok());
  EXPECT_TRUE(r.add(std::make_unique<SetuidAnalyzer>()).ok());
  if (with_whole) {
    EXPECT_TRUE(r.add(std::make_unique<testing::LinesAnalyzer>()).ok());
  }
  return analyze_tar_layer(image::string_stream(testing::make_tar(items, "gzip")), "", r,
                           WalkLimits{});
}

const model::Finding* find(const LayerResult& r, std::string_view rule, std::string_view path) {
  for (const auto& f : r.output.findings) {
    if (f.rule_id == rule && f.evidence.path == path) return &f;
  }
  return nullptr;
}

TEST(Dispatcher, StreamsLargeFilesInChunksWithEveryByte) {
  // 3.5 chunks of 'z', then a whole-content file that both kinds of analyzer read.
  std::string big(FileDispatcher::kChunk * 3 + FileDispatcher::kChunk / 2, 'z');
  big[17] = 'a';
  auto r = run({{TarItem::kFile, "big.txt", big}, {TarItem::kFile, "pkgs.txt", "a 1.0\nz 2\n"}},
               int64_t{1} << 30, true);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto* f = find(*r, "count", "big.txt");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.extra.at("bytes"), std::to_string(big.size()));
  EXPECT_EQ(f->evidence.extra.at("zs"), std::to_string(big.size() - 1));
  EXPECT_EQ(f->evidence.extra.at("chunks"), "4");
  // The small file was read once into the shared buffer and fed as one chunk.
  const auto* g = find(*r, "count", "pkgs.txt");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->evidence.extra.at("bytes"), "10");
  EXPECT_EQ(g->evidence.extra.at("chunks"), "1");
  EXPECT_EQ(r->output.packages.size(), 2u);
}

TEST(Dispatcher, OverTheCapIsSkippedWithANote) {
  auto r = run({{TarItem::kFile, "big.txt", std::string(5000, 'z')}}, 4096, false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(find(*r, "count", "big.txt"), nullptr);
  ASSERT_EQ(r->output.notes.size(), 1u);
  EXPECT_NE(r->output.notes[0].find("stream: skipped big.txt (5000 bytes exceeds the 4096"),
            std::string::npos)
      << r->output.notes[0];
}

TEST(Dispatcher, MetadataOnlyAnalyzersGetNoContent) {
  TarItem suid{TarItem::kFile, "usr/bin/su", std::string(300, 'x'), 04755};
  auto r = run({suid}, 1 << 20, false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto* f = find(*r, "setuid", "usr/bin/su");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.extra.at("content_bytes"), "0");
  EXPECT_EQ(f->evidence.extra.at("size"), "300");
}

TEST(Dispatcher, TruncatedStreamedFileIsCorrupt) {
  std::string tar = testing::make_tar({{TarItem::kFile, "big.txt", std::string(3 << 20, 'z')}});
  analyze::Registry r;
  ASSERT_TRUE(r.add(std::make_unique<StreamingAnalyzer>(int64_t{1} << 30)).ok());
  auto res = analyze_tar_layer(image::string_stream(tar.substr(0, 2 << 20)), "", r, WalkLimits{});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, Errc::kCorrupt) << res.error().message;
}


// The worker thread must not change the result: the same files through an asynchronous and a
// synchronous dispatcher give identical output, in dispatch order, with notes where they fell.
TEST(Dispatcher, AsynchronousOutputEqualsSynchronous) {
  analyze::Registry r;
  ASSERT_TRUE(r.add(std::make_unique<StreamingAnalyzer>(int64_t{1} << 30)).ok());
  ASSERT_TRUE(r.add(std::make_unique<SetuidAnalyzer>()).ok());
  ASSERT_TRUE(r.add(std::make_unique<testing::LinesAnalyzer>()).ok());
  ASSERT_TRUE(r.add(std::make_unique<TallyAnalyzer>()).ok());
  auto run_all = [&](bool async) {
    LayerResult out;
    {
      FileDispatcher d(r, out, async);
      for (int i = 0; i < 2000; ++i) {
        std::string path = "f" + std::to_string(i) + ".txt";
        // Sizes from empty to over a streaming chunk, so every path is taken.
        std::string content = "p" + std::to_string(i) + " " + std::to_string(i % 7) + "\n" +
                              std::string(static_cast<size_t>((i * 7919) % 5000), 'z');
        if (i % 500 == 0) content += std::string(FileDispatcher::kChunk + 3, 'z');
        analyze::FileInfo info;
        info.path = path;
        info.size = static_cast<int64_t>(content.size());
        info.mode = i % 3 == 0 ? 04755 : 0644;
        size_t off = 0;
        auto reader = [&](char* dst, size_t cap) -> Result<size_t> {
          size_t n = std::min(cap, content.size() - off);
          std::memcpy(dst, content.data() + off, n);
          off += n;
          return n;
        };
        EXPECT_TRUE(d.dispatch(info, reader).ok());
        if (i % 250 == 0) d.note("note " + std::to_string(i));
      }
      d.finish();
    }
    return nlohmann::json(out).dump();
  };
  std::string sync = run_all(false);
  std::string async = run_all(true);
  EXPECT_GT(sync.size(), 100000u);
  EXPECT_EQ(sync, async);
  // The layer pass saw all 2000 files in order, and its end-of-layer error is a note.
  auto j = nlohmann::json::parse(async);
  const auto& tally = j["output"]["findings"].back();
  EXPECT_EQ(tally["id"], "tally");
  EXPECT_EQ(tally["evidence"]["extra"]["files"], "2000");
  EXPECT_EQ(tally["evidence"]["extra"]["first"], "f0.txt");
  EXPECT_EQ(tally["evidence"]["extra"]["last"], "f1999.txt");
  EXPECT_EQ(j["output"]["notes"].back(), "tally: tally done");
  // Notes keep their place among the files.
  LayerResult one;
  {
    FileDispatcher d(r, one, true);
    d.note("first");
    d.finish();
  }
  ASSERT_EQ(one.output.notes.size(), 2u);  // and the tally pass's
  EXPECT_EQ(one.output.notes[0], "first");
}

}  // namespace
}  // namespace hivesec::scan

// Bench report writers (table, json, junit, sarif), registered by name (STYLE §4), and the
// conversion of results to model::Finding for the store and server.
#pragma once

#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"
#include "model/finding.h"
#include "policy/engine.h"

namespace hivesec::policy {

class BenchWriter {
 public:
  virtual ~BenchWriter() = default;
  virtual std::string_view name() const = 0;
  // Builds the whole document, then writes it. Never throws.
  virtual Status write(const BenchReport& report, std::ostream& out) const = 0;
};

class BenchWriterRegistry {
 public:
  Status add(std::unique_ptr<BenchWriter> w);
  const BenchWriter* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<BenchWriter>> writers_;
};

// table, json, junit, sarif (report_*.cpp).
Status register_builtin_bench_writers(BenchWriterRegistry& registry);
std::unique_ptr<BenchWriter> make_table_writer();
std::unique_ptr<BenchWriter> make_json_writer();
std::unique_ptr<BenchWriter> make_junit_writer();
std::unique_ptr<BenchWriter> make_sarif_writer();

// The JSON document of `-f json` (documented in docs/commands/bench.md).
nlohmann::json report_json(const BenchReport& report);

// "CIS-HOST-5.2.10": alias naming the benchmark recommendation of a check ("" when none).
std::string cis_alias(const Check& c);

// Findings (kind misconfig, rule_id = check id, aliases = CIS number) for the results whose
// verdict is in `verdicts` (default: FAIL and ERROR). asset_id is left for the caller.
std::vector<model::Finding> to_findings(const BenchReport& report,
                                        const std::set<Verdict>& verdicts = {Verdict::kFail,
                                                                             Verdict::kError});

}  // namespace hivesec::policy

// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// A SARIF 2.1.0 log with one run of the tool "leastpriv": the rules its
// results refer to and the results, located in files by line and column.
// Every SARIF output of leastpriv (check, check --all-roles, review,
// replay) is written by this class, so they agree on structure.

#ifndef LEASTPRIV_LIB_SARIF_SARIF_H_
#define LEASTPRIV_LIB_SARIF_SARIF_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leastpriv/finding.h"
#include "lib/json/json.h"

namespace leastpriv::sarif {

// A place in a file; line 0 is written as line 1 (SARIF lines start at 1),
// column 0 is left out.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

struct Result {
  std::string rule_id;  // REQUIRES: declared with Log::Rule
  // Results are graded on the one severity scale of leastpriv (finding.h),
  // written as SarifLevel: "error", "warning", "note".
  Severity level = Severity::kWarning;
  std::string message;
  std::vector<Location> locations;
  std::vector<Location> related;  // numbered 0, 1, ... in the log
  // "properties": name -> string (or null when absent).
  std::vector<std::pair<std::string, std::optional<std::string>>> properties;
  // "partialFingerprints": {"leastprivFingerprint/v1": fingerprint} when
  // not empty.
  std::string fingerprint;
};

class Log {
 public:
  // Declares a rule; a rule declared again keeps its first description and
  // level. Rules are listed in order of declaration, and results refer to
  // them by index.
  void Rule(const std::string& id, const std::string& description,
            Severity default_level);

  bool HasRule(const std::string& id) const { return index_.count(id) > 0; }

  // Adds a result. REQUIRES: its rule is declared.
  void Add(Result result);

  // The log as JSON, indented by two spaces, with a final newline.
  std::string Serialize() const;

 private:
  struct RuleEntry {
    std::string id, description;
    Severity level;
  };
  std::vector<RuleEntry> rules_;
  std::map<std::string, int> index_;
  std::vector<json::Value> results_;
};

}  // namespace leastpriv::sarif

#endif  // LEASTPRIV_LIB_SARIF_SARIF_H_

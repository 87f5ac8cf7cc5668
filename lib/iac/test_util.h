// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Shared helpers for the iac tests.

#ifndef LEASTPRIV_LIB_IAC_TEST_UTIL_H_
#define LEASTPRIV_LIB_IAC_TEST_UTIL_H_

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "leastpriv/iac.h"
#include "leastpriv/policy.h"

namespace leastpriv::iac_test {

inline std::string ReadTestFile(const std::string& name) {
  std::ifstream in("testdata/iac/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> Texts(const std::vector<PolicyString>& v) {
  std::vector<std::string> out;
  for (const PolicyString& s : v) out.push_back(s.text);
  return out;
}

// "name kind role table: [sid effect actions resources @line]..." for
// debugging failures.
inline std::string Dump(const std::vector<ExtractedPolicy>& policies) {
  std::ostringstream os;
  for (const ExtractedPolicy& e : policies) {
    os << e.policy.name << " kind=" << PolicyKindName(e.policy.kind)
       << " role=" << e.role << " table=" << e.table
       << " doc=" << e.has_document << " arn=" << e.policy_arn << " at "
       << FormatPos(e.pos) << "\n";
    for (const Statement& st : e.policy.statements) {
      os << "  stmt " << st.sid.value_or("-") << " @" << st.pos.line << ":"
         << st.pos.column << " actions:";
      for (const auto& a : st.actions) {
        os << " " << a.text << "@" << a.pos.line << ":" << a.pos.column;
      }
      os << " resources:";
      for (const auto& r : st.resources) {
        os << " " << r.text << "@" << r.pos.line << ":" << r.pos.column;
      }
      for (const auto& c : st.conditions) {
        os << " cond " << c.op_text << " " << c.key << "@" << c.pos.line << ":"
           << c.pos.column << "=";
        for (const auto& v : c.values) os << v.text << ",";
      }
      os << "\n";
    }
    for (const auto& u : e.unresolved) {
      os << "  unresolved " << u.reference << " (" << u.reason << ") "
         << FormatPos(u.pos) << "\n";
    }
    for (const auto& p : e.problems) {
      os << "  problem " << FindingCodeName(p.code) << " " << p.message << " "
         << FormatPos(p.pos) << "\n";
    }
  }
  return os.str();
}

}  // namespace leastpriv::iac_test

#endif  // LEASTPRIV_LIB_IAC_TEST_UTIL_H_

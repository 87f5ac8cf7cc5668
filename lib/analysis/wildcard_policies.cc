// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/analysis/wildcard_policies.h"

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace leastpriv::testing_policies {
namespace {

const std::vector<std::string>& BaseNames() {
  static const auto* names = new std::vector<std::string>{
      "Sessions",    "users_prod",  "orders", "Orders-2024",
      "audit_log",   "Sessions-eu", "carts",  "payments_v2",
      "tenant-acme", "tenant-bolt", "events", "SessionsArchive",
      "inventory",   "users_dev",   "ledger"};
  return *names;
}

class Gen {
 public:
  Gen(unsigned seed, int tables) : rng_(seed), tables_(tables) {}

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Pick(100) < percent; }
  template <typename T>
  const T& OneOf(const std::vector<T>& v) {
    return v[Pick(static_cast<int>(v.size()))];
  }

  std::string Name() {
    const int n = std::min<int>(tables_, static_cast<int>(BaseNames().size()));
    return BaseNames()[Pick(n)];
  }

  // A table name pattern: the name itself or a wildcard form of it.
  std::string NamePattern() {
    const std::string name = Name();
    const int cut = 1 + Pick(static_cast<int>(name.size()) - 1);
    switch (Pick(8)) {
      case 0:
        return name.substr(0, cut) + "*";
      case 1:
        return "*" + name.substr(cut);
      case 2:
        return name.substr(0, cut) + "*" +
               name.substr(std::min<size_t>(name.size(), cut + 2));
      case 3: {
        std::string s = name;
        s[cut] = '?';
        return s;
      }
      case 4:
        return Chance(30) ? "*" : name + "*";
      default:
        return name;
    }
  }

  std::string Region() {
    return OneOf<std::string>({"us-east-1", "us-east-1", "us-*", "*",
                               "eu-west-?", "eu-*", "us-west-2", "*-1"});
  }
  std::string Account() {
    return OneOf<std::string>({"111122223333", "111122223333", "1111*", "*",
                               "444455556666", "11112222333?"});
  }

  std::string Resource(bool variables) {
    const std::string prefix =
        absl::StrCat("arn:aws:dynamodb:", Region(), ":", Account(), ":");
    if (variables && Chance(12)) {
      return prefix + OneOf<std::string>({"table/${aws:username}",
                                          "table/${aws:username}-*",
                                          "table/${aws:PrincipalTag/tenant}-*",
                                          "table/${aws:PrincipalTag/tenant}",
                                          "table/${aws:username}/index/*"});
    }
    if (Chance(3)) return "*";
    const std::string name = NamePattern();
    const std::string table = "table/" + name;
    switch (Pick(11)) {
      case 0:
        return prefix + table + "/index/" +
               OneOf<std::string>({"*", "ByUser", "By*", "by_?ate"});
      case 1:
        return prefix + table + "/stream/*";
      case 2:
        return prefix + table + "/backup/*";
      case 3:
        return prefix + table + OneOf<std::string>({"/export/*", "/import/*"});
      case 4:
        return absl::StrCat("arn:aws:dynamodb::", Account(), ":global-table/",
                            NamePattern());
      case 5:
        // "table/NAME*" (NAME and its sub-resources); patterns with a
        // fragment between two stars ("*ons*", "Se*ons*") are rare in real
        // policies and left out: each such fragment doubles the classes.
        if (name.find('*') == std::string::npos) return prefix + table + "*";
        return prefix + table;
      case 6:
        return prefix + table + "/*";
      default:
        return prefix + table;
    }
  }

  std::string Actions() {
    static const std::vector<std::string> names = {
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchGetItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:DescribeTable",
        "dynamodb:DeleteTable",
        "dynamodb:CreateBackup",
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:ExportTableToPointInTime",
        "dynamodb:ListTables",
        "dynamodb:PartiQLSelect",
        "dynamodb:RestoreTableFromBackup",
        "dynamodb:Get*",
        "dynamodb:*Item",
        "dynamodb:Describe*",
        "dynamodb:Batch*",
        "dynamodb:*",
        "dynamodb:List*",
        "dynamodb:PartiQL*",
        "dynamodb:*Backup*"};
    std::vector<std::string> out;
    const int n = 1 + Pick(4);
    for (int i = 0; i < n; ++i)
      out.push_back(absl::StrCat("\"", OneOf(names), "\""));
    return absl::StrJoin(out, ",");
  }

  std::string Condition(bool variables, bool deny) {
    std::vector<std::string> parts;
    if (variables && Chance(15)) {
      parts.push_back(
          Chance(70)
              ? R"("ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${aws:PrincipalTag/tenant}"]})"
              : R"("StringEquals":{"aws:PrincipalTag/team":"${aws:username}"})");
    }
    switch (Pick(8)) {
      case 0:
        parts.push_back(absl::StrCat(R"("Bool":{"aws:SecureTransport":")",
                                     deny ? "false" : "true", "\"}"));
        break;
      case 1:
        parts.push_back(absl::StrCat(
            R"("ForAllValues:StringLike":{"dynamodb:LeadingKeys":["tenant-)",
            OneOf<std::string>({"acme", "bolt", "*"}), "\"]}"));
        break;
      case 2:
        parts.push_back(
            absl::StrCat(R"("StringLike":{"aws:PrincipalTag/team":")",
                         OneOf<std::string>({"data-*", "ops", "?ps"}), "\"}"));
        break;
      default:
        break;
    }
    if (parts.empty()) return "";
    return absl::StrCat(",\"Condition\":{", absl::StrJoin(parts, ","), "}");
  }

  std::string Statement(bool variables, bool conditions) {
    const bool deny = Chance(12);
    const bool not_resource = Chance(8);
    std::vector<std::string> resources;
    const int n = 1 + (Chance(40) ? Pick(3) : 0);
    for (int i = 0; i < n; ++i)
      resources.push_back(absl::StrCat("\"", Resource(variables), "\""));
    return absl::StrCat(R"({"Effect":")", deny ? "Deny" : "Allow",
                        R"(","Action":[)", Actions(), "],\"",
                        not_resource ? "NotResource" : "Resource", "\":[",
                        absl::StrJoin(resources, ","), "]",
                        conditions ? Condition(variables, deny) : "", "}");
  }

 private:
  std::mt19937 rng_;
  int tables_;
};

}  // namespace

std::string WildcardPolicyJson(const WildcardPolicyOptions& options) {
  Gen gen(options.seed, options.tables);
  std::vector<std::string> statements;
  for (int i = 0; i < options.statements; ++i) {
    statements.push_back(gen.Statement(options.variables, options.conditions));
  }
  return absl::StrCat(R"({"Version":"2012-10-17","Statement":[)",
                      absl::StrJoin(statements, ","), "]}");
}

std::vector<std::string> WildcardProbeResources(unsigned seed, int tables) {
  Gen gen(seed, tables);
  std::vector<std::string> out;
  const std::vector<std::string> regions = {"us-east-1", "eu-west-1",
                                            "ap-south-2"};
  const std::vector<std::string> accounts = {"111122223333", "444455556666"};
  const int n = std::min<int>(tables, static_cast<int>(BaseNames().size()));
  for (int t = 0; t < n; ++t) {
    const std::string& name = BaseNames()[t];
    const std::string region = regions[gen.Pick(3)];
    const std::string account = accounts[gen.Pick(2)];
    const std::string table =
        absl::StrCat("arn:aws:dynamodb:", region, ":", account, ":table/");
    out.push_back(table + name);
    out.push_back(table + name + "x");
    out.push_back(table + name.substr(0, name.size() / 2));
    out.push_back(table + name + "/index/ByUser");
    out.push_back(table + name + "/stream/2024-01-01T00:00:00.000");
    out.push_back(table + name + "/backup/01700000000000-abcdefgh");
    out.push_back(table + name + "/export/01700000000000-abcdefgh");
    out.push_back(
        absl::StrCat("arn:aws:dynamodb::", account, ":global-table/", name));
  }
  return out;
}

absl::StatusOr<PolicySet> WildcardPolicySet(
    const WildcardPolicyOptions& options) {
  ParseOptions parse;
  parse.file_name = "generated.json";
  absl::StatusOr<Policy> policy =
      ParsePolicy(WildcardPolicyJson(options), parse);
  if (!policy.ok()) return policy.status();
  PolicySet set;
  set.identity.push_back(*std::move(policy));
  return set;
}

}  // namespace leastpriv::testing_policies

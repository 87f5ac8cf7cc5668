// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Writes the policy-set pairs and requests of
// testdata/oracle/diff_fixtures.json, before the oracle decides them
// (tools/oracle/gen_diff_fixtures.sh runs this, then decide_pairs.mjs). Each
// pair is compared with DiffPolicies, as
// //lib/analysis:diff_oracle_test compares it, and the requests recorded
// for it are
//   - every witness of a reported change ("new-witness", "removed-witness");
//   - requests of the covering universe of both sets ("universe"): all of
//     them for the service-role pairs (the policies of
//     bench/diff_benchmark.cc, from bench/service_policies.h, at 24
//     statements), an even sample for the random pairs.
// Random pairs: seeded random identity policies with Allow and Deny
// statements, Action and NotAction, Resource and NotResource, String*,
// Bool, Numeric*, Date*, IpAddress, Null and ForAllValues/ForAnyValue
// conditions (some ...IfExists) on global and DynamoDB keys, and sometimes
// a permissions boundary, an SCP level or a table policy; NEW is OLD after
// one to three small edits, or (one pair in five) an unrelated set.
// Principal pairs: two random policies whose conditions test aws:username,
// aws:userid and aws:PrincipalType; only their witnesses are recorded.
//
//   diff_cases [--seed N] [--pairs N] [--principal-pairs N] [--sample N] >
//   cases.json

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "bench/service_policies.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/diff.h"
#include "leastpriv/policy.h"
#include "lib/analysis/test_policies.h"
#include "lib/eval/oracle_fixture.h"
#include "lib/eval/request_universe.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

using namespace testing_policies;  // NOLINT
using Op = ConditionOperator;

constexpr char kPrincipal[] = "arn:aws:iam::111122223333:role/app";
constexpr char kTable[] = "arn:aws:dynamodb:us-east-1:111122223333:table/";

// Adds `c` unless the block has its operator and key already (a policy
// document cannot say that twice).
void AddCondition(std::vector<Condition>* conditions, Condition c) {
  for (const Condition& d : *conditions) {
    if (d.op == c.op && d.qualifier == c.qualifier &&
        d.if_exists == c.if_exists && d.key == c.key) {
      return;
    }
  }
  conditions->push_back(std::move(c));
}

class PairGenerator {
 public:
  explicit PairGenerator(unsigned seed) : rng_(seed) {}

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Pick(100) < percent; }
  template <typename T>
  const T& OneOf(const std::vector<T>& v) {
    return v[Pick(static_cast<int>(v.size()))];
  }
  std::vector<std::string> SomeOf(const std::vector<std::string>& v) {
    std::vector<std::string> out = {OneOf(v)};
    if (Chance(35)) {
      const std::string& more = OneOf(v);
      if (more != out[0]) out.push_back(more);
    }
    return out;
  }

  Condition RandomCondition() {
    const bool if_exists = Chance(20);
    switch (Pick(11)) {
      case 0:
        return Cond(OneOf<Op>({Op::kStringEquals, Op::kStringNotEquals}), "",
                    "aws:PrincipalTag/team", SomeOf({"red", "blue"}),
                    SetQualifier::kNone, if_exists);
      case 1:
        return Cond(OneOf<Op>({Op::kStringLike, Op::kStringNotLike}), "",
                    "aws:PrincipalTag/team", SomeOf({"r*", "?lue", "*"}),
                    SetQualifier::kNone, if_exists);
      case 2:
        return Cond(Op::kStringEqualsIgnoreCase, "", "aws:PrincipalTag/team",
                    {"RED"});
      case 3:
        return Cond(Op::kBool, "", "aws:SecureTransport",
                    {Chance(70) ? "true" : "false"}, SetQualifier::kNone,
                    if_exists);
      case 4:
        return Cond(
            OneOf<Op>({Op::kNumericLessThan, Op::kNumericGreaterThanEquals,
                       Op::kNumericEquals}),
            "", "aws:MultiFactorAuthAge", {OneOf<std::string>({"300", "3600"})},
            SetQualifier::kNone, if_exists);
      case 5:
        return Cond(OneOf<Op>({Op::kDateLessThan, Op::kDateGreaterThan}), "",
                    "aws:CurrentTime",
                    {OneOf<std::string>(
                        {"2024-01-01T00:00:00Z", "2025-06-30T12:00:00Z"})},
                    SetQualifier::kNone, if_exists);
      case 6:
        return Cond(OneOf<Op>({Op::kIpAddress, Op::kNotIpAddress}), "",
                    "aws:SourceIp",
                    SomeOf({"10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32"}),
                    SetQualifier::kNone, if_exists);
      case 7:
        return Cond(
            Op::kNull, "",
            OneOf<std::string>({"aws:SecureTransport", "aws:PrincipalTag/team",
                                "dynamodb:LeadingKeys"}),
            {Chance(50) ? "true" : "false"});
      case 8:
        return Cond(OneOf<Op>({Op::kStringEquals, Op::kStringLike}), "",
                    "dynamodb:LeadingKeys",
                    SomeOf({"tenant-1", "tenant-2", "tenant-*"}),
                    Chance(50) ? SetQualifier::kForAllValues
                               : SetQualifier::kForAnyValue);
      case 9:
        return Cond(
            OneOf<Op>({Op::kStringEquals, Op::kStringNotEquals}), "",
            OneOf<std::string>({"dynamodb:Select", "dynamodb:ReturnValues"}),
            SomeOf({"COUNT", "ALL_ATTRIBUTES", "NONE", "ALL_NEW"}),
            SetQualifier::kNone, if_exists);
      default:
        return Cond(OneOf<Op>({Op::kStringEquals, Op::kStringNotEquals}), "",
                    "aws:RequestedRegion", SomeOf({"us-east-1", "eu-west-1"}),
                    SetQualifier::kNone, if_exists);
    }
  }

  std::string RandomResource() {
    static const std::vector<std::string> resources = {
        "*",
        std::string(kTable) + "Orders",
        std::string(kTable) + "Orders*",
        std::string(kTable) + "Orders/index/*",
        std::string(kTable) + "*",
        "arn:aws:dynamodb:*:111122223333:table/Users",
        std::string(kTable) + "Users/stream/*",
        "arn:aws:dynamodb:eu-west-1:*:table/*",
        std::string(kTable) + "Audit",
        std::string(kTable) + "?sers"};
    return OneOf(resources);
  }

  Statement RandomStatement(int allow_percent) {
    static const std::vector<std::string> actions = {"dynamodb:GetItem",
                                                     "dynamodb:PutItem",
                                                     "dynamodb:Query",
                                                     "dynamodb:Scan",
                                                     "dynamodb:DeleteItem",
                                                     "dynamodb:DescribeTable",
                                                     "dynamodb:ListTables",
                                                     "dynamodb:GetRecords",
                                                     "dynamodb:DeleteTable",
                                                     "dynamodb:*",
                                                     "dynamodb:Get*",
                                                     "dynamodb:*Item",
                                                     "dynamodb:Describe*",
                                                     "dynamodb:List*",
                                                     "dynamodb:Batch*",
                                                     "dynamodb:PartiQL*",
                                                     "*"};
    std::vector<std::string> r = {RandomResource()};
    if (Chance(30)) r.push_back(RandomResource());
    std::vector<Condition> conds;
    for (int i = Pick(100) < 45 ? 0 : 1 + Pick(2); i > 0; --i) {
      AddCondition(&conds, RandomCondition());
    }
    const Effect e = Chance(allow_percent) ? Effect::kAllow : Effect::kDeny;
    return Stmt(e, SomeOf(actions), r, conds, Chance(12), Chance(10));
  }

  Policy RandomPolicy(PolicyKind kind, const std::string& name,
                      int allow_percent) {
    std::vector<Statement> st;
    for (int i = 1 + Pick(4); i > 0; --i) {
      st.push_back(RandomStatement(allow_percent));
    }
    return Pol(kind, st, name);
  }

  PolicySet RandomSet(const std::string& name) {
    PolicySet p;
    p.identity.push_back(
        RandomPolicy(PolicyKind::kIdentity, name + "-identity", 78));
    if (Chance(25)) {
      p.boundary = RandomPolicy(PolicyKind::kBoundary, name + "-boundary", 100);
    }
    if (Chance(20)) {
      std::vector<Statement> st = {Stmt(Effect::kAllow, {"*"}, {"*"})};
      if (Chance(70)) st.push_back(RandomStatement(0));
      p.scp_levels.push_back({Pol(PolicyKind::kScp, st, name + "-scp")});
    }
    if (Chance(12)) {
      std::vector<Statement> st = {
          Grant(Effect::kAllow,
                SomeOf({"dynamodb:GetItem", "dynamodb:Query", "dynamodb:*Item",
                        "dynamodb:*"}),
                {Chance(50) ? kPrincipal : "111122223333"})};
      if (Chance(40)) AddCondition(&st[0].conditions, RandomCondition());
      p.resource["Orders"].push_back(
          Pol(PolicyKind::kResource, st, name + "-resource"));
    }
    return p;
  }

  // One small edit; the result may grant more, less, or the same.
  void Mutate(PolicySet* p) {
    std::vector<Statement>& st = p->identity[0].statements;
    switch (Pick(9)) {
      case 0:
        if (st.size() > 1) st.erase(st.begin() + Pick(st.size()));
        break;
      case 1:
        st.push_back(RandomStatement(60));
        break;
      case 2: {
        Statement& s = st[Pick(st.size())];
        if (!s.conditions.empty()) {
          s.conditions.erase(s.conditions.begin() + Pick(s.conditions.size()));
        } else {
          AddCondition(&s.conditions, RandomCondition());
        }
        break;
      }
      case 3:
        st[Pick(st.size())].resources[0] = PolicyString{RandomResource()};
        break;
      case 4: {
        Statement& s = st[Pick(st.size())];
        s.effect = s.effect == Effect::kAllow ? Effect::kDeny : Effect::kAllow;
        break;
      }
      case 5: {
        Statement& s = st[Pick(st.size())];
        s.actions[0] = PolicyString{
            OneOf<std::string>({"dynamodb:*", "dynamodb:Get*", "dynamodb:Query",
                                "dynamodb:*Item"})};
        break;
      }
      case 6:
        p->boundary.reset();
        break;
      case 7:
        if (!p->scp_levels.empty()) {
          std::vector<Statement>& scp = p->scp_levels[0][0].statements;
          if (scp.size() > 1) {
            scp.pop_back();
          } else {
            scp.push_back(RandomStatement(0));
          }
        } else {
          p->resource.clear();
        }
        break;
      default: {
        Statement& s = st[Pick(st.size())];
        s.not_resource = !s.not_resource;
        break;
      }
    }
    for (std::size_t i = 0; i < st.size(); ++i) {
      st[i].index = static_cast<int>(i);
    }
    if (!p->scp_levels.empty()) {
      std::vector<Statement>& scp = p->scp_levels[0][0].statements;
      for (std::size_t i = 0; i < scp.size(); ++i) {
        scp[i].index = static_cast<int>(i);
      }
    }
  }

 private:
  std::mt19937 rng_;
};

// Seeded random identity policies whose conditions test the keys the
// principal decides (aws:username, aws:userid, aws:PrincipalType), for the
// principal pairs: their witnesses carry the keys a role session sends.
PolicySet PrincipalKeySet(std::mt19937& rng, const std::string& name) {
  auto pick = [&](std::size_t n) {
    return static_cast<std::size_t>(rng() % n);
  };
  static const std::vector<std::pair<std::string, std::vector<std::string>>>
      keys = {
          {"aws:username", {"alice", "a*"}},
          {"aws:userid",
           {"AIDA*", "AROA*", "*:worker-1", "AROA*:leastpriv-session",
            "*:other"}},
          {"aws:PrincipalType", {"User", "AssumedRole"}},
      };
  static const std::vector<std::pair<Op, bool>> ops = {
      {Op::kStringEquals, false},
      {Op::kStringLike, false},
      {Op::kStringNotEquals, false},
      {Op::kStringNotLike, false},
      {Op::kStringEquals, true},
      {Op::kStringNotLike, true},
      {Op::kNull, false}};
  std::vector<Statement> statements;
  for (std::size_t i = 1 + pick(3); i > 0; --i) {
    std::vector<Condition> conditions;
    for (std::size_t c = 1 + pick(2); c > 0; --c) {
      const auto& [key, values] = keys[pick(keys.size())];
      const auto& [op, if_exists] = ops[pick(ops.size())];
      AddCondition(&conditions,
                   Cond(op, "", key,
                        {op == Op::kNull ? (pick(2) ? "true" : "false")
                                         : values[pick(values.size())]},
                        SetQualifier::kNone, if_exists));
    }
    statements.push_back(
        Stmt(statements.empty() || pick(4) ? Effect::kAllow : Effect::kDeny,
             {pick(2) ? "dynamodb:GetItem" : "dynamodb:*Item"},
             {pick(2) ? "*" : std::string(kTable) + "Orders*"}, conditions));
  }
  PolicySet p;
  p.identity.push_back(
      Pol(PolicyKind::kIdentity, statements, name + "-identity"));
  return p;
}

struct PendingPair {
  std::string name;
  PolicySet old_set, new_set;
  bool full_universe = false;
  bool witnesses_only = false;
};

json::Value RequestJson(const std::string& name, const std::string& kind,
                        const Request& r) {
  std::vector<json::Value::Member> m = eval::OracleRequestJson(r).object();
  m.insert(m.begin(), {"kind", json::Value::String(kind)});
  m.insert(m.begin(), {"name", json::Value::String(name)});
  return json::Value::Object(std::move(m));
}

int Fail(const std::string& message) {
  std::cerr << "diff_cases: error: " << message << "\n";
  return 2;
}

int Main(int argc, char** argv) {
  unsigned seed = 20250101;
  int pairs = 64;
  int principal_pairs = 24;
  std::size_t sample = 60;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const unsigned long value = std::strtoul(argv[i + 1], nullptr, 10);
    if (flag == "--seed") {
      seed = static_cast<unsigned>(value);
    } else if (flag == "--pairs") {
      pairs = static_cast<int>(value);
    } else if (flag == "--principal-pairs") {
      principal_pairs = static_cast<int>(value);
    } else if (flag == "--sample") {
      sample = value;
    } else {
      return Fail("unknown option " + flag);
    }
  }
  std::vector<PendingPair> pending;
  for (int kind = 0; kind < 2; ++kind) {
    PendingPair p;
    p.name = kind == 0 ? "service-edited" : "service-unrelated";
    p.old_set.identity.push_back(bench::GenerateServicePolicy(24, 7));
    p.new_set.identity.push_back(
        kind == 0 ? bench::EditAsPullRequest(p.old_set.identity[0])
                  : bench::GenerateServicePolicy(24, 8));
    p.full_universe = true;
    pending.push_back(std::move(p));
  }
  PairGenerator gen(seed);
  for (int i = 0; i < pairs; ++i) {
    PendingPair p;
    p.name = absl::StrCat("random-", i);
    p.old_set = gen.RandomSet(p.name + "-old");
    if (gen.Chance(20)) {
      p.new_set = gen.RandomSet(p.name + "-new");
    } else {
      p.new_set = p.old_set;
      for (int edits = 1 + gen.Pick(3); edits > 0; --edits) {
        gen.Mutate(&p.new_set);
      }
    }
    pending.push_back(std::move(p));
  }
  // Principal pairs: their own random stream, so that the pairs above stay
  // as they were; witnesses only (the covering universe does not know
  // which keys a principal sends).
  std::mt19937 principal_rng(seed + 1);
  for (int i = 0; i < principal_pairs; ++i) {
    PendingPair p;
    p.name = absl::StrCat("principal-", i);
    p.old_set = PrincipalKeySet(principal_rng, p.name + "-old");
    p.new_set = PrincipalKeySet(principal_rng, p.name + "-new");
    p.witnesses_only = true;
    pending.push_back(std::move(p));
  }

  // Write the pairs, read them back as the test will, and compare those.
  std::vector<json::Value> pair_json;
  for (const PendingPair& p : pending) {
    absl::StatusOr<json::Value> o = eval::OracleSetJson(p.old_set);
    absl::StatusOr<json::Value> n = eval::OracleSetJson(p.new_set);
    if (!o.ok() || !n.ok()) return Fail(p.name + ": cannot write a set");
    pair_json.push_back(
        json::Value::Object({{"name", json::Value::String(p.name)},
                             {"old", *std::move(o)},
                             {"new", *std::move(n)},
                             {"requests", json::Value::Array({})}}));
  }
  absl::StatusOr<eval::OracleDiffFixture> read =
      eval::ParseOracleDiffFixture(json::Serialize(
          json::Value::Object({{"oracle", json::Value::Object({})},
                               {"pairs", json::Value::Array(pair_json)}}),
          -1));
  if (!read.ok()) return Fail(std::string(read.status().message()));

  AnalysisScope scope;
  scope.principal = kPrincipal;
  eval::UniverseOptions universe_options;
  universe_options.principal = kPrincipal;
  std::size_t witnesses = 0, universe_requests = 0;
  std::vector<json::Value> out_pairs;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    const eval::OraclePair& p = read->pairs[i];
    absl::StatusOr<PolicyDiff> diff = DiffPolicies(p.old_set, p.new_set, scope);
    if (!diff.ok())
      return Fail(p.name + ": " + std::string(diff.status().message()));
    std::vector<json::Value> requests;
    for (const AccessChange& c : diff->new_access) {
      requests.push_back(
          RequestJson(absl::StrCat(p.name, "-new-", requests.size()),
                      "new-witness", c.witness));
    }
    for (const AccessChange& c : diff->removed_access) {
      requests.push_back(
          RequestJson(absl::StrCat(p.name, "-removed-", requests.size()),
                      "removed-witness", c.witness));
    }
    witnesses += requests.size();
    std::vector<Request> universe;
    if (!pending[i].witnesses_only) {
      universe =
          eval::CoveringRequests({&p.old_set, &p.new_set}, universe_options);
    }
    if (!pending[i].full_universe)
      universe = eval::EvenSample(universe, sample);
    for (const Request& r : universe) {
      requests.push_back(RequestJson(
          absl::StrCat(p.name, "-universe-", requests.size()), "universe", r));
    }
    universe_requests += universe.size();
    std::vector<json::Value::Member> m = pair_json[i].object();
    m.back().second = json::Value::Array(std::move(requests));
    m.push_back({"verdict", json::Value::String(
                                std::string(DiffVerdictName(diff->verdict)))});
    out_pairs.push_back(json::Value::Object(std::move(m)));
  }
  std::cout << json::Serialize(
                   json::Value::Object(
                       {{"generator",
                         json::Value::Object(
                             {{"program", json::Value::String(
                                              "tools/oracle/diff_cases.cc")},
                              {"seed", json::Value::Number(seed)},
                              {"pairs", json::Value::Number(pairs)},
                              {"sample", json::Value::Number(
                                             static_cast<double>(sample))}})},
                        {"pairs", json::Value::Array(std::move(out_pairs))}}),
                   -1)
            << "\n";
  std::cerr << "diff_cases: " << pending.size() << " pairs, " << witnesses
            << " witnesses, " << universe_requests << " universe requests\n";
  return 0;
}

}  // namespace
}  // namespace leastpriv

int main(int argc, char** argv) { return leastpriv::Main(argc, argv); }

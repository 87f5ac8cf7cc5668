// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Every witness leastpriv shows is a request AWS could see. This test reads
// every golden output in testdata (check, policy-diff, review and replay
// goldens and the committed example outputs) and the output of the bundled
// examples (tools/example.sh: check and reach of testdata/examples/shop, and
// of testdata/examples/tenants), and holds every concrete ARN in them to
// the naming rules of lib/eval/naming.h: DynamoDB ARNs name valid regions,
// 12-digit accounts, tables and indexes of 3 to 255 name characters,
// timestamp stream labels and AWS-shaped backup, export and import ids;
// principal ARNs name 12-digit accounts and valid user and session names.
// Each witness (JSON, or text "ACTION on RESOURCE by PRINCIPAL key=value")
// is also held to its principal type: a user's request carries its own
// aws:username and an "AIDA..." aws:userid, a role session's no
// aws:username and a "ROLEID:session" aws:userid.
// Patterns (with '*', '?' or a policy variable) are not requests and are
// skipped.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "lib/eval/naming.h"
#include "lib/json/json.h"
#include "tools/leastpriv/check/check_command.h"
#include "tools/leastpriv/reach/reach_command.h"

namespace leastpriv {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Why the concrete ARN `arn` breaks a naming rule ("" when it follows
// them, or is no ARN of DynamoDB, IAM or STS).
std::string ArnProblem(const std::string& arn) {
  const std::vector<std::string> parts =
      absl::StrSplit(arn, absl::MaxSplits(':', 5));
  if (parts.size() != 6) return "";
  if (parts[2] == "dynamodb") {
    return eval::IsValidDynamoDbResource(arn)
               ? ""
               : "not a DynamoDB resource AWS accepts";
  }
  if (parts[2] != "iam" && parts[2] != "sts") return "";
  if (!eval::IsValidAccountId(parts[4])) return "account is not 12 digits";
  const std::vector<std::string> path = absl::StrSplit(parts[5], '/');
  if (parts[2] == "iam" && path[0] == "user" &&
      !eval::IsValidIamUserName(path.back())) {
    return "not an IAM user name";
  }
  if (parts[2] == "sts" && path[0] == "assumed-role" &&
      (path.size() != 3 || !eval::IsValidRoleSessionName(path[2]))) {
    return "not a role session";
  }
  return "";
}

// Every concrete ARN of `text` that breaks a rule, with the reason.
std::vector<std::string> ArnProblems(const std::string& text, int* count) {
  std::vector<std::string> out;
  for (std::size_t at = text.find("arn:"); at != std::string::npos;
       at = text.find("arn:", at + 1)) {
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) ||
                   text[at - 1] == '-')) {
      continue;
    }
    std::size_t end = at;
    while (end < text.size() &&
           std::string_view(" \t\r\n\"'`()<>[]|,\\").find(text[end]) ==
               std::string_view::npos) {
      ++end;
    }
    std::string arn = text.substr(at, end - at);
    while (!arn.empty() && (arn.back() == '.' || arn.back() == ':'))
      arn.pop_back();
    if (arn.find_first_of("*?${}") != std::string::npos) continue;  // a pattern
    ++*count;
    const std::string problem = ArnProblem(arn);
    if (!problem.empty()) out.push_back(arn + ": " + problem);
  }
  return out;
}

// Why a witness's aws:username (`name`, if present) and aws:userid (`id`,
// "" if absent) do not fit its principal `p` ("" when they do).
std::vector<std::string> PrincipalKeyProblems(
    const std::string& p, const std::optional<std::string>& name,
    const std::string& id) {
  std::vector<std::string> out;
  if (p.find(":user/") != std::string::npos) {
    if (name && p.substr(p.rfind('/') + 1) != *name) {
      out.push_back(p + ": aws:username " + *name + " of another user");
    }
    if (!id.empty() && !eval::IsValidUserUserId(id)) {
      out.push_back(p + ": aws:userid " + id + " is no user id");
    }
  } else if (p.find(":role/") != std::string::npos ||
             p.find(":assumed-role/") != std::string::npos) {
    if (name) out.push_back(p + ": a role session with aws:username");
    if (!id.empty() && !eval::IsValidRoleSessionUserId(id)) {
      out.push_back(p + ": aws:userid " + id + " is no role session id");
    }
  }
  return out;
}

// The problems of the text witnesses of `text` ("ACTION on RESOURCE by
// PRINCIPAL key=value ..."): their principal keys against the principal.
void TextWitnessProblems(const std::string& text, std::vector<std::string>* out,
                         int* witnesses) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const std::size_t by = line.find(" by arn:");
    if (by == std::string::npos) continue;
    ++*witnesses;
    const std::vector<std::string> words =
        absl::StrSplit(line.substr(by + 4), ' ', absl::SkipEmpty());
    std::optional<std::string> name;
    std::string id;
    for (const std::string& w : words) {
      const std::string lower = absl::AsciiStrToLower(w);
      if (lower.rfind("aws:username=", 0) == 0) name = w.substr(13);
      if (lower.rfind("aws:userid=", 0) == 0) id = w.substr(11);
    }
    for (std::string& p : PrincipalKeyProblems(words[0], name, id))
      out->push_back(std::move(p));
  }
}

// The first value of context key `key` of a JSON witness ("" if absent).
std::string ContextValue(const json::Value& context, const std::string& key) {
  const json::Value* v = context.Find(key);
  if (v == nullptr) return "";
  if (v->is_string()) return v->string_value();
  if (v->is_array() && !v->array().empty() && v->array()[0].is_string()) {
    return v->array()[0].string_value();
  }
  return "";
}

// The problems of every JSON witness in `v`: its resource and principal
// as above, and its principal keys against its principal type.
void WitnessProblems(const json::Value& v, std::vector<std::string>* out,
                     int* witnesses) {
  if (v.is_array()) {
    for (const json::Value& x : v.array()) WitnessProblems(x, out, witnesses);
    return;
  }
  if (!v.is_object()) return;
  for (const auto& [key, value] : v.object()) {
    if (key == "witness" && value.is_object()) {
      ++*witnesses;
      const json::Value* principal = value.Find("principal");
      const json::Value* resource = value.Find("resource");
      const json::Value* context = value.Find("context");
      if (principal == nullptr || resource == nullptr ||
          !principal->is_string() || !resource->is_string()) {
        out->push_back("witness without principal or resource");
        continue;
      }
      const std::string& p = principal->string_value();
      const std::string& r = resource->string_value();
      if (!eval::IsValidDynamoDbResource(r))
        out->push_back(r + ": witness resource");
      if (!ArnProblem(p).empty()) out->push_back(p + ": witness principal");
      if (context == nullptr || !context->is_object()) continue;
      std::optional<std::string> name;
      if (context->Find("aws:username") != nullptr)
        name = ContextValue(*context, "aws:username");
      for (std::string& problem : PrincipalKeyProblems(
               p, name, ContextValue(*context, "aws:userid"))) {
        out->push_back(std::move(problem));
      }
    }
    WitnessProblems(value, out, witnesses);
  }
}

struct Scanned {
  int arns = 0, witnesses = 0;
  std::vector<std::string> problems;
};

Scanned Scan(const std::string& text) {
  Scanned s;
  s.problems = ArnProblems(text, &s.arns);
  absl::StatusOr<json::Value> doc = json::Parse(text);
  if (doc.ok()) {
    WitnessProblems(*doc, &s.problems, &s.witnesses);
  } else {
    TextWitnessProblems(text, &s.problems, &s.witnesses);
  }
  return s;
}

// The checker itself finds what the issue reported.
TEST(WitnessNamesTest, TheCheckFindsNamesAwsRejects) {
  int n = 0;
  EXPECT_TRUE(
      ArnProblems(
          "e.g. arn:aws:dynamodb:eu-west-1:111122223333:table/shop-audit)", &n)
          .empty());
  EXPECT_EQ(ArnProblems("DeleteTable on table/* (e.g. "
                        "arn:aws:dynamodb:eu-west-1:111122223333:table/q)",
                        &n)
                .size(),
            1u);
  EXPECT_EQ(
      ArnProblems("\"arn:aws:dynamodb:us-:111122223333:table/-/stream/q\"", &n)
          .size(),
      1u);
  EXPECT_EQ(ArnProblems("by arn:aws:iam::1111:role/app", &n).size(), 1u);
  EXPECT_EQ(
      ArnProblems("by arn:aws:sts::111122223333:assumed-role/app/x", &n).size(),
      1u);
  EXPECT_TRUE(
      ArnProblems("`arn:aws:dynamodb:*:*:table/${aws:username}`", &n).empty());
  EXPECT_EQ(n, 5);  // the pattern is not counted
  Scanned s =
      Scan(R"({"witness": {"principal": "arn:aws:iam::111122223333:role/app",
      "resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
      "context": {"aws:username": ""}}})");
  EXPECT_EQ(s.witnesses, 1);
  EXPECT_EQ(s.problems.size(), 1u);
  s = Scan(
      "    witness      dynamodb:GetItem on "
      "arn:aws:dynamodb:us-east-1:111122223333:table/Orders "
      "by arn:aws:iam::111122223333:role/leastpriv-witness aws:username= "
      "aws:userid=x\n"
      "    witness      dynamodb:PutItem on "
      "arn:aws:dynamodb:us-east-1:111122223333:table/Orders "
      "by arn:aws:iam::111122223333:user/alice "
      "aws:userid=AIDACKCEVSQ6C2EXAMPLE "
      "aws:username=alice\n");
  EXPECT_EQ(s.witnesses, 2);
  EXPECT_EQ(s.problems.size(), 2u);
  s = Scan(R"({"witness": {"principal": "arn:aws:iam::111122223333:user/bob",
      "resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
      "context": {"aws:username": "alice", "aws:userid": "AROADBQP57FF2AEXAMPLE:x1"}}})");
  EXPECT_EQ(s.problems.size(), 2u);
  s = Scan(R"({"witness": {"principal": "arn:aws:iam::111122223333:user/bob",
      "resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
      "context": {"aws:username": "bob", "aws:userid": "AIDACKCEVSQ6C2EXAMPLE"}}})");
  EXPECT_TRUE(s.problems.empty());
}

// The golden outputs of testdata.
std::vector<fs::path> Goldens() {
  std::vector<fs::path> out;
  for (const char* dir :
       {"testdata/check", "testdata/review", "testdata/cloudtrail/replay"}) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.is_regular_file() &&
          e.path().filename().string().rfind("expected", 0) == 0) {
        out.push_back(e.path());
      }
    }
  }
  // policy-diff: the goldens cases.txt lists.
  std::istringstream cases(ReadFile("testdata/diff/cases.txt"));
  std::string line;
  while (std::getline(cases, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> words =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (words.size() >= 3) out.push_back(fs::path("testdata/diff") / words[2]);
  }
  for (const char* example :
       {"testdata/examples/replay/check_with_cloudtrail.txt",
        "testdata/examples/replay/replay.txt",
        "testdata/examples/replay/check.json"}) {
    out.push_back(example);
  }
  return out;
}

TEST(WitnessNamesTest, GoldenOutputsNameOnlyWhatAwsAccepts) {
  int files = 0, arns = 0, witnesses = 0;
  for (const fs::path& p : Goldens()) {
    ASSERT_TRUE(fs::exists(p)) << p;
    const Scanned s = Scan(ReadFile(p));
    ++files;
    arns += s.arns;
    witnesses += s.witnesses;
    for (const std::string& problem : s.problems)
      ADD_FAILURE() << p.string() << ": " << problem;
  }
  std::cout << files << " golden files: " << arns << " concrete ARNs, "
            << witnesses << " witnesses\n";
  EXPECT_GT(files, 50);
  EXPECT_GT(arns, 1000);
  // Grouped text and Markdown show one example witness per group, so the
  // goldens hold fewer witnesses than pairs; the floor keeps the check from
  // passing on an empty read.
  EXPECT_GT(witnesses, 100);
}

// The bundled examples, as tools/example.sh runs them.
TEST(WitnessNamesTest, BundledExamplesNameOnlyWhatAwsAccepts) {
  struct Run {
    bool check;
    std::vector<std::string> args;
  };
  const std::vector<Run> runs = {
      {true,
       {"--code", "testdata/examples/shop", "--policy",
        "testdata/examples/shop/role.json"}},
      {true,
       {"--code", "testdata/examples/shop", "--policy",
        "testdata/examples/shop/role.json", "--format", "json"}},
      {false,
       {"--policy", "testdata/examples/shop/role.json", "--account",
        "111122223333", "--region", "eu-west-1", "--table", "shop-orders",
        "--table", "shop-products", "--table", "shop-audit"}},
      {false,
       {"--policy", "testdata/examples/shop/role.json", "--format", "json"}},
      {true,
       {"--code", "testdata/examples/tenants", "--policy",
        "testdata/examples/tenants/role.json"}},
      {false,
       {"--policy", "testdata/examples/tenants/role.json", "--format", "json"}},
  };
  int arns = 0, witnesses = 0;
  for (const Run& run : runs) {
    std::ostringstream out, err;
    const int status = run.check ? RunCheckCommand(run.args, out, err)
                                 : RunReachCommand(run.args, out, err);
    ASSERT_TRUE(status == 0 || status == 1) << status << ": " << err.str();
    const Scanned s = Scan(out.str());
    arns += s.arns;
    witnesses += s.witnesses;
    for (const std::string& problem : s.problems) {
      ADD_FAILURE() << (run.check ? "check " : "reach ") << run.args[1] << ": "
                    << problem;
    }
  }
  std::cout << "bundled examples: " << arns << " concrete ARNs, " << witnesses
            << " witnesses\n";
  EXPECT_GT(arns, 100);
  EXPECT_GT(witnesses, 20);
}

}  // namespace
}  // namespace leastpriv

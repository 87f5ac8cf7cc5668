// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Every public header in one translation unit, linked with //:leastpriv;
// and the scanner's and the validator's findings used side by side in one
// program, as the one Finding type of finding.h. pyscan.h and validate.h
// once declared two different leastpriv::Finding structs: this file did
// not compile, and a program linking both layers broke the one-definition
// rule (the scanner's sort of its findings crashed).

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/catalog.h"
#include "leastpriv/diff.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/finding.h"
#include "leastpriv/iac.h"
#include "leastpriv/policy.h"
#include "leastpriv/project.h"
#include "leastpriv/pyscan.h"
#include "leastpriv/replay.h"
#include "leastpriv/report.h"
#include "leastpriv/review.h"
#include "leastpriv/validate.h"

namespace leastpriv {
namespace {

// This file includes every header of include/leastpriv: a header added
// there without being added here fails.
TEST(PublicHeadersTest, EveryPublicHeaderIsIncluded) {
  std::set<std::string> headers;
  for (const auto& entry :
       std::filesystem::directory_iterator("include/leastpriv")) {
    if (entry.path().extension() == ".h") {
      headers.insert(entry.path().filename().string());
    }
  }
  ASSERT_GE(headers.size(), 13u);
  std::ifstream in("lib/report/public_headers_test.cc");
  ASSERT_TRUE(in.good());
  std::stringstream source;
  source << in.rdbuf();
  for (const std::string& h : headers) {
    EXPECT_NE(source.str().find("#include \"leastpriv/" + h + "\""),
              std::string::npos)
        << h;
  }
}

TEST(PublicHeadersTest, ScannerAndValidatorFindingsCoexist) {
  ScanResult scan = ScanSource("shop/settings.py",
                               "DEBUG = True\n"
                               "AWS_ACCESS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\"\n"
                               "KEY2 = \"AKIAIOSFODNN7EXAMPLF\"\n");
  ASSERT_GE(scan.findings.size(), 2u);
  std::vector<Finding> all = scan.findings;

  ParseOptions options;
  options.file_name = "p.json";
  FileValidation v = ValidatePolicyText(
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Action": "dynamodb:GetItems", "Resource": "*"}]})",
      options);
  ASSERT_EQ(v.findings.size(), 1u);
  EXPECT_EQ(v.findings[0].code, FindingCode::kUnknownAction);
  all.insert(all.end(), v.findings.begin(), v.findings.end());
  std::vector<std::string> ids;
  for (const Finding& f : all) ids.emplace_back(FindingId(f.code));
  EXPECT_THAT(ids, ::testing::Contains("django-debug-true"));
  EXPECT_THAT(ids, ::testing::Contains("aws-access-key-id"));
  EXPECT_THAT(ids, ::testing::Contains("unknown-action"));
}

// The project model, the comparison of policies and the review link into
// one program with the rest: one leastpriv.json schema serves them all.
TEST(PublicHeadersTest, ProjectDiffAndReviewLinkTogether) {
  absl::StatusOr<ProjectConfig> config = ParseProjectConfig(
      R"({"account": "111122223333", "region": "eu-west-1", "code": "app",
          "fail_on": "write", "scps": [["a.json", "b.json"]]})",
      "leastpriv.json");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->scps[0].size(), 2u);
  ParseOptions options;
  options.file_name = "table.json";
  options.kind = PolicyKind::kResource;
  absl::StatusOr<Policy> open = ParsePolicy(
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": "*", "Action": "dynamodb:GetItem", "Resource": "*"}]})",
      options);
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_EQ(CheckNoPublicAccess(*open).grants.size(), 1u);
  ReviewResult empty;
  EXPECT_THAT(ReviewJson(empty), ::testing::HasSubstr("\"comments\": []"));
}

}  // namespace
}  // namespace leastpriv

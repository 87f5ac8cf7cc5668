// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Every public header in one translation unit, and the scanner's and the
// validator's findings used side by side in one program. pyscan.h and
// validate.h once declared two different leastpriv::Finding structs: this
// file did not compile, and a program linking both layers broke the
// one-definition rule (the scanner's sort of its findings crashed).

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/catalog.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/iac.h"
#include "leastpriv/policy.h"
#include "leastpriv/pyscan.h"
#include "leastpriv/report.h"
#include "leastpriv/validate.h"

namespace leastpriv {
namespace {

TEST(PublicHeadersTest, ScannerAndValidatorFindingsCoexist) {
  ScanResult scan = ScanSource("shop/settings.py",
                               "DEBUG = True\n"
                               "AWS_ACCESS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\"\n"
                               "KEY2 = \"AKIAIOSFODNN7EXAMPLF\"\n");
  ASSERT_GE(scan.findings.size(), 2u);
  std::vector<std::string> ids;
  for (const CodeFinding& f : scan.findings) ids.push_back(f.id);
  EXPECT_THAT(ids, ::testing::Contains("django-debug-true"));
  EXPECT_THAT(ids, ::testing::Contains("aws-access-key-id"));

  ParseOptions options;
  options.file_name = "p.json";
  FileValidation v = ValidatePolicyText(
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Action": "dynamodb:GetItems", "Resource": "*"}]})",
      options);
  ASSERT_EQ(v.findings.size(), 1u);
  EXPECT_EQ(v.findings[0].code, "UNKNOWN_ACTION");
}

}  // namespace
}  // namespace leastpriv

// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/common/analysis_options.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace leastpriv::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using Context = std::map<std::string, std::vector<std::string>>;

// Reads every argument of `args` as an analysis option, as a command's loop
// would; the position of an argument that is not one is returned in
// `*other`.
absl::Status ReadAll(const std::vector<std::string>& args,
                     AnalysisOptions* options, Context* context,
                     std::vector<std::size_t>* other) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::size_t at = i;
    absl::StatusOr<bool> read = ReadAnalysisOption(args, &i, options, context);
    if (!read.ok()) return read.status();
    if (!*read) {
      EXPECT_EQ(i, at) << "an argument that is not an option was consumed";
      other->push_back(at);
    }
  }
  return absl::OkStatus();
}

TEST(AnalysisOptionsTest, ReadsEachOptionAndLeavesTheRest) {
  AnalysisOptions options;
  Context context;
  std::vector<std::size_t> other;
  ASSERT_TRUE(ReadAll({"--rlimit", "1234", "--table", "T", "--exact-variables",
                       "--max-solver-questions", "0", "--context",
                       "aws:SecureTransport=true", "--context", "aws:SourceIp=",
                       "--context", "dynamodb:LeadingKeys=a,b"},
                      &options, &context, &other)
                  .ok());
  EXPECT_EQ(options.rlimit, 1234u);
  EXPECT_TRUE(options.decide_free_variables);
  EXPECT_EQ(options.max_solver_questions, 0u);
  EXPECT_THAT(other, ElementsAre(2, 3));
  EXPECT_THAT(context["aws:SecureTransport"], ElementsAre("true"));
  // An empty value fixes the key to be absent.
  ASSERT_EQ(context.count("aws:SourceIp"), 1u);
  EXPECT_TRUE(context["aws:SourceIp"].empty());
  EXPECT_THAT(context["dynamodb:LeadingKeys"], ElementsAre("a", "b"));
}

// Free variables are decided by default; --no-exact-variables turns that
// off, and the last of the two flags counts.
TEST(AnalysisOptionsTest, ExactVariablesByDefaultAndTheLastFlagCounts) {
  EXPECT_TRUE(AnalysisOptions().decide_free_variables);
  AnalysisOptions options;
  Context context;
  std::vector<std::size_t> other;
  ASSERT_TRUE(
      ReadAll({"--no-exact-variables"}, &options, &context, &other).ok());
  EXPECT_FALSE(options.decide_free_variables);
  ASSERT_TRUE(ReadAll({"--no-exact-variables", "--exact-variables"}, &options,
                      &context, &other)
                  .ok());
  EXPECT_TRUE(options.decide_free_variables);
  EXPECT_TRUE(other.empty());
}

TEST(AnalysisOptionsTest, DefaultsStayWhenNotGiven) {
  AnalysisOptions options;
  Context context;
  std::vector<std::size_t> other;
  ASSERT_TRUE(ReadAll({"--format", "json"}, &options, &context, &other).ok());
  EXPECT_EQ(options.rlimit, AnalysisOptions().rlimit);
  EXPECT_EQ(options.max_solver_questions, 1000u);
  EXPECT_EQ(options.decide_free_variables,
            AnalysisOptions().decide_free_variables);
  EXPECT_TRUE(context.empty());
  EXPECT_THAT(other, ElementsAre(0, 1));
}

TEST(AnalysisOptionsTest, BadValuesAreNamed) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (
      const Case& c : std::vector<Case>{
          {{"--rlimit"}, "--rlimit needs a value"},
          {{"--rlimit", "0"}, "--rlimit expects a positive integer, not \"0\""},
          {{"--rlimit", "-5"},
           "--rlimit expects a positive integer, not \"-5\""},
          {{"--rlimit", "12x"},
           "--rlimit expects a positive integer, not \"12x\""},
          {{"--rlimit", "99999999999999999999999"},
           "--rlimit expects a positive integer"},
          {{"--max-solver-questions"}, "--max-solver-questions needs a value"},
          {{"--max-solver-questions", "-1"},
           "--max-solver-questions expects a non-negative integer, not \"-1\""},
          {{"--max-solver-questions", "many"},
           "--max-solver-questions expects a non-negative integer, not "
           "\"many\""},
          {{"--context"}, "--context needs a value"},
          {{"--context", "novalue"},
           "--context expects KEY=VALUE[,VALUE...], not \"novalue\""},
          {{"--context", "=x"},
           "--context expects KEY=VALUE[,VALUE...], not \"=x\""},
      }) {
    AnalysisOptions options;
    Context context;
    std::vector<std::size_t> other;
    absl::Status s = ReadAll(c.args, &options, &context, &other);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.args[0];
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.message));
  }
}

TEST(AnalysisOptionsTest, ContextIsNotReadWhereTheCommandTakesNone) {
  AnalysisOptions options;
  std::vector<std::string> args = {"--context", "k=v"};
  std::size_t i = 0;
  absl::StatusOr<bool> read = ReadAnalysisOption(args, &i, &options, nullptr);
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(*read);
  EXPECT_EQ(i, 0u);
}

TEST(AnalysisOptionsTest, UsageNamesEachOption) {
  EXPECT_THAT(kAnalysisOptionsUsage, HasSubstr("--rlimit N"));
  EXPECT_THAT(kAnalysisOptionsUsage, HasSubstr("--max-solver-questions N"));
  EXPECT_THAT(kAnalysisOptionsUsage, HasSubstr("--no-exact-variables"));
}

}  // namespace
}  // namespace leastpriv::cli

// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Runs as the commands do: main restarts the test binary first. The
// targets give GLIBC_TUNABLES in their environment (see BUILD.bazel);
// EXPECTED_TUNABLES is what the restarted process must see.

#include "tools/leastpriv/common/large_pages.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace leastpriv::cli {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

TEST(LargePagesTest, TheGivenTunablesAreKept) {
  const std::string given = Env("GIVEN_TUNABLES");
  if (LargePagesCanHelp() &&
      given.find(kLargePagesTunable) == std::string::npos) {
    EXPECT_EQ(Env("GLIBC_TUNABLES"), Env("EXPECTED_TUNABLES"));
  } else {
    // Nothing to restart for: the environment is as given.
    EXPECT_EQ(Env("GLIBC_TUNABLES"), given);
  }
}

// The heap of the restarted process asks the kernel for huge pages: its
// mapping is eligible for them.
TEST(LargePagesTest, TheHeapIsEligibleForHugePages) {
  if (!LargePagesCanHelp() ||
      Env("GLIBC_TUNABLES").find(std::string(kLargePagesTunable) + "=1") ==
          std::string::npos) {
    GTEST_SKIP() << "the process does not ask for huge pages";
  }
  // Small blocks, as the scan makes: they come from the heap.
  std::vector<std::unique_ptr<char[]>> blocks;
  for (int i = 0; i < 200000; ++i) blocks.emplace_back(new char[100]());
  // The heap is several mappings: glibc advises the kernel of its whole
  // huge pages only, past the start of the heap.
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool in_heap = false;
  bool eligible = false;
  while (std::getline(smaps, line)) {
    // A mapping's first line; the others are "Field:   value".
    const std::string first = line.substr(0, line.find(' '));
    const bool header = !first.empty() && first.back() != ':';
    if (header) in_heap = line.find(" [heap]") != std::string::npos;
    if (in_heap && line.rfind("THPeligible:", 0) == 0 &&
        line.find('1') != std::string::npos) {
      eligible = true;
    }
  }
  EXPECT_TRUE(eligible);
}

}  // namespace
}  // namespace leastpriv::cli

int main(int argc, char** argv) {
  leastpriv::cli::RestartWithLargePages(argv);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

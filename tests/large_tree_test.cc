// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The project-tree limit at full scale: ScanOptions::max_files is 100,000
// entries by default. A real tree of exactly 100,000 entries (1,000 nested
// directories, 99,000 files of which 900 are Python) is scanned whole; one
// entry more is refused, by the library and by the commands, with an error
// that names the limit and the entry the walk stopped at.
//
// Each leaf directory holds a views.py and a README.md of its own; its 108
// other files are hard links to a few empty files. The walk meets a link
// like any other file (one entry, a regular file), but making one allocates
// no inode: on a shared 2-core ext4 machine, 100,000 separate empty files
// took from 1 s (idle) to 55 s (busy) to create, 100,000 links about 1 s.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leastpriv/pyscan.h"
#include "tools/leastpriv/check/check_command.h"
#include "tools/leastpriv/scan/scan_command.h"

namespace leastpriv {
namespace {

namespace fs = std::filesystem;
using ::testing::StartsWith;

constexpr int kTopDirs = 100;       // d00 .. d99
constexpr int kSubDirs = 9;         // e0 .. e8 in each
constexpr int kFilesPerLeaf = 110;  // views.py, README.md, 108 links
constexpr int kEntries = kTopDirs + kTopDirs * kSubDirs * (1 + kFilesPerLeaf);
static_assert(kEntries == 100000, "the tree is exactly at the limit");
constexpr int kPythonFiles = kTopDirs * kSubDirs;

// Generous: the scan of the whole tree takes about a second here.
constexpr double kScanSecondsBound = 60;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

// Links to one file stay well below ext4's 65,000 links per inode.
constexpr int kLinksPerSource = 50000;

void WriteFile(const std::string& path, const std::string& text) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0) << path;
  if (!text.empty()) {
    ASSERT_EQ(write(fd, text.data(), text.size()),
              static_cast<ssize_t>(text.size()));
  }
  close(fd);
}

class LargeTreeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* tmp = std::getenv("TEST_TMPDIR");
    root_ = new std::string(
        (fs::path(tmp != nullptr ? tmp : "/tmp") / "large_tree").string());
    fs::remove_all(*root_);
    const auto start = std::chrono::steady_clock::now();
    fs::create_directory(*root_);
    static const char* const kExtensions[] = {".txt", ".html", ".json",
                                              ".css", ".pyc",  ".md"};
    // The empty files the links point to, outside the scanned tree.
    std::string source;
    int links = 0;
    for (int d = 0; d < kTopDirs; ++d) {
      const std::string top = absl::StrCat(*root_, "/d", d / 10, d % 10);
      mkdir(top.c_str(), 0755);
      for (int e = 0; e < kSubDirs; ++e) {
        const std::string leaf = absl::StrCat(top, "/e", e);
        mkdir(leaf.c_str(), 0755);
        WriteFile(
            leaf + "/views.py",
            absl::StrCat("import boto3\n\n\ndef get(key):\n"
                         "    return boto3.client(\"dynamodb\").get_item(",
                         "TableName=\"t", (d * kSubDirs + e) % 10,
                         "\", Key=key)\n"));
        WriteFile(leaf + "/README.md",
                  absl::StrCat("# part ", d, ".", e, "\n"));
        // The scanner only counts the other files: links to empty files.
        for (int f = 2; f < kFilesPerLeaf; ++f, ++links) {
          if (links % kLinksPerSource == 0) {
            source = absl::StrCat(*root_, ".empty", links / kLinksPerSource);
            WriteFile(source, "");
          }
          const std::string path =
              absl::StrCat(leaf, "/f", f, kExtensions[f % 6]);
          if (link(source.c_str(), path.c_str()) != 0) WriteFile(path, "");
        }
      }
    }
    create_seconds_ = Seconds(start);
    std::printf("created %d entries in %.2f s\n", kEntries, create_seconds_);
  }

  static void TearDownTestSuite() {
    const auto start = std::chrono::steady_clock::now();
    std::error_code ec;
    fs::remove_all(*root_, ec);
    for (int i = 0; i * kLinksPerSource < kEntries; ++i) {
      fs::remove(absl::StrCat(*root_, ".empty", i), ec);
    }
    std::printf("removed the tree in %.2f s\n", Seconds(start));
    delete root_;
    root_ = nullptr;
  }

  // The entry one beyond the limit: last in the walk's sorted order.
  static std::string Extra() { return *root_ + "/zz.txt"; }

  static std::string* root_;
  static double create_seconds_;
};

std::string* LargeTreeTest::root_ = nullptr;
double LargeTreeTest::create_seconds_ = 0;

TEST_F(LargeTreeTest, TreeAtTheLimitIsScannedWhole) {
  std::error_code ec;
  fs::remove(Extra(), ec);
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<ScanResult> r = ScanProject(*root_);
  const double seconds = Seconds(start);
  std::printf("scanned %d entries in %.2f s\n", kEntries, seconds);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->files_scanned, static_cast<size_t>(kPythonFiles));
  EXPECT_EQ(r->operations.size(), static_cast<size_t>(kPythonFiles));
  EXPECT_TRUE(r->errors.empty());
  EXPECT_EQ(r->operations.front().file, "d00/e0/views.py");
  EXPECT_EQ(r->operations.back().file, "d99/e8/views.py");
  EXPECT_LT(seconds, kScanSecondsBound);
}

TEST_F(LargeTreeTest, OneEntryMoreIsRefusedWithTheLimitAndThePosition) {
  WriteFile(Extra(), "");
  const std::string message =
      absl::StrCat(Extra(), ": more than 100000 files and directories under ",
                   *root_, " (max_files); refusing to scan a partial tree");

  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<ScanResult> r = ScanProject(*root_);
  const double seconds = Seconds(start);
  std::printf("refused %d entries in %.2f s\n", kEntries + 1, seconds);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().message(), message);
  EXPECT_LT(seconds, kScanSecondsBound);

  // The commands: exit 2 and that one diagnostic line, no output.
  std::ostringstream out, err;
  EXPECT_EQ(RunScanCommand({*root_}, out, err), 2);
  EXPECT_EQ(err.str(), "leastpriv: error: " + message + "\n");
  EXPECT_EQ(out.str(), "");

  const std::string policy = *root_ + "/../large_tree_role.json";
  WriteFile(policy,
            R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Action": "dynamodb:GetItem",
                "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/*"}]})");
  std::ostringstream check_out, check_err;
  EXPECT_EQ(RunCheckCommand({"--code", *root_, "--policy", policy}, check_out,
                            check_err),
            2);
  EXPECT_EQ(check_err.str(), "leastpriv: error: " + message + "\n");
  EXPECT_EQ(check_out.str(), "");
  fs::remove(Extra());
}

}  // namespace
}  // namespace leastpriv

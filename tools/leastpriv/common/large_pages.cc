// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/common/large_pages.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace leastpriv::cli {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// The kernel's mode ("[always] madvise never"): huge pages are there for
// a heap that asks for them unless the mode is "never".
bool KernelOffersHugePages() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  if (!std::getline(in, modes)) return false;
  return modes.find("[always]") != std::string::npos ||
         modes.find("[madvise]") != std::string::npos;
}

}  // namespace

bool LargePagesCanHelp() {
#if defined(__GLIBC__) && defined(__linux__)
  return !kSanitized && KernelOffersHugePages();
#else
  return false;
#endif
}

void RestartWithLargePages(char** argv) {
#if defined(__GLIBC__) && defined(__linux__)
  if (argv == nullptr || argv[0] == nullptr) return;
  const char* given = std::getenv("GLIBC_TUNABLES");
  std::string tunables = given == nullptr ? "" : given;
  if (tunables.find(kLargePagesTunable) != std::string::npos) return;
  if (!LargePagesCanHelp()) return;
  std::string value = tunables;
  if (!value.empty()) value += ':';
  value += kLargePagesTunable;
  value += "=1";
  // Blocks up to 32 MB (a large file's text, a table's array) come from
  // the heap too. From their own mappings, each would be a fresh huge
  // page to clear and give back: the standard library's scan spent 44%
  // of its time clearing pages.
  if (tunables.find(kMmapThresholdTunable) == std::string::npos) {
    value += ':';
    value += kMmapThresholdTunable;
    value += "=33554432";
  }
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Not restarted: go on as started, with the environment as given.
  if (given == nullptr) {
    unsetenv("GLIBC_TUNABLES");
  } else {
    setenv("GLIBC_TUNABLES", tunables.c_str(), 1);
  }
#else
  (void)argv;
#endif
}

}  // namespace leastpriv::cli

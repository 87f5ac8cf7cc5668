// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The scan keeps every module's syntax tree, names and memoized values
// until the project is analysed: hundreds of megabytes of small objects
// read in no particular order. Backed by 4 KB pages, a large share of its
// time goes to page faults and TLB misses (on the 2-core development
// machine, the standard library's 1,790 files: 76,500 page faults and
// 1.6 s of CPU; on transparent huge pages 2,100 faults and 0.6 to 0.8 s).
//
// glibc's malloc backs its heap with transparent huge pages only when the
// tunable glibc.malloc.hugetlb=1 is in the environment at start-up, and
// nothing a running process does can turn it on. So the commands that
// scan code start once more, at once, with the tunable added. (A restart
// costs about 20 ms: the other commands do not.)

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_COMMON_LARGE_PAGES_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_COMMON_LARGE_PAGES_H_

namespace leastpriv::cli {

// The tunables RestartWithLargePages adds to GLIBC_TUNABLES.
inline constexpr char kLargePagesTunable[] = "glibc.malloc.hugetlb";
inline constexpr char kMmapThresholdTunable[] = "glibc.malloc.mmap_threshold";

// Replaces the process by the same program with the same arguments and
// `glibc.malloc.hugetlb=1` added to GLIBC_TUNABLES, with
// `glibc.malloc.mmap_threshold=33554432` unless the environment sets it
// (the other tunables given kept). Call it first in main, before any
// thread, file or output.
// Returns, changing nothing, when the restart would not help or cannot
// be made: GLIBC_TUNABLES already sets glibc.malloc.hugetlb (the user's
// choice, or this is the restarted process: `glibc.malloc.hugetlb=0`
// turns the restart off), the kernel's transparent huge pages are off,
// the C library is not glibc, the program runs under a sanitizer, or
// the program cannot be executed again.
void RestartWithLargePages(char** argv);

// Whether RestartWithLargePages restarts a process whose environment does
// not set glibc.malloc.hugetlb: glibc on Linux, no sanitizer, and the
// kernel's transparent huge pages not off.
bool LargePagesCanHelp();

}  // namespace leastpriv::cli

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_COMMON_LARGE_PAGES_H_

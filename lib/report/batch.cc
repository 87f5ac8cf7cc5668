// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// RunCheckBatch: RunCheck for many roles on a pool of threads. Each thread
// takes the next unchecked role and writes its result into that role's
// slot, so the order of the results never depends on the scheduling.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <system_error>
#include <thread>
#include <vector>

#include "leastpriv/report.h"

namespace leastpriv {

int CheckExitStatus(const absl::StatusOr<CheckReport>& report,
                    FailLevel level) {
  if (!report.ok()) return 2;
  if (!report->unknown.empty()) return 3;
  return CheckFails(*report, level) ? 1 : 0;
}

int BatchExitStatus(const std::vector<RoleCheckResult>& results,
                    FailLevel level) {
  // Severity of each exit status: 0 < 1 < 3 < 2.
  auto rank = [](int status) {
    return status == 2 ? 3 : status == 3 ? 2 : status;
  };
  int worst = 0;
  for (const RoleCheckResult& r : results) {
    const int status = CheckExitStatus(r.report, level);
    if (rank(status) > rank(worst)) worst = status;
  }
  return worst;
}

std::vector<RoleCheckResult> RunCheckBatch(
    const std::vector<RoleCheckInput>& roles, int jobs) {
  std::vector<RoleCheckResult> results(roles.size());
  for (std::size_t i = 0; i < roles.size(); ++i) {
    results[i].role = roles[i].role;
    results[i].arn = roles[i].arn;
    if (!roles[i].input.ok()) results[i].report = roles[i].input.status();
  }
  if (jobs <= 0) jobs = static_cast<int>(std::thread::hardware_concurrency());
  const std::size_t threads = std::min<std::size_t>(
      static_cast<std::size_t>(std::max(jobs, 1)), roles.size());

  std::atomic<std::size_t> next{0};
  auto work = [&roles, &results, &next] {
    for (std::size_t i = next++; i < roles.size(); i = next++) {
      if (roles[i].input.ok()) results[i].report = RunCheck(*roles[i].input);
    }
  };
  if (threads <= 1) {
    work();
    return results;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // the threads already started take the remaining roles
    }
  }
  if (pool.empty()) work();
  for (std::thread& t : pool) t.join();
  return results;
}

}  // namespace leastpriv

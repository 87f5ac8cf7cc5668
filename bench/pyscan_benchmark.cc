// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Scanner throughput on a corpus of Python files (by default the standard
// library of the python3 on PATH; PYSCAN_BENCH_CORPUS overrides it), single
// threaded and with one worker per core, and CPython's own `ast.parse` over
// the same files, timed in the same run by a python3 child process that
// reports its parse time (file reading excluded on both sides). Run with:
//   bazel run -c opt //bench:pyscan_benchmark
//
// Counters: MB/s is bytes of source scanned per second; the
// BM_PythonAstParse entry reports CPython's parse throughput, and
// "vs_ast" on the scanner entries is the speed ratio against it.

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "leastpriv/pyscan.h"

namespace leastpriv {
namespace {

struct SourceFile {
  std::string path;
  std::string text;
};

struct Corpus {
  std::string root;
  std::vector<SourceFile> files;
  std::size_t bytes = 0;
};

std::string RunAndCapture(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) out.append(buffer, n);
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
    out.pop_back();
  }
  return out;
}

void Collect(const std::string& dir, int depth, Corpus* corpus) {
  if (depth > 16) return;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) names.push_back(e->d_name);
  closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    if (name == "." || name == ".." || name == "site-packages" ||
        name == "dist-packages") {
      continue;
    }
    std::string path = dir + "/" + name;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      Collect(path, depth + 1, corpus);
    } else if (S_ISREG(st.st_mode) && name.size() > 3 &&
               name.compare(name.size() - 3, 3, ".py") == 0) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      corpus->bytes += ss.str().size();
      corpus->files.push_back({path, ss.str()});
    }
  }
}

const Corpus& TheCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    if (const char* env = std::getenv("PYSCAN_BENCH_CORPUS")) {
      c->root = env;
    } else {
      c->root = RunAndCapture(
          "python3 -c 'import sysconfig; "
          "print(sysconfig.get_paths()[\"stdlib\"])' 2>/dev/null");
    }
    if (!c->root.empty()) Collect(c->root, 0, c);
    std::fprintf(stderr, "pyscan_benchmark: corpus %s: %zu files, %.1f MB\n",
                 c->root.c_str(), c->files.size(), c->bytes / 1e6);
    return c;
  }();
  return *corpus;
}

// CPython's ast.parse over the corpus files, in seconds (parse time only),
// or a negative value when python3 is not available.
double PythonAstSeconds(const Corpus& corpus) {
  static double seconds = [&corpus] {
    if (corpus.root.empty()) return -1.0;
    // The child walks the same tree in the same way (sorted, skipping
    // site-packages and symlinks) and times ast.parse only.
    std::string script =
        "import ast, os, sys, time, warnings\n"
        "warnings.simplefilter('ignore')\n"
        "paths = []\n"
        "for d, dirs, files in os.walk(sys.argv[1]):\n"
        "    dirs[:] = sorted(x for x in dirs if x not in "
        "('site-packages', 'dist-packages') and not "
        "os.path.islink(os.path.join(d, x)))\n"
        "    paths += [os.path.join(d, f) for f in sorted(files) if "
        "f.endswith('.py') and not os.path.islink(os.path.join(d, f))]\n"
        "srcs = [open(p, 'rb').read() for p in paths]\n"
        "t = time.perf_counter()\n"
        "for s in srcs:\n"
        "    try:\n"
        "        ast.parse(s)\n"
        "    except Exception:\n"
        "        pass\n"
        "print(time.perf_counter() - t)\n";
    std::string path = "/tmp/leastpriv_pyscan_bench_ast.py";
    if (const char* tmp = std::getenv("TMPDIR")) {
      path = std::string(tmp) + "/leastpriv_pyscan_bench_ast.py";
    }
    {
      std::ofstream out(path);
      out << script;
    }
    std::string out =
        RunAndCapture("python3 '" + path + "' '" + corpus.root + "'");
    std::remove(path.c_str());
    char* end = nullptr;
    double s = std::strtod(out.c_str(), &end);
    return end == out.c_str() ? -1.0 : s;
  }();
  return seconds;
}

std::size_t ScanRange(const Corpus& corpus, std::size_t begin,
                      std::size_t step) {
  std::size_t ops = 0;
  for (std::size_t i = begin; i < corpus.files.size(); i += step) {
    ScanResult r = ScanSource(corpus.files[i].path, corpus.files[i].text);
    ops += r.operations.size() + r.errors.size();
  }
  return ops;
}

// `seconds`: wall time of all iterations of the scanner.
void ReportRatio(benchmark::State& state, const Corpus& corpus,
                 double seconds) {
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(corpus.bytes));
  double ast = PythonAstSeconds(corpus);
  if (ast > 0 && seconds > 0) {
    state.counters["ast_MBps"] = corpus.bytes / 1e6 / ast;
    state.counters["vs_ast"] = ast / (seconds / state.iterations());
  }
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       start)
      .count();
}

void BM_ScanCorpusSingleThread(benchmark::State& state) {
  const Corpus& corpus = TheCorpus();
  if (corpus.files.empty()) {
    state.SkipWithError("no Python corpus (set PYSCAN_BENCH_CORPUS)");
    return;
  }
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) benchmark::DoNotOptimize(ScanRange(corpus, 0, 1));
  ReportRatio(state, corpus, SecondsSince(start));
}
BENCHMARK(BM_ScanCorpusSingleThread)->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_ScanCorpusAllCores(benchmark::State& state) {
  const Corpus& corpus = TheCorpus();
  if (corpus.files.empty()) {
    state.SkipWithError("no Python corpus (set PYSCAN_BENCH_CORPUS)");
    return;
  }
  unsigned workers = std::max(1u, std::thread::hardware_concurrency());
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    std::atomic<std::size_t> total{0};
    std::vector<std::thread> threads;
    for (unsigned w = 0; w < workers; ++w) {
      threads.emplace_back([&corpus, &total, w, workers] {
        total += ScanRange(corpus, w, workers);
      });
    }
    for (std::thread& t : threads) t.join();
    benchmark::DoNotOptimize(total.load());
  }
  double seconds = SecondsSince(start);
  state.counters["threads"] = workers;
  ReportRatio(state, corpus, seconds);
}
BENCHMARK(BM_ScanCorpusAllCores)->Unit(benchmark::kMillisecond)->UseRealTime();

// One iteration is CPython's measured parse time of the whole corpus.
void BM_PythonAstParse(benchmark::State& state) {
  const Corpus& corpus = TheCorpus();
  double seconds = PythonAstSeconds(corpus);
  if (seconds <= 0) {
    state.SkipWithError("python3 not available");
    return;
  }
  for (auto _ : state) state.SetIterationTime(seconds);
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(corpus.bytes));
}
BENCHMARK(BM_PythonAstParse)->UseManualTime()->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace leastpriv

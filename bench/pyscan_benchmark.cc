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
//
// BM_ScanDynamoDbTree/N scans a generated DynamoDB-heavy project of N files
// (services sharing boto3 clients, resources, Tables, PynamoDB models and
// helpers across imports; written to a temporary directory, the same bytes
// on every run) with ScanProject on one thread, in a child process whose
// CPU time is the benchmark's time and whose peak resident memory is
// reported (peak_rss_MB); vs_ast is the CPU time of CPython's ast.parse
// over the same files divided by the scan's.
// PYSCAN_BENCH_TREE_DIR keeps the generated trees in that directory.
//
// Like the leastpriv commands that scan code, the benchmark starts once more
// with glibc's malloc on transparent huge pages
// (tools/leastpriv/common/large_pages.h); GLIBC_TUNABLES=glibc.malloc.hugetlb=0
// measures without them. CPython's parse time does not move with the tunable
// (its objects live in arenas of its own).

#include <dirent.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "leastpriv/pyscan.h"
#include "tools/leastpriv/common/large_pages.h"

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
  while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0)
    out.append(buffer, n);
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

// CPython's ast.parse over the Python files under `root`, in seconds (parse
// time only: wall time, or the process's CPU time when `cpu`), or a
// negative value when python3 is not available. Measured once per root.
double AstParseSeconds(const std::string& root, bool cpu = false) {
  static std::map<std::string, std::pair<double, double>>* measured =
      new std::map<std::string, std::pair<double, double>>;
  auto found = measured->find(root);
  if (found != measured->end()) {
    return cpu ? found->second.second : found->second.first;
  }
  if (root.empty()) return -1.0;
  // The child walks the tree in the same way as Collect (sorted, skipping
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
      "c = time.process_time()\n"
      "for s in srcs:\n"
      "    try:\n"
      "        ast.parse(s)\n"
      "    except Exception:\n"
      "        pass\n"
      "print(time.perf_counter() - t, time.process_time() - c)\n";
  std::string path = "/tmp/leastpriv_pyscan_bench_ast.py";
  if (const char* tmp = std::getenv("TMPDIR")) {
    path = std::string(tmp) + "/leastpriv_pyscan_bench_ast.py";
  }
  {
    std::ofstream out(path);
    out << script;
  }
  std::string out = RunAndCapture("python3 '" + path + "' '" + root + "'");
  std::remove(path.c_str());
  double wall = -1.0;
  double process = -1.0;
  if (std::sscanf(out.c_str(), "%lf %lf", &wall, &process) != 2) {
    wall = process = -1.0;
  }
  measured->emplace(root, std::make_pair(wall, process));
  return cpu ? process : wall;
}

double PythonAstSeconds(const Corpus& corpus) {
  return AstParseSeconds(corpus.root);
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
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
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
BENCHMARK(BM_ScanCorpusSingleThread)
    ->Unit(benchmark::kMillisecond)
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
BENCHMARK(BM_PythonAstParse)
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// ------------------------------------------------ a generated DynamoDB tree

// Deterministic choices (splitmix64): the same tree on every platform.
class Choices {
 public:
  explicit Choices(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  bool OneIn(int n) { return Next() % static_cast<std::uint64_t>(n) == 0; }

 private:
  std::uint64_t state_;
};

// `text` with every "@K@" replaced by vars[K].
std::string Fill(const std::string& text,
                 const std::map<std::string, std::string>& vars) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '@') {
      std::size_t close = text.find('@', i + 1);
      if (close != std::string::npos) {
        auto it = vars.find(text.substr(i + 1, close - i - 1));
        if (it != vars.end()) {
          out += it->second;
          i = close;
          continue;
        }
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// The files every service shares: clients and resources, helpers that take
// a table, a repository class, the models' base, a Django settings module.
const char* const kSharedFiles[][2] = {
    {"common/__init__.py", "\"\"\"Code shared by every service.\"\"\"\n"},
    {"common/aws.py",
     R"PY("""Shared AWS clients and resources."""
import os

import boto3

REGION = os.environ.get("AWS_REGION", "eu-west-1")
session = boto3.Session(region_name=REGION)
dynamodb = boto3.resource("dynamodb", region_name=REGION)
ddb_client = boto3.client("dynamodb", region_name=REGION)
streams = boto3.client("dynamodbstreams", region_name=REGION)


def table(name):
    return dynamodb.Table(name)
)PY"},
    {"common/helpers.py",
     R"PY("""Helpers every service calls with its own tables."""
import logging
import time

from boto3.dynamodb.conditions import Key

logger = logging.getLogger(__name__)


def put_record(table, item, condition=None):
    kwargs = {"Item": item}
    if condition:
        kwargs["ConditionExpression"] = condition
    return table.put_item(**kwargs)


def get_record(table, key):
    response = table.get_item(Key=key)
    return response.get("Item")


def query_by_key(table, name, value, index=None):
    kwargs = {"KeyConditionExpression": Key(name).eq(value)}
    if index is not None:
        kwargs["IndexName"] = index
    items = []
    while True:
        response = table.query(**kwargs)
        items.extend(response.get("Items", []))
        start = response.get("LastEvaluatedKey")
        if not start:
            return items
        kwargs["ExclusiveStartKey"] = start


def paginate_scan(table, limit=100):
    started = time.monotonic()
    response = table.scan(Limit=limit)
    items = list(response.get("Items", []))
    while "LastEvaluatedKey" in response:
        response = table.scan(
            Limit=limit, ExclusiveStartKey=response["LastEvaluatedKey"]
        )
        items.extend(response["Items"])
    logger.debug("scan took %.2f s", time.monotonic() - started)
    return items


def delete_many(table, keys):
    with table.batch_writer() as batch:
        for key in keys:
            batch.delete_item(Key=key)
)PY"},
    {"common/repo.py",
     R"PY("""A small repository over one table."""
from common.helpers import get_record, put_record


class Repository:
    def __init__(self, table):
        self.table = table

    def get(self, key):
        return get_record(self.table, key)

    def save(self, item):
        return put_record(self.table, item)

    def remove(self, key):
        return self.table.delete_item(Key=key)

    def touch(self, key, now):
        return self.table.update_item(
            Key=key,
            UpdateExpression="SET updated_at = :now",
            ExpressionAttributeValues={":now": now},
        )


class CachedRepository(Repository):
    def __init__(self, table, size=128):
        super().__init__(table)
        self.size = size
        self.cache = {}

    def get(self, key):
        marker = tuple(sorted(key.items()))
        if marker not in self.cache:
            if len(self.cache) >= self.size:
                self.cache.clear()
            self.cache[marker] = super().get(key)
        return self.cache[marker]
)PY"},
    {"common/models.py",
     R"PY("""The base of every PynamoDB model of the project."""
import os

from pynamodb.models import Model


class BaseModel(Model):
    class Meta:
        abstract = True
        region = os.environ.get("AWS_REGION", "eu-west-1")

    def to_dict(self):
        return {name: getattr(self, name) for name in self.get_attributes()}
)PY"},
    {"common/streams.py",
     R"PY("""Change streams of the project's tables."""
from common.aws import streams


def shards(arn):
    description = streams.describe_stream(StreamArn=arn)
    return [s["ShardId"] for s in description["StreamDescription"]["Shards"]]
)PY"},
    {"common/text.py",
     R"PY("""Text helpers (no DynamoDB here)."""
import re

_WORD = re.compile(r"[A-Za-z0-9]+")


def slugify(text, sep="-"):
    return sep.join(w.lower() for w in _WORD.findall(text))


def truncate(text, width=80, tail="..."):
    if len(text) <= width:
        return text
    return text[: width - len(tail)] + tail


class Table:
    """A text table, not a DynamoDB one."""

    def __init__(self, headers):
        self.headers = list(headers)
        self.rows = []

    def add(self, *row):
        self.rows.append([str(c) for c in row])

    def render(self):
        widths = [len(h) for h in self.headers]
        for row in self.rows:
            widths = [max(w, len(c)) for w, c in zip(widths, row)]
        lines = [" | ".join(h.ljust(w) for h, w in zip(self.headers, widths))]
        for row in self.rows:
            lines.append(" | ".join(c.ljust(w) for c, w in zip(row, widths)))
        return "\n".join(lines)
)PY"},
    {"project/__init__.py", ""},
    {"project/settings.py",
     R"PY(import os

DEBUG = os.environ.get("DEBUG", "") == "1"
EVENTS_TABLE = os.environ.get("EVENTS_TABLE", "events")
AUDIT_TABLE = "audit-log"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
)PY"},
    {"manage.py",
     R"PY(#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
)PY"},
};

// The fixed files of one service (@S@ is its number).
const char* const kServiceFiles[][2] = {
    {"__init__.py", "\"\"\"Service @S@.\"\"\"\n"},
    {"db.py",
     R"PY("""Tables of service @S@."""
import os

from django.conf import settings

from common.aws import ddb_client, dynamodb, session, table

PREFIX = os.environ.get("SVC_@S@_PREFIX", "svc-@S@")
orders = dynamodb.Table(f"{PREFIX}-orders")
customers = table("svc-@S@-customers")
events = dynamodb.Table(settings.EVENTS_TABLE)
ledger = session.resource("dynamodb").Table(PREFIX + "-ledger")
CLIENT = ddb_client
TABLE_NAMES = {
    "orders": f"{PREFIX}-orders",
    "customers": "svc-@S@-customers",
    "ledger": PREFIX + "-ledger",
}


def table_name(kind):
    return TABLE_NAMES[kind]
)PY"},
    {"models.py",
     R"PY("""PynamoDB models of service @S@."""
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from common.models import BaseModel


class ByCustomer(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-customer"
        projection = AllProjection()

    customer_id = UnicodeAttribute(hash_key=True)


class Invoice(BaseModel):
    class Meta(BaseModel.Meta):
        table_name = "svc-@S@-invoices"

    id = UnicodeAttribute(hash_key=True)
    customer_id = UnicodeAttribute()
    total = NumberAttribute(default=0)
    status = UnicodeAttribute(null=True)
    by_customer = ByCustomer()


class Payment(BaseModel):
    class Meta:
        table_name = "svc-@S@-payments"
        region = "eu-west-1"

    id = UnicodeAttribute(hash_key=True)
    invoice_id = UnicodeAttribute()
    amount = NumberAttribute()
)PY"},
    {"services.py",
     R"PY("""Business logic of service @S@ over its tables."""
from boto3.dynamodb.conditions import Attr

from common.helpers import delete_many, query_by_key
from common.repo import CachedRepository, Repository
from svc_@S@.db import CLIENT, customers, ledger, orders, table_name
from svc_@S@.models import Invoice, Payment

ORDERS = Repository(orders)
CUSTOMERS = CachedRepository(customers)


def orders_of(customer_id):
    return query_by_key(orders, "customer_id", customer_id, index="by-customer")


def pay(invoice_id, amount):
    invoice = Invoice.get(invoice_id)
    payment = Payment(
        id=f"{invoice_id}-{amount}", invoice_id=invoice_id, amount=amount
    )
    payment.save()
    invoice.update(actions=[Invoice.status.set("paid")])
    return payment


def write_ledger(entries):
    CLIENT.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table_name("ledger"), "Item": entry}}
            for entry in entries
        ]
    )


def purge(customer_id):
    keys = [{"id": o["id"]} for o in orders_of(customer_id)]
    delete_many(orders, keys)
    return len(keys)


def stale_ledger(before):
    return ledger.scan(FilterExpression=Attr("at").lt(before))["Items"]
)PY"},
    {"handlers/__init__.py", "\"\"\"Request handlers of service @S@.\"\"\"\n"},
};
constexpr int kServiceFixedFiles =
    sizeof(kServiceFiles) / sizeof(kServiceFiles[0]);
constexpr int kFilesPerService = 100;

// Pieces of a handler module (@S@ service, @P@ a peer service, @H@ the
// handler's number). The header and the plain-Python helpers are in every
// handler; the DynamoDB blocks are chosen per handler.
const char kHandlerHeader[] =
    R"PY("""Handlers @H@ of service @S@."""
import json
import logging
import os
from datetime import datetime, timezone

from boto3.dynamodb.conditions import Key

from common.aws import dynamodb
from common.helpers import get_record, paginate_scan, put_record
from common.text import slugify, truncate
from svc_@S@.db import CLIENT, customers, events, orders, table_name
from svc_@S@.models import Invoice, Payment
from svc_@S@.services import CUSTOMERS, ORDERS, orders_of, pay
from svc_@P@.db import ledger as peer_ledger

logger = logging.getLogger(__name__)
AUDIT = dynamodb.Table(os.environ.get("AUDIT_TABLE", "audit-@S@"))
PAGE_SIZE = @H@ % 50 + 10


def _now():
    return datetime.now(timezone.utc).isoformat()


def _clean(payload):
    out = {}
    for key, value in payload.items():
        if value is None:
            continue
        if isinstance(value, str):
            out[key] = truncate(value.strip(), 200)
        else:
            out[key] = value
    return out


def summarize_@H@(rows):
    totals = {}
    for row in rows:
        totals.setdefault(row["kind"], 0)
        totals[row["kind"]] += int(row.get("amount", 0))
    ranked = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
    return [{"kind": slugify(k), "total": v} for k, v in ranked[:PAGE_SIZE]]
)PY";

const char* const kHandlerBlocks[] = {
    R"PY(

def create_@H@(event, context):
    body = json.loads(event.get("body") or "{}")
    item = _clean(body)
    item["created_at"] = _now()
    put_record(orders, item)
    AUDIT.put_item(Item={"id": item.get("id"), "action": "create"})
    return {"statusCode": 201, "body": json.dumps(item)}
)PY",
    R"PY(

def read_@H@(event, context):
    key = {"id": event["pathParameters"]["id"]}
    item = ORDERS.get(key) or CUSTOMERS.get(key)
    if item is None:
        return {"statusCode": 404}
    return {"statusCode": 200, "body": json.dumps(item, default=str)}
)PY",
    R"PY(

def by_customer_@H@(customer_id, limit=PAGE_SIZE):
    response = orders.query(
        IndexName="by-customer",
        KeyConditionExpression=Key("customer_id").eq(customer_id),
        Limit=limit,
    )
    return response.get("Items", []) + orders_of(customer_id)
)PY",
    R"PY(

def record_events_@H@(kind, parts):
    with events.batch_writer() as batch:
        for n, part in enumerate(parts):
            batch.put_item(Item={"id": f"{kind}-{n}", "part": part})
)PY",
    R"PY(

def invoices_@H@(customer_id):
    found = list(Invoice.by_customer.query(customer_id))
    for invoice in found:
        if invoice.status is None:
            pay(invoice.id, invoice.total)
    return [p.amount for p in Payment.scan(Payment.amount > 0)]
)PY",
    R"PY(

def raw_@H@(pk):
    response = CLIENT.get_item(
        TableName=table_name("customers"), Key={"id": {"S": pk}}
    )
    CLIENT.update_item(
        TableName=table_name("orders"),
        Key={"id": {"S": pk}},
        UpdateExpression="SET seen = :t",
        ExpressionAttributeValues={":t": {"BOOL": True}},
    )
    return response.get("Item")
)PY",
    R"PY(

class Handler@H@:
    def __init__(self, table=None):
        self.table = table or customers
        self.cache = {}

    def fetch(self, pk):
        if pk in self.cache:
            return self.cache[pk]
        value = get_record(self.table, {"id": pk})
        self.cache[pk] = value
        return value

    def everything(self):
        return paginate_scan(self.table, limit=PAGE_SIZE)


HANDLER_@H@ = Handler@H@()
)PY",
    R"PY(

def peer_@H@(entry_id):
    entry = peer_ledger.get_item(Key={"id": entry_id}).get("Item")
    if entry:
        logger.info("peer entry %s", entry_id)
    return entry
)PY",
    R"PY(

def export_@H@():
    paginator = CLIENT.get_paginator("scan")
    rows = []
    for page in paginator.paginate(TableName=table_name("ledger")):
        rows.extend(page.get("Items", []))
    return summarize_@H@(rows)
)PY",
    R"PY(

def statement_@H@(pk):
    return CLIENT.execute_statement(
        Statement='SELECT * FROM "svc-@S@-ledger" WHERE id = ?',
        Parameters=[{"S": pk}],
    )
)PY",
};
constexpr int kHandlerBlockCount =
    sizeof(kHandlerBlocks) / sizeof(kHandlerBlocks[0]);

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Writes a project of `files` Python files (at least 20) under `root`: the
// shared files, then services of kFilesPerService files (the last one may
// be smaller), each with its tables, models, services and handlers.
// Returns the bytes written.
std::size_t GenerateDynamoDbTree(const std::filesystem::path& root, int files) {
  std::size_t bytes = 0;
  int written = 0;
  for (const auto& f : kSharedFiles) {
    WriteFile(root / f[0], f[1]);
    bytes += std::string(f[1]).size();
    ++written;
  }
  const int services =
      (files - written + kFilesPerService - 1) / kFilesPerService;
  Choices choices(1729);
  char name[32];
  for (int s = 0; s < services && written < files; ++s) {
    std::snprintf(name, sizeof name, "%04d", s);
    std::map<std::string, std::string> vars = {{"S", name}};
    std::snprintf(name, sizeof name, "%04d", (s + 1) % services);
    vars["P"] = name;
    const std::filesystem::path dir = root / ("svc_" + vars["S"]);
    for (const auto& f : kServiceFiles) {
      if (written == files) break;
      std::string text = Fill(f[1], vars);
      WriteFile(dir / f[0], text);
      bytes += text.size();
      ++written;
    }
    for (int h = 0;
         h < kFilesPerService - kServiceFixedFiles && written < files; ++h) {
      vars["H"] = std::to_string(h);
      std::string text = Fill(kHandlerHeader, vars);
      int blocks = 0;
      for (int b = 0; b < kHandlerBlockCount; ++b) {
        if (choices.OneIn(2)) {
          text += Fill(kHandlerBlocks[b], vars);
          ++blocks;
        }
      }
      if (blocks == 0)
        text += Fill(kHandlerBlocks[h % kHandlerBlockCount], vars);
      std::snprintf(name, sizeof name, "h_%03d.py", h);
      WriteFile(dir / "handlers" / name, text);
      bytes += text.size();
      ++written;
    }
  }
  return bytes;
}

struct GeneratedTree {
  std::string root;
  std::size_t bytes = 0;
};

// The tree of `files` files, generated on first use; removed at exit
// unless PYSCAN_BENCH_TREE_DIR names where to keep it.
const GeneratedTree& TreeOf(int files) {
  static std::map<int, GeneratedTree>* trees = new std::map<int, GeneratedTree>;
  static std::vector<std::string>* remove_at_exit = [] {
    auto* v = new std::vector<std::string>;
    std::atexit([] {
      for (const std::string& dir : *remove_at_exit) {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
      }
    });
    return v;
  }();
  auto found = trees->find(files);
  if (found != trees->end()) return found->second;
  GeneratedTree tree;
  std::filesystem::path base;
  if (const char* keep = std::getenv("PYSCAN_BENCH_TREE_DIR")) {
    base = keep;
  } else {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "pyscan_bench_XXXXXX")
            .string();
    if (mkdtemp(pattern.data()) == nullptr) return (*trees)[files] = tree;
    base = pattern;
    remove_at_exit->push_back(pattern);
  }
  const std::filesystem::path root =
      base / ("dynamodb_" + std::to_string(files));
  std::error_code ignored;
  std::filesystem::remove_all(root, ignored);
  tree.bytes = GenerateDynamoDbTree(root, files);
  tree.root = root.string();
  return (*trees)[files] = tree;
}

struct ChildScan {
  bool ok = false;
  double seconds = 0;      // wall time of ScanProject
  double cpu_seconds = 0;  // the child's CPU time (user + system)
  double peak_rss_mb = 0;
  std::size_t files = 0;
  std::size_t operations = 0;
};

// The peak resident memory of this process in kilobytes (VmHWM: of its
// own memory since it started, which getrusage's ru_maxrss is not for a
// process spawned by one that holds more), or -1.
long PeakResidentKilobytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// The child of ScanInChild: ScanProject(root) on one thread, its outcome
// written to standard output as "ok seconds files operations peak_kb".
int ScanAsChild(const char* root) {
  ScanOptions options;
  options.jobs = 1;
  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<ScanResult> r = ScanProject(root, options);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("%d %.6f %zu %zu %ld\n", r.ok() ? 1 : 0, seconds,
              r.ok() ? r->files_scanned : 0, r.ok() ? r->operations.size() : 0,
              PeakResidentKilobytes());
  return std::fflush(stdout) == 0 ? 0 : 1;
}

constexpr char kScanChildFlag[] = "--scan-child";

// ScanProject(root) on one thread in a child process: its time, and the
// child's CPU time and peak resident memory. The child is this program
// started afresh (posix_spawn, which shares nothing of this process's
// memory), so nothing of this process counts: it does nothing but the
// scan, as a command would.
ChildScan ScanInChild(const std::string& root) {
  ChildScan result;
  int fds[2];
  if (pipe(fds) != 0) return result;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  std::string self = "pyscan_benchmark";
  std::string flag = kScanChildFlag;
  std::string dir = root;
  char* args[] = {self.data(), flag.data(), dir.data(), nullptr};
  pid_t pid = 0;
  int spawned =
      posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, args, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (spawned != 0) {
    close(fds[0]);
    return result;
  }
  std::string out;
  char buffer[256];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) out.append(buffer, n);
  close(fds[0]);
  int status = 0;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    return result;
  }
  int ok = 0;
  long peak_kb = -1;
  if (std::sscanf(out.c_str(), "%d %lf %zu %zu %ld", &ok, &result.seconds,
                  &result.files, &result.operations, &peak_kb) != 5 ||
      ok != 1 || peak_kb < 0) {
    return result;
  }
  result.ok = true;
  result.cpu_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                       usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  result.peak_rss_mb = peak_kb / 1024.0;
  return result;
}

// One iteration: the whole scan of the generated tree in a child process.
// Its time is the child's CPU time, which a loaded machine does not
// inflate (wall_s is the wall time); vs_ast compares it with the CPU time
// of ast.parse over the same files.
void BM_ScanDynamoDbTree(benchmark::State& state) {
  const GeneratedTree& tree = TreeOf(static_cast<int>(state.range(0)));
  if (tree.root.empty()) {
    state.SkipWithError("cannot create a temporary directory");
    return;
  }
  ChildScan scan;
  for (auto _ : state) {
    scan = ScanInChild(tree.root);
    if (!scan.ok) {
      state.SkipWithError("the scan failed");
      return;
    }
    state.SetIterationTime(scan.cpu_seconds);
  }
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(tree.bytes));
  state.counters["files"] = static_cast<double>(scan.files);
  state.counters["operations"] = static_cast<double>(scan.operations);
  state.counters["peak_rss_MB"] = scan.peak_rss_mb;
  state.counters["wall_s"] = scan.seconds;
  state.counters["us_per_file"] = scan.cpu_seconds * 1e6 / scan.files;
  double ast = AstParseSeconds(tree.root, /*cpu=*/true);
  if (ast > 0) {
    state.counters["ast_s"] = ast;
    state.counters["vs_ast"] = ast / scan.cpu_seconds;
  }
}
BENCHMARK(BM_ScanDynamoDbTree)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(50000)
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace leastpriv

int main(int argc, char** argv) {
  leastpriv::cli::RestartWithLargePages(argv);
  if (argc == 3 && std::string(argv[1]) == leastpriv::kScanChildFlag) {
    return leastpriv::ScanAsChild(argv[2]);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Python tokenizer, structural parser and scanner on arbitrary bytes: no
// crash, no hang, and every parse failure is a positioned error. Parsing and
// scanning see the same input as a module (ParseModule) and as a file
// (ScanSource); a file the parser rejects is reported in ScanResult::errors.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "leastpriv/pyscan.h"
#include "lib/pyscan/syntax.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "pyscan_fuzzer: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace pyscan = leastpriv::pyscan;
  const std::string source(reinterpret_cast<const char*>(data), size);

  std::vector<pyscan::Token> tokens;
  pyscan::SyntaxError token_error;
  const bool tokenized = pyscan::Tokenize(source, pyscan::TokenizerLimits(),
                                          &tokens, &token_error);
  // After an error the tokenizer carries on: the stream ends all the same.
  Check(!tokens.empty() && tokens.back().kind == pyscan::TokenKind::kEnd,
        "token stream does not end with kEnd");
  for (const pyscan::Token& t : tokens) {
    Check(t.line >= 1 && t.col >= 1, "a token without a position");
  }
  if (!tokenized) {
    Check(!token_error.message.empty() && token_error.line >= 1,
          "a tokenizer error without a message or line");
  }

  pyscan::Module module;
  int error_line = 0;
  const absl::Status parsed =
      pyscan::ParseModule(source, pyscan::ParseLimits(), &module, &error_line);
  if (!tokenized)
    Check(!parsed.ok(), "ParseModule accepts untokenizable input");
  if (!parsed.ok()) {
    Check(parsed.code() == absl::StatusCode::kInvalidArgument,
          "a parse error that is not InvalidArgument");
  }
  // Statements that parse are kept, whether or not others failed.
  for (const pyscan::Stmt* s : module.body) {
    Check(s != nullptr, "a null statement");
  }

  const leastpriv::ScanResult result =
      leastpriv::ScanSource("app/views.py", source);
  Check(result.files_scanned == 1, "ScanSource did not count the file");
  if (!parsed.ok()) {
    Check(!result.errors.empty(),
          "a file that does not parse has no scan error");
  }
  for (const leastpriv::Operation& op : result.operations) {
    Check(op.action.rfind("dynamodb:", 0) == 0,
          "an operation outside dynamodb");
    Check(op.line >= 1, "an operation without a line");
  }
  return 0;
}

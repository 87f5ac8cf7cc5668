// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/report/markdown_budget.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace leastpriv::report {
namespace {

// Room kept for the closing note: a sentence and the list of what was left
// out (a handful of kinds, each with a count).
constexpr std::size_t kNoteRoom = 1024;

}  // namespace

MarkdownBudget::MarkdownBudget(std::size_t limit, std::string where_else)
    : limit_(limit), where_else_(std::move(where_else)) {}

bool MarkdownBudget::Fits(std::size_t n) const {
  return out_.size() + n + kNoteRoom <= limit_;
}

void MarkdownBudget::LeftOut(const std::string& what, int n) {
  for (auto& [name, count] : left_out_) {
    if (name == what) {
      count += n;
      return;
    }
  }
  left_out_.emplace_back(what, n);
}

void MarkdownBudget::Always(std::string_view text) { out_.append(text); }

void MarkdownBudget::Section(std::string heading, std::string what) {
  heading_ = std::move(heading);
  what_ = std::move(what);
  heading_written_ = false;
  section_closed_ = false;
}

bool MarkdownBudget::Row(std::string_view text) {
  const std::size_t need =
      text.size() + (heading_written_ ? 0 : heading_.size());
  if (section_closed_ || !Fits(need)) {
    section_closed_ = true;
    LeftOut(what_, 1);
    return false;
  }
  if (!heading_written_) {
    out_.append(heading_);
    heading_written_ = true;
  }
  out_.append(text);
  return true;
}

bool MarkdownBudget::Block(std::string_view text, std::string what) {
  if (!Fits(text.size())) {
    LeftOut(what, 1);
    return false;
  }
  out_.append(text);
  return true;
}

std::string MarkdownBudget::Finish() && {
  if (out_.size() > limit_) LeftOut("part of the end", 1);
  if (left_out_.empty()) return std::move(out_);
  std::vector<std::string> parts;
  for (const auto& [what, n] : left_out_) {
    parts.push_back(absl::StrCat(n, " ", what));
  }
  std::string note =
      absl::StrCat("\n**Shortened to stay under ", limit_ / 1000,
                   " KB**; left out: ", absl::StrJoin(parts, ", "),
                   ". For everything, see ", where_else_, ".\n");
  if (out_.size() + note.size() > limit_) {
    // Only when Always() went past the limit; cut at a line.
    std::size_t keep = limit_ > note.size() ? limit_ - note.size() : 0;
    std::size_t nl = out_.rfind('\n', keep);
    out_.resize(nl == std::string::npos ? 0 : nl + 1);
  }
  return std::move(out_) + note;
}

}  // namespace leastpriv::report

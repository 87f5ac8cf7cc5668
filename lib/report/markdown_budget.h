// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// A Markdown document that stays under a size limit, for pull-request
// comments: what does not fit is left out and named at the end, so a
// reader knows the comment is incomplete and where to look instead.

#ifndef LEASTPRIV_LIB_REPORT_MARKDOWN_BUDGET_H_
#define LEASTPRIV_LIB_REPORT_MARKDOWN_BUDGET_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leastpriv::report {

// The size a pull-request comment of leastpriv stays under: 60 KB (GitHub
// refuses comments over 65,536 characters).
inline constexpr std::size_t kMarkdownLimit = 60000;

class MarkdownBudget {
 public:
  // `limit` is the size of the whole document, the closing note included.
  // `where_else` completes "for everything, see ..." in that note.
  MarkdownBudget(std::size_t limit, std::string where_else);

  // Appends `text` whatever its size (headings and one-line summaries that
  // every report has). The space they take is still counted.
  void Always(std::string_view text);

  // Starts a section: its heading is written with its first row, and not at
  // all when that row does not fit. `what` names its rows in the closing
  // note ("excess groups", "findings").
  void Section(std::string heading, std::string what);

  // Appends one row of the current section when it fits; once a row does
  // not fit, the rest of the section is left out too (a section is always a
  // prefix of its rows). Returns whether it was written.
  bool Row(std::string_view text);

  // Appends a block that is kept whole or left out whole (the suggested
  // policy), named `what` in the note.
  bool Block(std::string_view text, std::string what);

  // The document, with a closing note naming what was left out, if any.
  std::string Finish() &&;

  std::size_t size() const { return out_.size(); }

 private:
  bool Fits(std::size_t n) const;
  void LeftOut(const std::string& what, int n);

  std::size_t limit_;
  std::string where_else_;
  std::string out_;
  std::string heading_, what_;
  bool heading_written_ = false, section_closed_ = false;
  std::vector<std::pair<std::string, int>> left_out_;
};

}  // namespace leastpriv::report

#endif  // LEASTPRIV_LIB_REPORT_MARKDOWN_BUDGET_H_

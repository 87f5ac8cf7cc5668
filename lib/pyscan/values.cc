// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/pyscan/values.h"

#include <string>

namespace leastpriv::pyscan {

// The template of a string part (see Str::tmpl).
std::string TemplateOf(const Str& s) {
  if (!s.tmpl().empty()) return s.tmpl();
  switch (s.origin) {
    case Str::Origin::kLiteral: {
      std::string out;
      for (char c : s.text) {
        if (c == '{' || c == '}') out.push_back(c);
        out.push_back(c);
      }
      return out;
    }
    case Str::Origin::kEnv:
      return "{env:" + s.text + "}";
    case Str::Origin::kSettings:
      return "{settings:" + s.text + "}";
    case Str::Origin::kUnresolved:
      return "*";
  }
  return "*";
}

// Appends part `a` to the template being built in `into`.
void AppendTemplate(const Str& a, Str* into) {
  StrTemplate& t = into->mutable_template();
  t.tmpl += TemplateOf(a);
  for (const auto& [k, v] : a.defaults()) t.defaults.emplace(k, v);
  if (t.source.empty()) t.source = a.source();
}

// Drops a template that has no environment or settings part.
void FinishTemplate(Str* s) {
  if (s->tmpl().find("{env:") == std::string::npos &&
      s->tmpl().find("{settings:") == std::string::npos) {
    s->clear_template();
  }
}

}  // namespace leastpriv::pyscan

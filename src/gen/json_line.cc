// One generated article as a JSON Lines record (samestory/generate.h).
#include "io/json_writer.h"
#include "samestory/generate.h"

namespace samestory {

void AppendJsonLine(const GeneratedArticle& a, std::string* out) {
  using internal::AppendJsonString;
  out->append("{\"id\":");
  AppendJsonString(a.id, out);
  out->append(",\"title\":");
  AppendJsonString(a.title, out);
  out->append(",\"text\":");
  AppendJsonString(a.text, out);
  out->append(",\"date\":");
  AppendJsonString(a.date, out);
  if (!a.lang.empty()) {
    out->append(",\"lang\":");
    AppendJsonString(a.lang, out);
  }
  out->append(",\"source\":");
  AppendJsonString(a.source, out);
  out->append(",\"dup\":");
  AppendJsonString(a.dup, out);
  out->append(",\"story\":");
  AppendJsonString(a.story, out);
  out->append(",\"copy_kind\":");
  AppendJsonString(CopyKindName(a.copy_kind), out);
  if (!a.edits.empty()) {
    out->append(",\"edits\":");
    AppendJsonString(a.edits, out);
  }
  if (!a.template_of.empty()) {
    out->append(",\"template_of\":");
    AppendJsonString(a.template_of, out);
  }
  if (!a.template_change.empty()) {
    out->append(",\"template_change\":");
    AppendJsonString(a.template_change, out);
  }
  out->append("}\n");
}

}  // namespace samestory

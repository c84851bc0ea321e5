// Copy kinds' names and the validation of GeneratorOptions (samestory/generate.h).
#include <string>

#include "gen/plan.h"
#include "samestory/generate.h"

namespace samestory {

std::string_view CopyKindName(CopyKind kind) {
  switch (kind) {
    case CopyKind::kOriginal:
      return "original";
    case CopyKind::kExact:
      return "exact";
    case CopyKind::kReheadlined:
      return "reheadlined";
    case CopyKind::kTruncated:
      return "truncated";
    case CopyKind::kReordered:
      return "reordered";
    case CopyKind::kBoilerplate:
      return "boilerplate";
    case CopyKind::kEdited:
      return "edited";
    case CopyKind::kNoisy:
      return "noisy";
    case CopyKind::kExtended:
      return "extended";
    case CopyKind::kCorrected:
      return "corrected";
    case CopyKind::kCombined:
      return "combined";
    case CopyKind::kTemplated:
      return "templated";
  }
  return "unknown";
}

Status GeneratorOptions::Validate() const {
  auto rate = [](double r, double hi) { return r >= 0 && r <= hi; };  // false for NaN too
  if (articles < 1 || articles > 10'000'000'000ULL) {
    return Status::InvalidArgument("articles must be in [1, 10^10]");
  }
  const std::optional<UnixSeconds> first = ParseIsoDate(start);
  if (!first) return Status::InvalidArgument("start is not an ISO 8601 date: " + start);
  if (days < 1 || days > 36500) return Status::InvalidArgument("days must be in [1, 36500]");
  if (min_reports < 1 || max_reports > 32 || min_reports > max_reports) {
    return Status::InvalidArgument("reports per event must satisfy 1 <= min <= max <= 32");
  }
  if (story_sizes != StorySizes::kUniform && story_sizes != StorySizes::kHeavyTailed) {
    return Status::InvalidArgument("story_sizes must be kUniform or kHeavyTailed");
  }
  if (!(story_size_exponent >= 1 && story_size_exponent <= 4)) {
    return Status::InvalidArgument("story_size_exponent must be in [1, 4]");
  }
  if (max_story_reports < 1 || max_story_reports > 50000) {
    return Status::InvalidArgument("max_story_reports must be in [1, 50000]");
  }
  if (!rate(sub_event_rate, 1)) return Status::InvalidArgument("sub_event_rate must be in [0, 1]");
  if (!rate(report_spread_days, 60)) {
    return Status::InvalidArgument("report_spread_days must be in [0, 60]");
  }
  if (!rate(follow_up_rate, 1)) return Status::InvalidArgument("follow_up_rate must be in [0, 1]");
  if (!(thread_days > 0 && thread_days <= 365)) {
    return Status::InvalidArgument("thread_days must be in (0, 365]");
  }
  if (!rate(copy_rate, 0.95)) return Status::InvalidArgument("copy_rate must be in [0, 0.95]");
  if (!rate(copy_delay_hours, 720)) {
    return Status::InvalidArgument("copy_delay_hours must be in [0, 720]");
  }
  for (double r : {reheadline_rate, truncate_rate, reorder_rate, boilerplate_rate, word_edit_rate,
                   noise_rate, extend_rate, correct_rate}) {
    if (!rate(r, 1)) return Status::InvalidArgument("edit rates must be in [0, 1]");
  }
  if (!(truncate_min_keep >= 0.1 && truncate_min_keep <= truncate_max_keep &&
        truncate_max_keep <= 1)) {
    return Status::InvalidArgument(
        "truncate_min_keep and truncate_max_keep must satisfy 0.1 <= min <= max <= 1");
  }
  if (boilerplate_max_lines < 1 || boilerplate_max_lines > 6) {
    return Status::InvalidArgument("boilerplate_max_lines must be in [1, 6]");
  }
  if (!(word_edit_share > 0 && word_edit_share <= 0.2)) {
    return Status::InvalidArgument("word_edit_share must be in (0, 0.2]");
  }
  if (!rate(noise_chars, 0.1)) return Status::InvalidArgument("noise_chars must be in [0, 0.1]");
  if (extend_max_paragraphs < 1 || extend_max_paragraphs > 10) {
    return Status::InvalidArgument("extend_max_paragraphs must be in [1, 10]");
  }
  if (!rate(correction_mark_rate, 1)) {
    return Status::InvalidArgument("correction_mark_rate must be in [0, 1]");
  }
  if (!rate(templated_rate, 0.2)) {
    return Status::InvalidArgument("templated_rate must be in [0, 0.2]");
  }
  // Every date written must read back: FormatIsoDate writes 4-digit years only.
  static const UnixSeconds kFirst = *ParseIsoDate("0000-01-01T00:00:00Z");
  static const UnixSeconds kLast = *ParseIsoDate("9999-12-31T23:59:59Z");
  if (*first < kFirst) return Status::InvalidArgument("start is before 0000-01-01: " + start);
  if (*first > kLast - gen::LatestArticleOffset(*this)) {
    return Status::InvalidArgument(
        "start " + start + " with days " + std::to_string(days) +
        " would date articles after 9999-12-31 (generated dates must stay in years 0000-9999): "
        "give an earlier start or fewer days");
  }
  return Status::OK();
}

}  // namespace samestory

// The copy rule: JudgeCopy. Each rule names the case that motivated it (bench/research/
// COPY_STUDY.md has the measurements).
#include <algorithm>
#include <cmath>
#include <string>

#include "samestory/dedup.h"

namespace samestory {

std::string_view DupKindName(DupKind kind) {
  switch (kind) {
    case DupKind::kCopy:
      return "copy";
    case DupKind::kPartial:
      return "partial";
    case DupKind::kNone:
      break;
  }
  return "";
}

std::string_view CopyReasonName(CopyReason reason) {
  switch (reason) {
    case CopyReason::kCopy:
      return "copy";
    case CopyReason::kTooDifferent:
      return "too different";
    case CopyReason::kTooFarApart:
      return "too far apart";
    case CopyReason::kFactsDiffer:
      return "facts differ";
    case CopyReason::kTitlesDiffer:
      return "titles differ";
    case CopyReason::kShortMismatch:
      return "short, not identical";
  }
  return "";
}

Status CopyRuleOptions::Validate() const {
  if (!(threshold > 0.0 && threshold <= 1.0) || !(short_threshold > 0.0 && short_threshold <= 1.0)) {
    return Status::InvalidArgument("threshold and short_threshold must be in (0, 1]");
  }
  if (!(partial_below >= 0.0 && partial_below <= 1.0)) {
    return Status::InvalidArgument("partial_below must be in [0, 1]");
  }
  if (!(window_hours >= 0) || !(short_window_hours >= 0) || !(correction_hours >= 0)) {
    return Status::InvalidArgument("copy windows must be >= 0 hours");
  }
  if (min_compared < 1 || min_compared > 4096) {
    return Status::InvalidArgument("min_compared must be in [1, 4096]");
  }
  if (short_words < 0 || short_words > 100000) {
    return Status::InvalidArgument("short_words must be in [0, 100000]");
  }
  if (!(correction_ratio >= 0) || !(name_ratio >= 0)) {
    return Status::InvalidArgument("correction_ratio and name_ratio must be >= 0");
  }
  return Status::OK();
}

namespace {

// Short texts: do the titles name different things? Two ways (issue 12's cases; COPY_STUDY.md):
//   - each title has a figure the other lacks: another hour, another amount ("MIDWEST GRAIN
//     FUTURES 12:10" and "12:20");
//   - each has a word the other lacks, one of them a name (rare in the run's titles) that its own
//     text never says, and the titles share no name: two companies' identical dividend notices
//     ("Qtly div five cts...": the company is only in the title) share only template words
//     ("sets", "quarterly"). A re-headlined copy keeps its company's name, or puts in its new
//     headline words its text says.
// One title extending the other ("CORRECTED - ...", a dropped ticker) never differs.
bool TitlesDiffer(const CopyFingerprint& x, std::span<const uint32_t> x_df,
                  const CopyFingerprint& y, std::span<const uint32_t> y_df,
                  uint32_t rare_title_df) {
  constexpr uint32_t kWord = CopyFingerprint::kTitleWord;
  auto digit = [](uint32_t w) { return (w & CopyFingerprint::kTitleDigit) != 0; };
  auto in_body = [](uint32_t w) { return (w & CopyFingerprint::kTitleInBody) != 0; };
  // A word only in this title (and its copies) names something when its frequency is at most
  // rare_title_df, or 1 in a run too small to tell; a shared word names a common thing only when
  // frequencies say it is rare (in a small run nothing does: every substitution then differs).
  auto unique_rare = [&](std::span<const uint32_t> df, size_t i) {
    return df.empty() || df[i] <= std::max<uint32_t>(1, rare_title_df);
  };
  auto shared_rare = [&](std::span<const uint32_t> df, size_t i) {
    return !df.empty() && df[i] <= rare_title_df;
  };
  bool x_unique = false, y_unique = false, x_figure = false, y_figure = false;
  bool named = false, shared_name = false;
  size_t i = 0, j = 0;
  while (i < x.title.size() || j < y.title.size()) {
    const uint32_t a = i < x.title.size() ? x.title[i] & kWord : 0;
    const uint32_t b = j < y.title.size() ? y.title[j] & kWord : 0;
    if (j == y.title.size() || (i < x.title.size() && a < b)) {
      x_unique = true;
      x_figure |= digit(x.title[i]);
      named |= !digit(x.title[i]) && !in_body(x.title[i]) && unique_rare(x_df, i);
      ++i;
    } else if (i == x.title.size() || b < a) {
      y_unique = true;
      y_figure |= digit(y.title[j]);
      named |= !digit(y.title[j]) && !in_body(y.title[j]) && unique_rare(y_df, j);
      ++j;
    } else {
      shared_name |= !digit(x.title[i]) && shared_rare(x_df, i) && shared_rare(y_df, j);
      ++i;
      ++j;
    }
  }
  if (x_figure && y_figure) return true;
  return x_unique && y_unique && named && !shared_name;
}

}  // namespace

bool TooFarApart(const CopyRuleOptions& o, std::optional<UnixSeconds> x_date, uint32_t x_words,
                 std::optional<UnixSeconds> y_date, uint32_t y_words) {
  // A copy is republished within days (no same-article pair of the labeled Reuters pairs is more
  // than 73 hours apart), and short notices recur daily with the same words (identical Fed and
  // Bundesbank flashes 24 hours to weeks apart). Undated articles have no window.
  if (!x_date || !y_date) return false;
  const double gap = std::abs(static_cast<double>(*x_date - *y_date)) / 3600.0;
  if (o.window_hours > 0 && gap > o.window_hours) return true;
  const bool short_text = std::min(x_words, y_words) < static_cast<uint32_t>(o.short_words);
  return short_text && o.short_window_hours > 0 && gap > o.short_window_hours;
}

CopyVerdict JudgeCopy(const CopyFingerprint& x, const CopyContext& cx, const CopyFingerprint& y,
                      const CopyContext& cy, const CopyRuleOptions& o, uint32_t rare_title_df,
                      CopyScores scores) {
  CopyVerdict v;
  std::optional<double> gap;
  if (cx.date && cy.date) gap = std::abs(static_cast<double>(*cx.date - *cy.date)) / 3600.0;
  const bool short_text = std::min(x.words, y.words) < static_cast<uint32_t>(o.short_words);
  // Dates first.
  if (TooFarApart(o, cx.date, x.words, cy.date, y.words)) {
    v.reason = CopyReason::kTooFarApart;
    return v;
  }
  if (x.kind == CopyFingerprint::Kind::kShort || y.kind == CopyFingerprint::Kind::kShort) {
    // Too few words to compare: only the identical title and text.
    const bool same = x.kind == y.kind && x.text_hash == y.text_hash;
    v.reason = same ? CopyReason::kCopy : CopyReason::kShortMismatch;
    v.kind = same ? DupKind::kCopy : DupKind::kNone;
    v.containment = v.resemblance = same ? 1.0f : 0.0f;
    return v;
  }
  const double threshold = short_text ? o.short_threshold : o.threshold;
  const SampleOverlap overlap =
      CompareSamples(x, y, scores == CopyScores::kDecision ? threshold : 0.0);
  v.containment = static_cast<float>(overlap.containment());
  v.resemblance = static_cast<float>(overlap.resemblance());
  if (overlap.stopped || std::min(overlap.a, overlap.b) < static_cast<uint32_t>(o.min_compared) ||
      overlap.containment() < threshold) {
    v.reason = CopyReason::kTooDifferent;
    return v;
  }
  // Facts: a figure or a name that changed in the same words.
  //   - Figures: a correction fixes a figure or two within hours (one, plus one for every four
  //     that stay, and at most one for every correction_ratio facts that agree); a figure that
  //     changed later is another day's figure (the same Fed notice on two days, a weekly table).
  //   - Names: another name in the same words is another company, city or person (two banks'
  //     prime rate notices, two funds' payout notices); an edited copy may carry a few among many
  //     names that agree (one for every name_ratio facts that agree).
  v.facts = CompareFacts(x.facts, y.facts);
  const uint32_t figures = v.facts.figure_conflict;
  const uint32_t names = v.facts.conflict - figures;
  const bool soon = !gap || *gap <= o.correction_hours;
  const double agree = v.facts.agree;
  const bool figures_ok =
      figures == 0 || (soon && figures <= std::max<uint32_t>(1, v.facts.figure_agree / 4) &&
                       figures * o.correction_ratio <= agree);
  const bool names_ok = names == 0 || names * o.name_ratio <= agree;
  if (o.check_facts && (!figures_ok || !names_ok)) {
    v.reason = CopyReason::kFactsDiffer;
    return v;
  }
  if (o.check_titles && short_text && TitlesDiffer(x, cx.title_df, y, cy.title_df, rare_title_df)) {
    v.reason = CopyReason::kTitlesDiffer;
    return v;
  }
  v.reason = CopyReason::kCopy;
  const uint32_t smaller = std::min(overlap.a, overlap.b), larger = std::max(overlap.a, overlap.b);
  v.kind = larger > 0 && static_cast<double>(smaller) < o.partial_below * larger ? DupKind::kPartial
                                                                               : DupKind::kCopy;
  return v;
}

}  // namespace samestory

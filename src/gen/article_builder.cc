// Article building (article_builder.h).
#include "gen/article_builder.h"

#include "gen/copy_edits.h"
#include "gen/random.h"
#include "gen/word_lists.h"

namespace samestory::gen {
namespace {

void AppendNumberedId(char prefix, uint64_t n, std::string* out) {
  out->clear();
  out->push_back(prefix);
  out->append(std::to_string(n));
}

}  // namespace

GeneratedArticle ArticleBuilder::Build(const ArticlePlan& p) {
  const std::string& lang = base_.langs[base_.articles[p.focus].lang];
  MakeEntities(o_.seed, p.thread, p.event, LangOf(lang), &entities_);
  BuildReport(base_, o_.seed, p, entities_, &report_scratch_, &report_);

  CopyKind kind = CopyKind::kOriginal;
  uint64_t outlet = report_.outlet;
  edits_.clear();
  if (p.copy == 0) {
    title_ = report_.title;
    JoinBody(report_.body, &text_);
  } else {
    kind = MakeCopy(p, &outlet);
  }
  AppendNumberedId('g', p.seq + 1, &id_);
  AppendNumberedId('g', p.seq - p.copy + 1, &dup_);
  AppendNumberedId('e', p.event + 1, &story_);
  date_ = FormatIsoDate(p.date);
  source_.clear();
  AppendOutlet(outlet, &source_);
  GeneratedArticle a;
  a.id = id_;
  a.title = title_;
  a.text = text_;
  a.date = date_;
  a.lang = lang;
  a.source = source_;
  a.dup = dup_;
  a.story = story_;
  a.copy_kind = kind;
  a.edits = edits_;
  a.time = p.date;
  return a;
}

CopyKind ArticleBuilder::MakeCopy(const ArticlePlan& p, uint64_t* outlet) {
  Rng rng(StreamSeed(o_.seed, kCopyStream, p.event, p.report, p.copy));
  // Every decision is drawn whatever the rates, so a rate changes only its own edit.
  const bool reheadline = rng.Chance(o_.reheadline_rate);
  const bool truncate = rng.Chance(o_.truncate_rate);
  const bool reorder = rng.Chance(o_.reorder_rate);
  const bool boilerplate = rng.Chance(o_.boilerplate_rate);
  const bool word_edits = rng.Chance(o_.word_edit_rate);
  const bool noise = rng.Chance(o_.noise_rate);
  *outlet = rng.Below(kOutlets - 1);
  if (*outlet >= report_.outlet) ++*outlet;  // never the report's own outlet
  Body& body = body_;
  body = report_.body;
  if (reorder) Reorder(&body, rng);
  if (truncate) Truncate(&body, rng);
  if (word_edits) EditWords(&body, rng, &split_, &tmp_);
  if (boilerplate) AddBoilerplate(&body, entities_.lang, *outlet, rng);
  title_ = report_.title;
  if (reheadline) NewHeadline(base_, p.focus, entities_, report_.title, rng, &words_, &title_);
  JoinBody(body, &text_);
  if (noise) {
    AddNoise(&text_, o_.noise_chars, rng, &tmp_);
    AddNoise(&title_, o_.noise_chars, rng, &tmp_);
  }
  CopyKind kind = CopyKind::kExact;
  int edits = 0;
  auto note = [&](bool on, CopyKind k) {
    if (!on) return;
    if (!edits_.empty()) edits_.push_back('+');
    edits_.append(CopyKindName(k));
    kind = k;
    ++edits;
  };
  note(reheadline, CopyKind::kReheadlined);
  note(truncate, CopyKind::kTruncated);
  note(reorder, CopyKind::kReordered);
  note(boilerplate, CopyKind::kBoilerplate);
  note(word_edits, CopyKind::kEdited);
  note(noise, CopyKind::kNoisy);
  if (edits < 2) edits_.clear();
  if (edits >= 2) kind = CopyKind::kCombined;
  return kind;
}

}  // namespace samestory::gen

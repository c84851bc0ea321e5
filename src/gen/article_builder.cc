// Article building (article_builder.h).
#include "gen/article_builder.h"

#include "gen/copy_edits.h"
#include "gen/notice.h"
#include "gen/random.h"
#include "gen/word_lists.h"

namespace samestory::gen {
namespace {

void AppendNumberedId(char prefix, uint64_t n, std::string* out) {
  out->clear();
  out->push_back(prefix);
  out->append(std::to_string(n));
}

// Every digit remapped one step further: a templated article's other figures.
void ShiftDigits(Remap* remap, int shift) {
  for (char& d : remap->digits) d = static_cast<char>('0' + (d - '0' + shift) % 10);
}

int Percent(double share) { return static_cast<int>(share * 100 + 0.5); }

}  // namespace

GeneratedArticle ArticleBuilder::Build(const ArticlePlan& p) {
  const std::string& lang = base_.langs[base_.articles[p.focus].lang];
  const std::string_view change = BuildSource(p, &entities_, &report_);

  CopyKind kind = CopyKind::kOriginal;
  uint64_t outlet = report_.outlet;
  edits_.clear();
  template_of_.clear();
  if (p.copy == 0) {
    title_ = report_.title;
    JoinBody(report_.body, &text_);
    if (p.twin != Twin::kNone) {
      kind = CopyKind::kTemplated;
      AppendNumberedId('g', p.origin_seq + 1, &template_of_);
    }
  } else {
    kind = MakeCopy(p, &outlet);
  }
  if (o_.titles_only) text_.clear();
  AppendNumberedId('g', p.seq + 1, &id_);
  AppendNumberedId('g', (p.twin == Twin::kNone ? p.origin_seq : p.seq) + 1, &dup_);
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
  a.template_of = template_of_;
  a.template_change = change;
  a.time = p.date;
  return a;
}

std::string_view ArticleBuilder::BuildSource(const ArticlePlan& p, Entities* e, Report* out) {
  const Lang lang = LangOf(base_.langs[base_.articles[p.focus].lang]);
  MakeEntities(o_.seed, p.thread, p.source_event, p.term_event, lang, e);
  Rng twin(StreamSeed(o_.seed, kTwinStream, p.event));
  const int shift = 1 + static_cast<int>(twin.Below(9));
  const bool own_figures = twin.Chance(0.5);
  // Other names: the templated article's own cast and term name; the template's digits and term
  // noun, so that the report's draws, which depend on the words (a noun's synonyms, a sentence's
  // length), are the template's and so is its wording.
  auto rename = [&] {
    const Remap focus = e->focus_remap, thread = e->thread_remap;
    std::string term = e->term;
    const std::string old_name = e->term_name;
    MakeEntities(o_.seed, p.event, p.event, lang, e);
    std::copy(std::begin(focus.digits), std::end(focus.digits), e->focus_remap.digits);
    std::copy(std::begin(thread.digits), std::end(thread.digits), e->thread_remap.digits);
    term.replace(term.find(old_name), old_name.size(), e->term_name);
    e->term = std::move(term);
  };
  if (p.wording == Wording::kNotice) {
    uint64_t figures = p.source_event;
    UnixSeconds anchor = p.origin_date;  // a copy's text is its report's
    switch (p.twin) {
      case Twin::kNone:
        break;
      case Twin::kNames:
        rename();
        if (own_figures) figures = p.event;
        break;
      case Twin::kFigures:
        figures = p.event;
        anchor = p.date;
        break;
      case Twin::kDate:
        anchor = p.date;
        break;
    }
    BuildNotice(o_.seed, p.source_event, figures, anchor, *e, out);
    return p.twin == Twin::kNone      ? ""
           : p.twin == Twin::kNames   ? "names"
           : p.twin == Twin::kFigures ? "figures"
                                      : "date";
  }
  switch (p.twin) {
    case Twin::kNone:
    case Twin::kDate:  // planned for notices only
      BuildReport(base_, o_.seed, p, *e, title_style_, &report_scratch_, out);
      return "";
    case Twin::kNames:
      rename();
      BuildReport(base_, o_.seed, p, *e, title_style_, &report_scratch_, out);
      return "names";
    case Twin::kFigures: {
      // Other figures, when the text (titles_only: the headline) has any: else other names.
      template_entities_ = *e;
      ShiftDigits(&e->focus_remap, shift);
      ShiftDigits(&e->thread_remap, shift);
      BuildReport(base_, o_.seed, p, *e, title_style_, &report_scratch_, out);
      BuildReport(base_, o_.seed, p, template_entities_, title_style_, &report_scratch_,
                  &template_report_);
      // With titles_only, the figures must show in the headline, all that is written.
      if (o_.titles_only ? out->title != template_report_.title
                         : out->body != template_report_.body) {
        return "figures";
      }
      *e = template_entities_;
      rename();
      BuildReport(base_, o_.seed, p, *e, title_style_, &report_scratch_, out);
      return "names";
    }
  }
  return "";
}

CopyKind ArticleBuilder::MakeCopy(const ArticlePlan& p, uint64_t* outlet) {
  Rng rng(StreamSeed(o_.seed, kCopyStream, p.source_event, p.report, p.copy));
  // Every decision is drawn whatever the rates, so a rate changes only its own edit.
  const bool reheadline = rng.Chance(o_.reheadline_rate);
  const bool truncate = rng.Chance(o_.truncate_rate);
  const bool reorder = rng.Chance(o_.reorder_rate);
  const bool boilerplate = rng.Chance(o_.boilerplate_rate);
  const bool word_edits = rng.Chance(o_.word_edit_rate);
  const bool noise = rng.Chance(o_.noise_rate);
  const bool extend = rng.Chance(o_.extend_rate);
  const bool correct = rng.Chance(o_.correct_rate);
  *outlet = rng.Below(kOutlets - 1);
  if (*outlet >= report_.outlet) ++*outlet;  // never the report's own outlet
  Body& body = body_;
  body = report_.body;
  title_ = report_.title;
  // Each edit in its order; a copy is labeled by those that changed something.
  bool done[8] = {};
  if (reorder) done[2] = Reorder(&body, rng);
  if (truncate) {
    done[1] = Truncate(&body, Percent(o_.truncate_min_keep), Percent(o_.truncate_max_keep), rng);
  }
  if (extend) {
    done[6] = Extend(&body, base_, p.focus, p.background, entities_, o_.extend_max_paragraphs, rng,
                     &tmp_);
  }
  if (word_edits) done[4] = EditWords(&body, o_.word_edit_share, rng, &split_, &tmp_);
  if (correct) {
    done[7] = Correct(&body, &title_, KitFor(entities_.lang).correction_mark,
                      o_.correction_mark_rate, rng);
  }
  if (boilerplate) {
    done[3] = AddBoilerplate(&body, entities_.lang, *outlet, o_.boilerplate_max_lines, rng);
  }
  if (reheadline) {
    // A corrected copy's marker stays in front of its new headline.
    const std::string_view mark = KitFor(entities_.lang).correction_mark;
    const bool marked = done[7] && title_.compare(0, mark.size(), mark) == 0;
    done[0] = p.wording == Wording::kNotice && !report_.body.empty() && !report_.body[0].empty()
                  ? NewNoticeHeadline(report_.body[0][0], report_.title, rng, &title_)
                  : NewHeadline(base_, p.focus, entities_, report_.title, rng, &words_, &title_,
                                title_style_, &report_.body);
    if (marked) title_.insert(0, mark);
  }
  JoinBody(body, &text_);
  if (noise) {
    done[5] = AddNoise(&text_, o_.noise_chars, rng, &tmp_);
    done[5] |= AddNoise(&title_, o_.noise_chars, rng, &tmp_);
  }
  static constexpr CopyKind kKinds[8] = {
      CopyKind::kReheadlined, CopyKind::kTruncated, CopyKind::kReordered, CopyKind::kBoilerplate,
      CopyKind::kEdited,      CopyKind::kNoisy,     CopyKind::kExtended,  CopyKind::kCorrected};
  CopyKind kind = CopyKind::kExact;
  int edits = 0;
  for (int k = 0; k < 8; ++k) {
    if (!done[k]) continue;
    if (!edits_.empty()) edits_.push_back('+');
    edits_.append(CopyKindName(kKinds[k]));
    kind = kKinds[k];
    ++edits;
  }
  if (edits < 2) edits_.clear();
  if (edits >= 2) kind = CopyKind::kCombined;
  return kind;
}

}  // namespace samestory::gen

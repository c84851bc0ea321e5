// CorpusGenerator (samestory/generate.h): plans events in order, and hands their articles to the
// sink in date order. How an article comes about:
//   thread   : an ongoing topic: a background base article and a cast (organisation, place, lead
//              person). Most events open their own thread; a follow-up joins a recent one, a
//              sub-event (kHeavyTailed) a recent big event's, whose key term it names too.
//   event e  : a focus base article (the background's language), its own term and second person,
//              a date, k reports, a number of copies per report. Planned in date order (plan.h).
//   report r : sentences sampled from the focus article (and a few from the background and the
//              language's pool), each rewritten (synonyms, dropped words, clauses moved), plus 1-3
//              template sentences naming the entities, grouped into paragraphs under a headline
//              (report.h).
//   copy c   : the report with the edits its outlet made (copy_edits.h, article_builder.h).
//   notice   : a short recurring notice (notice.h): an event with one report.
//   templated: a report's or notice's wording with other names, figures or dates, its own event
//              (plan.h); not a copy.
// Every choice comes from a SplitMix64 stream seeded by (seed, what, e, r, c) (random.h), so an
// article's text can be rebuilt from its plan alone: the reorder buffer that puts articles in date
// order holds 80-byte plans, not texts. Only integer arithmetic and IEEE comparisons of exact
// draws are used (no libm, no std:: distributions): the output is the same on every machine.
#include <algorithm>
#include <queue>
#include <vector>

#include "gen/article_builder.h"
#include "gen/base_corpus.h"
#include "gen/plan.h"
#include "samestory/generate.h"

namespace samestory {

Result<CorpusGenerator> CorpusGenerator::Create(const GeneratorOptions& options,
                                                std::span<const Document> docs) {
  if (Status s = options.Validate(); !s.ok()) return s;
  auto base = gen::BuildBaseCorpus(docs);
  if (!base.ok()) return base.status();
  return CorpusGenerator(options, std::move(base).value());
}

Status CorpusGenerator::Generate(const ArticleSink& sink, GeneratorSummary* summary) const {
  const gen::BaseCorpus& base = *base_;
  if (summary) {
    *summary = GeneratorSummary{};
    summary->base_articles = base.seeds.size();
    summary->base_sentences = base.sentences.size();
  }
  gen::Planner planner(options_, base);
  gen::ArticleBuilder builder(base, options_);
  auto emit = [&](const gen::ArticlePlan& p) {
    const GeneratedArticle a = builder.Build(p);
    if (summary) {
      ++summary->articles;
      ++summary->by_kind[static_cast<int>(a.copy_kind)];
    }
    return sink(a);
  };
  // Articles wait here until no later event can produce an earlier one: every article of event
  // e + 1 or later is dated at or after that event's date, which is non-decreasing in e.
  std::priority_queue<gen::ArticlePlan, std::vector<gen::ArticlePlan>, gen::LaterFirst> pending;
  std::vector<gen::ArticlePlan> planned_articles;
  uint64_t planned = 0;
  for (uint64_t e = 0; planned < options_.articles;) {
    planned_articles.clear();
    const gen::EventPlan ev = planner.Plan(e, planned, &planned_articles);
    if (summary) {
      summary->follow_ups += ev.thread != ev.index ? 1 : 0;
      summary->sub_events += ev.sub_event() ? 1 : 0;
      summary->big_events += ev.reports >= kBigEventReports ? 1 : 0;
      summary->max_reports = std::max<uint64_t>(summary->max_reports, ev.reports);
    }
    while (!pending.empty() && pending.top().date < ev.date) {
      if (Status s = emit(pending.top()); !s.ok()) return s;
      pending.pop();
    }
    for (const gen::ArticlePlan& p : planned_articles) pending.push(p);
    planned += ev.count();
    e += ev.events();
    if (summary) {
      summary->events += ev.events();
      summary->reports += static_cast<uint64_t>(ev.reports);
      summary->notices += ev.wording == gen::Wording::kNotice ? 1 : 0;
      summary->max_pending = std::max<uint64_t>(summary->max_pending, pending.size());
    }
  }
  while (!pending.empty()) {
    if (Status s = emit(pending.top()); !s.ok()) return s;
    pending.pop();
  }
  return Status::OK();
}

}  // namespace samestory

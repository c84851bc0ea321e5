// Report planning: the generator's events (a thread, base articles, a date, k reports and each
// report's number of copies) and the article plans they expand to. A plan is everything needed to
// rebuild an article (article_builder.h), so the buffer that puts articles in date order holds
// small plans, not texts. Planned in event order; dates are non-decreasing in event order.
// Internal. A Planner is stateful (a ring of recent threads): one per Generate() call.
#ifndef SAMESTORY_GEN_PLAN_H_
#define SAMESTORY_GEN_PLAN_H_

#include <cstdint>
#include <vector>

#include "gen/base_corpus.h"
#include "samestory/document.h"
#include "samestory/generate.h"

namespace samestory::gen {

struct EventPlan {
  uint64_t index = 0;
  uint64_t first_seq = 0;   // generation number of its first article
  uint64_t thread = 0;      // the event that opened its thread (itself unless a follow-up)
  uint32_t focus = 0;       // the base article its reports are mostly made of
  uint32_t background = 0;  // the thread's base article, a few sentences of which every report has
  UnixSeconds date = 0;
  int reports = 0;
  uint8_t copies[32] = {};
  uint64_t count() const {
    uint64_t n = 0;
    for (int r = 0; r < reports; ++r) n += 1 + copies[r];
    return n;
  }
};

// One article waiting in the reorder buffer: everything needed to rebuild it.
struct ArticlePlan {
  UnixSeconds date = 0;
  uint64_t seq = 0;  // generation number; the id is "g<seq + 1>"
  uint64_t event = 0;
  uint64_t thread = 0;
  uint32_t focus = 0, background = 0;
  uint16_t report = 0;
  uint16_t copy = 0;  // 0 for the report itself; its original is seq - copy
};

// Orders a priority queue so that the earliest plan (by date, then generation number) is on top.
struct LaterFirst {
  bool operator()(const ArticlePlan& a, const ArticlePlan& b) const {
    return a.date != b.date ? a.date > b.date : a.seq > b.seq;
  }
};

class Planner {
 public:
  // REQUIRES: o.Validate() is OK; `o` and `base` outlive the planner.
  Planner(const GeneratorOptions& o, const BaseCorpus& base);

  // Plans event e, whose articles are numbered from `planned`, and appends its articles.
  // REQUIRES: events are planned in order 0, 1, 2...; planned < o.articles.
  EventPlan Plan(uint64_t e, uint64_t planned, std::vector<ArticlePlan>* out);

 private:
  // Events in thread_days, at the expected rate of events: how far back a follow-up may reach.
  static size_t ThreadWindow(const GeneratorOptions& o);

  // The base article a thread's events share: drawn from the thread's own stream, so any event of
  // the thread finds it again.
  uint32_t ThreadBackground(uint64_t thread) const;

  const GeneratorOptions& o_;
  const BaseCorpus& base_;
  const UnixSeconds start_;
  const int64_t period_, spread_, delay_;
  std::vector<uint64_t> recent_threads_;  // thread of event e at e % size(): a ring
};

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_PLAN_H_

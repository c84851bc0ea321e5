// Report planning: the generator's events (a thread, base articles, a date, k reports and each
// report's number of copies; now and then a short notice, and templated articles that reuse a
// report's wording) and the article plans they expand to. A plan is everything needed to rebuild
// an article (article_builder.h), so the buffer that puts articles in date order holds small
// plans, not texts. Planned in event order; event dates are non-decreasing in event order and
// every article is dated at or after its event. Internal. A Planner is stateful (a ring of recent
// threads): one per Generate() call.
#ifndef SAMESTORY_GEN_PLAN_H_
#define SAMESTORY_GEN_PLAN_H_

#include <cstdint>
#include <vector>

#include "gen/base_corpus.h"
#include "samestory/document.h"
#include "samestory/generate.h"

namespace samestory::gen {

// What a report is made of.
enum class Wording : uint8_t {
  kStory,   // base sentences rewritten, entity sentences (report.h)
  kNotice,  // a short recurring notice (notice.h)
};

// What a templated article changes in its template's wording (kNone: not templated).
enum class Twin : uint8_t {
  kNone,
  kNames,    // other organisation, people and place (a notice: maybe other figures too)
  kFigures,  // other numbers (a notice: and its own dates)
  kDate,     // a notice repeated word for word a week or more later: only its dates differ
};

// A templated article is dated at most this long after its template.
inline constexpr int64_t kMaxTemplateGap = 28 * 86400 + 7200;

// Seconds from `o.start` to the latest date an article can have. REQUIRES: o is otherwise valid.
int64_t LatestArticleOffset(const GeneratorOptions& o);

struct EventPlan {
  uint64_t index = 0;
  uint64_t first_seq = 0;   // generation number of its first article
  uint64_t thread = 0;      // the event that opened its thread (itself unless a follow-up)
  uint32_t focus = 0;       // the base article its reports are mostly made of
  uint32_t background = 0;  // the thread's base article, a few sentences of which every report has
  UnixSeconds date = 0;
  Wording wording = Wording::kStory;
  int reports = 0;
  uint8_t copies[32] = {};
  // Templated articles in the wording of report `template_report`, each its own event (story),
  // numbered index + 1 .. index + templated.
  Twin twin = Twin::kNone;
  int templated = 0;
  int template_report = 0;
  uint64_t count() const {
    uint64_t n = static_cast<uint64_t>(templated);
    for (int r = 0; r < reports; ++r) n += 1 + copies[r];
    return n;
  }
  uint64_t events() const { return 1 + static_cast<uint64_t>(templated); }
};

// One article waiting in the reorder buffer: everything needed to rebuild it.
struct ArticlePlan {
  UnixSeconds date = 0;
  UnixSeconds origin_date = 0;  // the date of the report it derives from (its own for a report)
  uint64_t seq = 0;             // generation number; the id is "g<seq + 1>"
  uint64_t origin_seq = 0;      // the report it derives from: itself, its original, or its template
  uint64_t event = 0;           // its story
  uint64_t source_event = 0;    // the event whose report it is, copies or rewords (event unless
                                // templated)
  uint64_t thread = 0;          // the source event's thread
  uint32_t focus = 0, background = 0;  // the source event's base articles
  uint16_t report = 0;                 // which report of the source event
  uint16_t copy = 0;                   // 0 for a report (or a templated article), else its copy
  Wording wording = Wording::kStory;
  Twin twin = Twin::kNone;
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

  // Plans event e, whose articles are numbered from `planned`, and appends its articles (those of
  // its templated articles' events too). The next event to plan is e + events().
  // REQUIRES: events are planned in that order from 0; planned < o.articles.
  EventPlan Plan(uint64_t e, uint64_t planned, std::vector<ArticlePlan>* out);

 private:
  // Events in thread_days, at the expected rate of events: how far back a follow-up may reach.
  static size_t ThreadWindow(const GeneratorOptions& o);

  // The chance that an event is the template of templated articles, so that they make
  // o.templated_rate of the articles.
  static double TemplateChance(const GeneratorOptions& o);

  // The base article a thread's events share: drawn from the thread's own stream, so any event of
  // the thread finds it again.
  uint32_t ThreadBackground(uint64_t thread) const;

  // Chooses whether event `ev` is a template, and of which kind; a notice has one report.
  void PlanTemplate(EventPlan* ev) const;

  const GeneratorOptions& o_;
  const BaseCorpus& base_;
  const UnixSeconds start_;
  const int64_t period_, spread_, delay_;
  const double template_chance_;
  std::vector<uint64_t> recent_threads_;  // thread of event e at e % size(): a ring
};

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_PLAN_H_

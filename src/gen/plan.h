// Report planning: the generator's events (a thread, base articles, a date, k reports and each
// report's number of copies; now and then a short notice, and templated articles that reuse a
// report's wording) and the article plans they expand to. A plan is everything needed to rebuild
// an article (article_builder.h), so the buffer that puts articles in date order holds small
// plans, not texts. Planned in event order; event dates are non-decreasing in event order and
// every article is dated at or after its event. Internal. A Planner is stateful (a ring of recent
// threads, a queue of recent big events): one per Generate() call.
#ifndef SAMESTORY_GEN_PLAN_H_
#define SAMESTORY_GEN_PLAN_H_

#include <cstdint>
#include <deque>
#include <vector>

#include "gen/base_corpus.h"
#include "gen/random.h"
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
  uint64_t term_event = 0;  // the event whose key term it names: itself, or a sub-event's big event
  uint32_t focus = 0;       // the base article its reports are mostly made of
  uint32_t background = 0;  // the thread's base article, a few sentences of which every report has
  UnixSeconds date = 0;
  Wording wording = Wording::kStory;
  int reports = 0;      // distinct reports: 1 .. 65535
  uint64_t copies = 0;  // copies of its reports in all (per report: the Planner, while planning)
  // Templated articles in the wording of report `template_report`, each its own event (story),
  // numbered index + 1 .. index + templated.
  Twin twin = Twin::kNone;
  int templated = 0;
  int template_report = 0;
  uint64_t count() const {
    return static_cast<uint64_t>(templated) + static_cast<uint64_t>(reports) + copies;
  }
  uint64_t events() const { return 1 + static_cast<uint64_t>(templated); }
  bool sub_event() const { return term_event != index; }
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
  uint64_t term_event = 0;      // the source event's term_event
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

// The number of distinct reports of an event under StorySizes::kHeavyTailed: P(K = k) ~ k^-a for
// k = 1 .. max_story_reports, drawn by inverse transform from a table of integer weights
// 2^60 k^-a (a double, truncated), a rounded to a multiple of 1/1024 so that k^a is a product of
// repeated square roots and squares of k: correctly rounded IEEE operations and no sum, the same
// table on every machine. Immutable; thread-safe.
class ReportCountLaw {
 public:
  // REQUIRES: 1 <= exponent <= 4, 1 <= cap <= 50000.
  ReportCountLaw(double exponent, int cap);

  // A draw of K in [1, cap]: one Below() of `rng`.
  int Draw(Rng& rng) const;

  // E[K].
  double Mean() const { return mean_; }

  // P(K = k) as the integer weight of k over total() (0 beyond the cap).
  uint64_t weight(int k) const;
  uint64_t total() const { return cumulative_.back(); }

 private:
  std::vector<uint64_t> cumulative_;  // cumulative_[k - 1]: the weights of 1..k
  double mean_ = 0;
};

class Planner {
 public:
  // REQUIRES: o.Validate() is OK; `o` and `base` outlive the planner. With kHeavyTailed, runs
  // the planning-only pass that counts the events (to date them by index): O(N / E[articles per
  // event]) draws, no memory.
  Planner(const GeneratorOptions& o, const BaseCorpus& base);

  // Plans event e, whose articles are numbered from `planned`, and appends its articles (those of
  // its templated articles' events too). The next event to plan is e + events().
  // REQUIRES: events are planned in that order from 0; planned < o.articles.
  EventPlan Plan(uint64_t e, uint64_t planned, std::vector<ArticlePlan>* out);

  // Events (story events, notices and templated articles) the whole corpus has: known up front
  // with kHeavyTailed, else 0.
  uint64_t events_total() const { return events_total_; }

 private:
  // A big event, for the sub-events that may follow it: what they share with it.
  struct BigEvent {
    uint64_t term_event = 0, thread = 0;
    UnixSeconds date = 0;
  };

  bool heavy() const { return o_.story_sizes == StorySizes::kHeavyTailed; }

  // Events in thread_days, at the expected rate of events: how far back a follow-up may reach.
  size_t ThreadWindow() const;

  // The chance that an event is the template of templated articles, so that they make
  // o.templated_rate of the articles. `mean_reports`: E[K].
  static double TemplateChance(const GeneratorOptions& o, double mean_reports);

  // Draws ev->reports (from o.story_sizes) and each report's copies into copies_ from `rng`, then
  // trims the event to land on N exactly when it would overshoot: templated articles first, then
  // copies, then reports, and never leaves a single article for an event of its own.
  void DrawSize(Rng& rng, uint64_t planned, EventPlan* ev);

  // kHeavyTailed: runs DrawSize over the whole corpus, from its own streams, and counts events.
  uint64_t CountEvents();

  // kHeavyTailed: a sub-event's big event, drawn from big_events_ (those of the last
  // kSubEventDays days before `date`), or null.
  const BigEvent* PickBigEvent(UnixSeconds date, Rng& rng);

  // The base article a thread's events share: drawn from the thread's own stream, so any event of
  // the thread finds it again.
  uint32_t ThreadBackground(uint64_t thread) const;

  // Chooses whether event `ev` is a template, and of which kind; a notice has one report.
  void PlanTemplate(EventPlan* ev) const;

  const GeneratorOptions& o_;
  const BaseCorpus& base_;
  const UnixSeconds start_;
  const int64_t period_, spread_, delay_;
  const ReportCountLaw law_;  // kHeavyTailed only (a one-entry table otherwise)
  const double template_chance_;
  uint64_t events_total_ = 0;
  std::vector<uint64_t> recent_threads_;  // thread of event e at e % size(): a ring
  std::vector<uint8_t> copies_;           // copies of each report of the event being planned
  std::deque<BigEvent> big_events_;       // recent big events, oldest first; at most kMaxBig
};

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_PLAN_H_

// Report planning (plan.h).
#include "gen/plan.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <utility>

#include "gen/random.h"

namespace samestory::gen {
namespace {

// Of the events that are templates: the share that are short notices (the rest are story events
// one of whose reports is reused), and how many templated articles each gets.
constexpr double kNoticeShare = 0.6;
constexpr int kMaxNoticeTwins = 3;  // 1..3 (mean 2)
constexpr int kMaxStoryTwins = 2;   // 1..2 (mean 1.5)

// Big events a sub-event can choose from, at most: the most recent ones (beyond ~40 big events a
// day, the reach is shorter than kSubEventDays).
constexpr size_t kMaxBig = 1200;

// Most reports an event can have (ArticlePlan::report is 16 bits).
constexpr int kMaxReports = 65535;

int64_t ReportLag(const GeneratorOptions& o) {
  return std::max<int64_t>(static_cast<int64_t>(o.report_spread_days * 86400.0), 7200);
}

// k^(m / 1024) for m in [0, 4096]: the product of k^(2^b / 1024) over the bits b of m, each a
// repeated square root (b < 10) or square (b > 10) of k. Square roots and products are correctly
// rounded in IEEE arithmetic and there is no sum to fuse, so every machine gets the same double.
double PowerOf1024ths(int k, int m) {
  double factor[13];
  factor[10] = k;
  for (int b = 9; b >= 0; --b) factor[b] = std::sqrt(factor[b + 1]);
  factor[11] = factor[10] * factor[10];
  factor[12] = factor[11] * factor[11];
  double p = 1;
  for (int b = 0; b <= 12; ++b) {
    if (m >> b & 1) p *= factor[b];
  }
  return p;
}

}  // namespace

ReportCountLaw::ReportCountLaw(double exponent, int cap) {
  const int m = static_cast<int>(exponent * 1024 + 0.5);
  cumulative_.resize(static_cast<size_t>(cap));
  uint64_t sum = 0;
  Uint128 moment = 0;  // sum of k x weight(k)
  for (int k = 1; k <= cap; ++k) {
    // At most 2^60 each and sum k^-1 over k <= 50000 is below 12: the sum fits 64 bits.
    const uint64_t w = static_cast<uint64_t>(0x1p60 / PowerOf1024ths(k, m));
    sum += w;
    moment += static_cast<Uint128>(w) * static_cast<uint64_t>(k);
    cumulative_[static_cast<size_t>(k - 1)] = sum;
  }
  mean_ = static_cast<double>(moment) / static_cast<double>(sum);
}

int ReportCountLaw::Draw(Rng& rng) const {
  const uint64_t u = rng.Below(total());
  return 1 + static_cast<int>(std::upper_bound(cumulative_.begin(), cumulative_.end(), u) -
                              cumulative_.begin());
}

uint64_t ReportCountLaw::weight(int k) const {
  if (k < 1 || static_cast<size_t>(k) > cumulative_.size()) return 0;
  const size_t i = static_cast<size_t>(k - 1);
  return cumulative_[i] - (i > 0 ? cumulative_[i - 1] : 0);
}

int64_t LatestArticleOffset(const GeneratorOptions& o) {
  // Event dates are before start + days; a report comes up to its spread (or 2 hours) later; a
  // copy up to copy_delay (and a minute) after its report, a templated article up to
  // kMaxTemplateGap after its template.
  const int64_t copy_lag = 60 + static_cast<int64_t>(o.copy_delay_hours * 3600.0);
  return static_cast<int64_t>(o.days) * 86400 + ReportLag(o) +
         std::max<int64_t>(copy_lag, kMaxTemplateGap);
}

Planner::Planner(const GeneratorOptions& o, const BaseCorpus& base)
    : o_(o),
      base_(base),
      start_(*ParseIsoDate(o.start)),
      period_(static_cast<int64_t>(o.days) * 86400),
      spread_(static_cast<int64_t>(o.report_spread_days * 86400.0)),
      delay_(static_cast<int64_t>(o.copy_delay_hours * 3600.0)),
      law_(o.story_size_exponent, heavy() ? o.max_story_reports : 1),
      template_chance_(
          TemplateChance(o, heavy() ? law_.Mean() : (o.min_reports + o.max_reports) / 2.0)) {
  if (heavy()) events_total_ = CountEvents();
  recent_threads_.resize(ThreadWindow());
}

EventPlan Planner::Plan(uint64_t e, uint64_t planned, std::vector<ArticlePlan>* out) {
  Rng rng(StreamSeed(o_.seed, kEventStream, e));
  EventPlan ev;
  ev.index = e;
  ev.first_seq = planned;
  ev.term_event = e;
  PlanTemplate(&ev);
  const bool notice = ev.wording == Wording::kNotice;
  // kHeavyTailed: the size from the event's own stream (so that CountEvents() finds it without
  // planning threads), and the date from the event's index: events come at an even rate, whatever
  // their size. A story event may be a sub-event of a recent big one.
  const BigEvent* big = nullptr;
  if (heavy()) {
    Rng sizes(StreamSeed(o_.seed, kSizeStream, e));
    DrawSize(sizes, planned, &ev);
    constexpr uint64_t kFine = 1024;
    const Uint128 pos = static_cast<Uint128>(e) * kFine + sizes.Below(kFine);
    ev.date = start_ + static_cast<int64_t>(pos * static_cast<uint64_t>(period_) /
                                            (static_cast<Uint128>(events_total_) * kFine));
    Rng sub(StreamSeed(o_.seed, kSubEventStream, e));
    if (!notice && sub.Chance(o_.sub_event_rate)) big = PickBigEvent(ev.date, sub);
  }
  // A follow-up joins the thread of one of the events of the last thread_days; a notice opens
  // its own.
  const bool follow_up = rng.Chance(o_.follow_up_rate) && !notice;
  const uint64_t window = recent_threads_.size();
  const uint64_t back = 1 + rng.Below(std::min<uint64_t>(std::max<uint64_t>(e, 1), window));
  ev.thread = follow_up && e > 0 ? recent_threads_[(e - back) % window] : e;
  if (big != nullptr) {
    ev.thread = big->thread;
    ev.term_event = big->term_event;
  }
  for (uint64_t k = 0; k < ev.events(); ++k) recent_threads_[(e + k) % window] = ev.thread;
  ev.background = ThreadBackground(ev.thread);
  const auto& same_lang = base_.seeds_by_lang[base_.articles[ev.background].lang];
  ev.focus = same_lang[rng.Below(same_lang.size())];
  if (same_lang.size() > 1) {
    while (ev.focus == ev.background) ev.focus = same_lang[rng.Below(same_lang.size())];
  }
  if (notice) ev.focus = ev.background;  // its language; a notice uses no base text
  if (!heavy()) DrawSize(rng, planned, &ev);
  Rng trng(StreamSeed(o_.seed, kTemplateStream, e, 1));
  if (ev.templated == 0) ev.twin = Twin::kNone;
  ev.template_report = static_cast<int>(trng.Below(static_cast<uint64_t>(ev.reports)));
  // kUniform: the event's date is its share of the articles placed on the period, so dates are
  // non-decreasing in event order and the last event ends inside the period.
  const uint64_t n = ev.count();
  if (!heavy()) {
    constexpr uint64_t kFine = 1024;
    const Uint128 pos = static_cast<Uint128>(planned) * kFine + rng.Below(n * kFine);
    ev.date = start_ + static_cast<int64_t>(pos * static_cast<uint64_t>(period_) /
                                            (static_cast<Uint128>(o_.articles) * kFine));
  }
  if (heavy() && ev.reports >= kBigEventReports) {
    big_events_.push_back({ev.term_event, ev.thread, ev.date});
    if (big_events_.size() > kMaxBig) big_events_.pop_front();
  }
  // Articles: report r at the event's date plus up to spread (early days likelier); its copies
  // a minute to copy_delay later (early hours likelier). kHeavyTailed: the bigger the story, the
  // longer it lasts: spread x bit_width(K) / bit_width(cap).
  int64_t spread = spread_;
  if (heavy()) {
    spread = spread_ * std::bit_width(static_cast<unsigned>(ev.reports)) /
             std::bit_width(static_cast<unsigned>(o_.max_story_reports));
  }
  uint64_t seq = planned;
  ArticlePlan report;
  report.event = report.source_event = e;
  report.thread = ev.thread;
  report.term_event = ev.term_event;
  report.focus = ev.focus;
  report.background = ev.background;
  report.wording = ev.wording;
  ArticlePlan the_template;
  for (int r = 0; r < ev.reports; ++r) {
    UnixSeconds report_date = ev.date + static_cast<int64_t>(rng.Below(7200));
    if (r > 0 && spread > 0) {
      const int64_t a = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(spread) + 1));
      report_date = ev.date + a * a / spread;
    }
    report.date = report.origin_date = report_date;
    report.seq = report.origin_seq = seq++;
    report.report = static_cast<uint16_t>(r);
    report.copy = 0;
    out->push_back(report);
    if (r == ev.template_report) the_template = report;
    for (int c = 1; c <= copies_[static_cast<size_t>(r)]; ++c) {
      int64_t lag = 60;
      if (delay_ > 0) {
        const int64_t b = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(delay_) + 1));
        lag += b * b / delay_;
      }
      ArticlePlan copy = report;
      copy.date = report_date + lag;
      copy.seq = seq++;
      copy.copy = static_cast<uint16_t>(c);
      out->push_back(copy);
    }
  }
  // Templated articles: after the template, each its own event.
  int weeks[4] = {1, 2, 3, 4};  // a repeated notice: distinct weeks later
  for (int k = 3; k > 0; --k) std::swap(weeks[k], weeks[trng.Below(static_cast<uint64_t>(k) + 1)]);
  for (int j = 0; j < ev.templated; ++j) {
    ArticlePlan t = the_template;
    int64_t gap;
    if (ev.twin == Twin::kDate) {
      gap = int64_t{weeks[j]} * 7 * 86400 + static_cast<int64_t>(trng.Below(7200));
    } else if (trng.Chance(0.5)) {  // within 1-3 days
      gap = 86400 + static_cast<int64_t>(trng.Below(2 * 86400));
    } else {  // 1-4 weeks later
      gap = int64_t{trng.Between(1, 4)} * 7 * 86400 + static_cast<int64_t>(trng.Below(7200));
    }
    t.date = the_template.date + gap;
    t.seq = seq++;
    t.event = e + 1 + static_cast<uint64_t>(j);
    t.twin = ev.twin;
    out->push_back(t);
  }
  return ev;
}

void Planner::DrawSize(Rng& rng, uint64_t planned, EventPlan* ev) {
  const bool notice = ev->wording == Wording::kNotice;
  ev->reports = heavy() ? law_.Draw(rng) : rng.Between(o_.min_reports, o_.max_reports);
  if (notice) ev->reports = 1;
  copies_.resize(static_cast<size_t>(ev->reports));
  ev->copies = 0;
  for (int r = 0; r < ev->reports; ++r) {
    int c = 0;
    while (c < 255 && rng.Chance(o_.copy_rate)) ++c;
    copies_[static_cast<size_t>(r)] = static_cast<uint8_t>(c);
    ev->copies += static_cast<uint64_t>(c);
  }
  // Land on N exactly: trim the last event (templated articles first, then copies, then
  // reports), and never leave a single article for an event of its own.
  const uint64_t remaining = o_.articles - planned;
  if (ev->count() > remaining) {
    ev->templated -= static_cast<int>(
        std::min<uint64_t>(static_cast<uint64_t>(ev->templated), ev->count() - remaining));
  }
  for (int r = ev->reports - 1; r >= 0 && ev->count() > remaining; --r) {
    uint8_t& c = copies_[static_cast<size_t>(r)];
    const uint64_t cut = std::min<uint64_t>(c, ev->count() - remaining);
    c = static_cast<uint8_t>(c - cut);
    ev->copies -= cut;
  }
  if (ev->count() > remaining) ev->reports = static_cast<int>(remaining);
  if (remaining - ev->count() == 1) {
    int r = 0;
    while (r < ev->reports && copies_[static_cast<size_t>(r)] == 255) ++r;
    if (r < ev->reports) {
      ++copies_[static_cast<size_t>(r)];
      ++ev->copies;
    } else if (ev->reports < (heavy() ? kMaxReports : 32)) {
      copies_.resize(static_cast<size_t>(ev->reports) + 1);
      copies_[static_cast<size_t>(ev->reports++)] = 0;  // every report has 255 copies already
    }
  }
}

uint64_t Planner::CountEvents() {
  uint64_t e = 0;
  for (uint64_t planned = 0; planned < o_.articles;) {
    EventPlan ev;
    ev.index = e;
    PlanTemplate(&ev);
    Rng sizes(StreamSeed(o_.seed, kSizeStream, e));
    DrawSize(sizes, planned, &ev);
    planned += ev.count();
    e += ev.events();
  }
  return e;
}

const Planner::BigEvent* Planner::PickBigEvent(UnixSeconds date, Rng& rng) {
  while (!big_events_.empty() && big_events_.front().date < date - int64_t{kSubEventDays} * 86400) {
    big_events_.pop_front();
  }
  if (big_events_.empty()) return nullptr;
  return &big_events_[rng.Below(big_events_.size())];
}

void Planner::PlanTemplate(EventPlan* ev) const {
  Rng rng(StreamSeed(o_.seed, kTemplateStream, ev->index));
  if (!rng.Chance(template_chance_)) return;
  if (rng.Chance(kNoticeShare)) {
    // A dividend-like notice about another company (45%), a figures report with other figures
    // (20%), a weekly notice repeated word for word (35%).
    ev->wording = Wording::kNotice;
    const uint64_t kind = rng.Below(20);
    ev->twin = kind < 9 ? Twin::kNames : kind < 13 ? Twin::kFigures : Twin::kDate;
    ev->templated = rng.Between(1, kMaxNoticeTwins);
  } else {
    // A report's wording with other figures (70%) or about other names (30%).
    ev->twin = rng.Below(10) < 7 ? Twin::kFigures : Twin::kNames;
    ev->templated = rng.Between(1, kMaxStoryTwins);
  }
}

double Planner::TemplateChance(const GeneratorOptions& o, double mean_reports) {
  const double t = o.templated_rate;
  if (t <= 0) return 0;
  // Articles per event: a story event A, a notice 1 / (1 - copy_rate); templated articles per
  // template T. With q the chance an event is a template, t = q T / (q (T + G) + (1 - q) A),
  // G the template events' own articles.
  const double a = mean_reports / (1.0 - o.copy_rate);
  const double notice = 1.0 / (1.0 - o.copy_rate);
  const double twins =
      kNoticeShare * (1 + kMaxNoticeTwins) / 2.0 + (1 - kNoticeShare) * (1 + kMaxStoryTwins) / 2.0;
  const double own = kNoticeShare * notice + (1 - kNoticeShare) * a;
  const double q = t * a / (twins - t * twins - t * own + t * a);
  return std::clamp(q, 0.0, 1.0);
}

size_t Planner::ThreadWindow() const {
  const GeneratorOptions& o = o_;
  const double per_event = (o.min_reports + o.max_reports) / 2.0 / (1.0 - o.copy_rate);
  const double events_per_day = heavy() ? static_cast<double>(events_total_) / o.days
                                        : static_cast<double>(o.articles) / per_event / o.days;
  const double window = o.thread_days * events_per_day;
  return static_cast<size_t>(std::clamp(window, 1.0, 1048576.0));
}

uint32_t Planner::ThreadBackground(uint64_t thread) const {
  Rng rng(StreamSeed(o_.seed, kThreadStream, thread));
  return base_.seeds[rng.Below(base_.seeds.size())];
}

}  // namespace samestory::gen

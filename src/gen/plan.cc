// Report planning (plan.h).
#include "gen/plan.h"

#include <algorithm>

#include "gen/random.h"

namespace samestory::gen {

Planner::Planner(const GeneratorOptions& o, const BaseCorpus& base)
    : o_(o),
      base_(base),
      start_(*ParseIsoDate(o.start)),
      period_(static_cast<int64_t>(o.days) * 86400),
      spread_(static_cast<int64_t>(o.report_spread_days * 86400.0)),
      delay_(static_cast<int64_t>(o.copy_delay_hours * 3600.0)),
      recent_threads_(ThreadWindow(o)) {}

EventPlan Planner::Plan(uint64_t e, uint64_t planned, std::vector<ArticlePlan>* out) {
  Rng rng(StreamSeed(o_.seed, kEventStream, e));
  EventPlan ev;
  ev.index = e;
  ev.first_seq = planned;
  // A follow-up joins the thread of one of the events of the last thread_days.
  const bool follow_up = rng.Chance(o_.follow_up_rate);
  const uint64_t window = recent_threads_.size();
  const uint64_t back = 1 + rng.Below(std::min<uint64_t>(std::max<uint64_t>(e, 1), window));
  ev.thread = follow_up && e > 0 ? recent_threads_[(e - back) % window] : e;
  recent_threads_[e % window] = ev.thread;
  ev.background = ThreadBackground(ev.thread);
  const auto& same_lang = base_.seeds_by_lang[base_.articles[ev.background].lang];
  ev.focus = same_lang[rng.Below(same_lang.size())];
  if (same_lang.size() > 1) {
    while (ev.focus == ev.background) ev.focus = same_lang[rng.Below(same_lang.size())];
  }
  ev.reports = rng.Between(o_.min_reports, o_.max_reports);
  for (int r = 0; r < ev.reports; ++r) {
    int c = 0;
    while (c < 255 && rng.Chance(o_.copy_rate)) ++c;
    ev.copies[r] = static_cast<uint8_t>(c);
  }
  // Land on N exactly: trim the last event (copies first, then reports), and never leave a
  // single article for an event of its own.
  const uint64_t remaining = o_.articles - planned;
  for (int r = ev.reports - 1; r >= 0 && ev.count() > remaining; --r) {
    ev.copies[r] = static_cast<uint8_t>(std::max<int64_t>(
        0, static_cast<int64_t>(ev.copies[r]) - static_cast<int64_t>(ev.count() - remaining)));
  }
  if (ev.count() > remaining) ev.reports = static_cast<int>(remaining);
  if (remaining - ev.count() == 1) {
    int r = 0;
    while (r < ev.reports && ev.copies[r] == 255) ++r;
    if (r < ev.reports) {
      ++ev.copies[r];
    } else if (ev.reports < 32) {
      ev.copies[ev.reports++] = 0;  // every report has 255 copies already: one report more
    }
  }
  // The event's date: its share of the articles placed on the period, so dates are
  // non-decreasing in event order and the last event ends inside the period.
  const uint64_t n = ev.count();
  constexpr uint64_t kFine = 1024;
  const Uint128 pos = static_cast<Uint128>(planned) * kFine + rng.Below(n * kFine);
  ev.date = start_ + static_cast<int64_t>(pos * static_cast<uint64_t>(period_) /
                                          (static_cast<Uint128>(o_.articles) * kFine));
  // Articles: report r at the event's date plus up to spread (early days likelier); its copies
  // a minute to copy_delay later (early hours likelier).
  uint64_t seq = planned;
  for (int r = 0; r < ev.reports; ++r) {
    UnixSeconds report_date = ev.date + static_cast<int64_t>(rng.Below(7200));
    if (r > 0 && spread_ > 0) {
      const int64_t a = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(spread_) + 1));
      report_date = ev.date + a * a / spread_;
    }
    out->push_back(
        {report_date, seq++, e, ev.thread, ev.focus, ev.background, static_cast<uint16_t>(r), 0});
    for (int c = 1; c <= ev.copies[r]; ++c) {
      int64_t lag = 60;
      if (delay_ > 0) {
        const int64_t b = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(delay_) + 1));
        lag += b * b / delay_;
      }
      out->push_back({report_date + lag, seq++, e, ev.thread, ev.focus, ev.background,
                      static_cast<uint16_t>(r), static_cast<uint16_t>(c)});
    }
  }
  return ev;
}

size_t Planner::ThreadWindow(const GeneratorOptions& o) {
  const double per_event = (o.min_reports + o.max_reports) / 2.0 / (1.0 - o.copy_rate);
  const double events_per_day = static_cast<double>(o.articles) / per_event / o.days;
  const double window = o.thread_days * events_per_day;
  return static_cast<size_t>(std::clamp(window, 1.0, 1048576.0));
}

uint32_t Planner::ThreadBackground(uint64_t thread) const {
  Rng rng(StreamSeed(o_.seed, kThreadStream, thread));
  return base_.seeds[rng.Below(base_.seeds.size())];
}

}  // namespace samestory::gen

// Report building (report.h).
#include "gen/report.h"

#include <algorithm>
#include <iterator>

#include "gen/rewrite.h"
#include "gen/text_util.h"
#include "gen/word_lists.h"

namespace samestory::gen {

void MakeTitle(const BaseCorpus& base, uint32_t focus, const Entities& e, Rng& rng,
               std::vector<Word>* words, std::string* out) {
  const std::string& base_title = base.articles[focus].title;
  const int form = static_cast<int>(rng.Below(20));
  if (form < 9 && !base_title.empty()) {
    RemapTitle(base, base_title, e.focus_remap, words, out);
    if (form >= 6) *out = e.place + ": " + *out;
  } else {
    const LangKit kit = KitFor(e.lang);
    FillTemplate(kit.titles[rng.Below(kit.titles.size())], e, out);
  }
}

void MakeVariedTitle(const BaseCorpus& base, uint32_t focus, const Entities& e, const Body& body,
                     Rng& rng, std::vector<Word>* words, std::string* tmp, std::string* out) {
  const std::string& base_title = base.articles[focus].title;
  const LangKit kit = KitFor(e.lang);
  const uint64_t form = rng.Below(20);
  if (form < 9 && !base_title.empty()) {
    // The base headline reworded, with one of the event's names, so that it shares a word with
    // the other forms: "Velmarburg: ..." (15%), "... in Velmarburg" (10%), the key term's name
    // as a slug, "Lungriani: ..." (50%), "..., Tislun Group says" (25%).
    RemapTitle(base, base_title, e.focus_remap, words, tmp, /*sentence_case=*/true);
    words->clear();
    AnalyzeWords(*tmp, words);
    RewriteSentence(*tmp, *words, nullptr, rng, out);
    switch (rng.Below(20)) {
      case 0:
      case 1:
      case 2:
        out->insert(0, e.place + ": ");
        break;
      case 3:
      case 4:
        out->append(e.lang == Lang::kFr ? " à " : e.lang == Lang::kEs ? " en " : " in ");
        out->append(e.place);
        break;
      case 5:
      case 6:
      case 7:
      case 8:
      case 9:
      case 10:
      case 11:
      case 12:
      case 13:
      case 14:
        out->insert(0, e.term_name + ": ");
        break;
      default:
        out->append(e.lang == Lang::kEn   ? ", " + e.org + " says"
                    : e.lang == Lang::kFr ? ", selon " + e.org
                    : e.lang == Lang::kEs ? ", según " + e.org
                                          : " (" + e.org + ")");
    }
    return;
  }
  if (form < 18 || body.empty() || body[0].empty()) {
    FillTemplate(kit.varied_titles[rng.Below(kit.varied_titles.size())], e, out);
    return;
  }
  // The lead as a headline: its opening words, as a desk heads a flash.
  std::vector<std::string_view> split;
  SplitWords(body[0][0], &split);
  size_t keep = std::min<size_t>(split.size(), 6 + rng.Below(6));
  while (keep > 3) {
    std::string lower(SplitPunct(split[keep - 1]).first);
    for (char& c : lower) c = IsAsciiUpper(c) ? static_cast<char>(c - 'A' + 'a') : c;
    if (!OneOf(lower, kHeadlineTailWords)) break;
    --keep;
  }
  out->clear();
  for (size_t i = 0; i < keep; ++i) {
    if (i > 0) out->push_back(' ');
    out->append(split[i]);
  }
  while (!out->empty() &&
         (out->back() == '.' || out->back() == ',' || out->back() == ';' || out->back() == ':')) {
    out->pop_back();
  }
  Capitalize(out);
}

void BuildReport(const BaseCorpus& base, uint64_t seed, const ArticlePlan& p, const Entities& e,
                 TitleStyle style, ReportScratch* sc, Report* out) {
  Rng rng(StreamSeed(seed, kReportStream, p.source_event, p.report));
  const BaseCorpus::Article& focus = base.articles[p.focus];
  // Which base sentences: 30-60% of the focus article's (at most 14, at least 2), in roughly
  // their order; 0-2 of the thread's background article; 0-2 from the language's pool.
  auto& keyed = sc->keyed;
  keyed.clear();
  auto& idx = sc->indices;
  idx.resize(focus.count);
  for (uint32_t i = 0; i < focus.count; ++i) idx[i] = i;
  const uint32_t want = std::max<uint32_t>(
      std::min<uint32_t>(focus.count, 2),
      std::min<uint32_t>(14,
                         (focus.count * static_cast<uint32_t>(rng.Between(30, 60)) + 50) / 100));
  for (uint32_t i = 0; i < want; ++i) {
    uint32_t j = i + static_cast<uint32_t>(rng.Below(focus.count - i));
    std::swap(idx[i], idx[j]);
    // Key: position with jitter (neighbours may swap), made unique by the index itself.
    keyed.push_back({((uint64_t{idx[i]} * 4 + rng.Below(6)) << 32) | idx[i], focus.first + idx[i]});
  }
  std::sort(keyed.begin(), keyed.end());
  auto& sentences = sc->sentences;
  sentences.clear();
  for (const auto& [key, s] : keyed) {
    sentences.emplace_back();
    RewriteBase(base, s, &e.focus_remap, rng, &sentences.back());
  }
  // Extra sentences go anywhere but first.
  auto insert = [&](std::string s) {
    size_t at = 1 + rng.Below(sentences.size());
    sentences.insert(sentences.begin() + static_cast<std::ptrdiff_t>(at), std::move(s));
  };
  if (p.background != p.focus) {
    const BaseCorpus::Article& second = base.articles[p.background];
    for (int k = rng.Between(0, 2); k > 0; --k) {
      RewriteBase(base, second.first + static_cast<uint32_t>(rng.Below(second.count)),
                  &e.thread_remap, rng, &sc->tmp);
      insert(sc->tmp);
    }
  }
  const auto& pool = base.pool_by_lang[focus.lang];
  for (int k = rng.Between(0, 2); k > 0; --k) {
    RewriteBase(base, pool[rng.Below(pool.size())], nullptr, rng, &sc->tmp);
    insert(sc->tmp);
  }
  // Entity sentences: 1-3 distinct templates, the first one leading half of the time.
  const std::span<const std::string_view> templates = KitFor(e.lang).sentences;
  const int entity_count = rng.Between(1, 3);
  uint64_t used = 0;
  for (int k = 0; k < entity_count; ++k) {
    uint64_t t;
    do t = rng.Below(templates.size());
    while (used >> t & 1);
    used |= uint64_t{1} << t;
    FillTemplate(templates[t], e, &sc->line);
    sc->words.clear();
    AnalyzeWords(sc->line, &sc->words);
    RewriteSentence(sc->line, sc->words, nullptr, rng, &sc->tmp);
    if (k == 0 && rng.Chance(0.5)) {
      sentences.insert(sentences.begin(), sc->tmp);
    } else {
      insert(sc->tmp);
    }
  }
  // Paragraphs of 1-3 sentences.
  Report& report = *out;
  report.body.clear();
  for (size_t i = 0; i < sentences.size();) {
    size_t take = std::min<size_t>(sentences.size() - i, static_cast<size_t>(rng.Between(1, 3)));
    report.body.emplace_back(
        std::make_move_iterator(sentences.begin() + static_cast<std::ptrdiff_t>(i)),
        std::make_move_iterator(sentences.begin() + static_cast<std::ptrdiff_t>(i + take)));
    i += take;
  }
  if (style == TitleStyle::kVaried) {
    MakeVariedTitle(base, p.focus, e, report.body, rng, &sc->words, &sc->tmp, &report.title);
  } else {
    MakeTitle(base, p.focus, e, rng, &sc->words, &report.title);
  }
  report.outlet = rng.Below(kOutlets);
}

}  // namespace samestory::gen

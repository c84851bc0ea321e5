// Report building: the text of one report of an event, made from its plan. Sentences sampled from
// the event's focus article (and a few from its thread's background article and the language's
// pool), each rewritten (rewrite.h), plus 1-3 template sentences naming the event's entities,
// grouped into paragraphs under a headline. A report is rebuilt, the same, for each of its copies.
// Internal. Pure functions of (base, seed, plan); thread-safe with one ReportScratch per thread.
#ifndef SAMESTORY_GEN_REPORT_H_
#define SAMESTORY_GEN_REPORT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gen/base_corpus.h"
#include "gen/body.h"
#include "gen/entities.h"
#include "gen/plan.h"
#include "gen/random.h"
#include "gen/words.h"

namespace samestory::gen {

struct Report {
  std::string title;
  Body body;
  uint64_t outlet = 0;  // < kOutlets
};

// Working memory of BuildReport, reused across reports so that building one allocates little.
struct ReportScratch {
  std::vector<Word> words;
  std::vector<uint32_t> indices;
  std::vector<std::pair<uint64_t, uint32_t>> keyed;
  std::vector<std::string> sentences;
  std::string line, tmp;
};

// How headlines are drawn.
enum class TitleStyle : uint8_t {
  kClassic,  // MakeTitle: the corpora of the default options
  kVaried,   // MakeVariedTitle: with GeneratorOptions::titles_only or kHeavyTailed
};

// Replaces *out with a headline for a report (or a reheadlined copy) of an event whose focus
// article is `focus`: the focus article's headline remapped (30%), the same after a place name
// (15%), or a template naming the entities (55%). `words` is scratch.
void MakeTitle(const BaseCorpus& base, uint32_t focus, const Entities& e, Rng& rng,
               std::vector<Word>* words, std::string* out);

// Replaces *out with a headline in the varied style, so that the headlines of one event's many
// reports share its names and some words, not all: the focus article's headline remapped,
// sentence-cased and reworded like a sentence (synonyms, dropped words) with one of the event's
// names (the place before or after it, the key term's name before it, or the organisation as the
// source) (45%); a template naming the entities from the longer varied list (45%); or the first
// 6-11 words of the lead sentence of `body`, cut before a trailing small word (10%; a template
// when `body` is empty). `words` and `tmp` are scratch.
void MakeVariedTitle(const BaseCorpus& base, uint32_t focus, const Entities& e, const Body& body,
                     Rng& rng, std::vector<Word>* words, std::string* tmp, std::string* out);

// Builds report p.report of event p.source_event (entities `e`) into *out, from the stream
// (seed, kReportStream, source_event, report) and the base articles p.focus and p.background,
// its headline in `style`.
void BuildReport(const BaseCorpus& base, uint64_t seed, const ArticlePlan& p, const Entities& e,
                 TitleStyle style, ReportScratch* sc, Report* out);

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_REPORT_H_

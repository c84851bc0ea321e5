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

// Replaces *out with a headline for a report (or a reheadlined copy) of an event whose focus
// article is `focus`: the focus article's headline remapped (30%), the same after a place name
// (15%), or a template naming the entities (55%). `words` is scratch.
void MakeTitle(const BaseCorpus& base, uint32_t focus, const Entities& e, Rng& rng,
               std::vector<Word>* words, std::string* out);

// Builds report p.report of event p.source_event (entities `e`) into *out, from the stream
// (seed, kReportStream, source_event, report) and the base articles p.focus and p.background.
void BuildReport(const BaseCorpus& base, uint64_t seed, const ArticlePlan& p, const Entities& e,
                 ReportScratch* sc, Report* out);

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_REPORT_H_

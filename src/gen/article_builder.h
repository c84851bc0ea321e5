// Article building: one generated article from its plan. The report is rebuilt from its source
// event's streams (entities.h, report.h, notice.h); a copy then gets the edits its copy stream
// chose (copy_edits.h) and another outlet; a templated article gets its template's wording with
// other names, figures or dates. Internal. An ArticleBuilder holds the working memory that keeps
// building cheap: one per thread.
#ifndef SAMESTORY_GEN_ARTICLE_BUILDER_H_
#define SAMESTORY_GEN_ARTICLE_BUILDER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gen/base_corpus.h"
#include "gen/body.h"
#include "gen/entities.h"
#include "gen/plan.h"
#include "gen/report.h"
#include "samestory/generate.h"

namespace samestory::gen {

class ArticleBuilder {
 public:
  // REQUIRES: `base` and `options` (valid) outlive the builder.
  ArticleBuilder(const BaseCorpus& base, const GeneratorOptions& options)
      : base_(base),
        o_(options),
        title_style_(options.titles_only || options.story_sizes == StorySizes::kHeavyTailed
                         ? TitleStyle::kVaried
                         : TitleStyle::kClassic) {}

  // Builds the article of plan `p` (with titles_only, its text empty). The returned views stay
  // valid until the next Build().
  GeneratedArticle Build(const ArticlePlan& p);

 private:
  // Builds into *out the report whose wording `p` has, with entities *e (changed for a templated
  // article as p.twin says). Returns what a templated article changed: "names", "figures",
  // "date"; "" for a report or a copy.
  std::string_view BuildSource(const ArticlePlan& p, Entities* e, Report* out);

  // Applies the edits copy p.copy of its report gets to title_ and text_ (from report_), sets
  // edits_ and *outlet, and returns the copy's kind. REQUIRES: p.copy > 0.
  CopyKind MakeCopy(const ArticlePlan& p, uint64_t* outlet);

  const BaseCorpus& base_;
  const GeneratorOptions& o_;
  const TitleStyle title_style_;  // kVaried with titles_only or kHeavyTailed
  Entities entities_, template_entities_;
  Report report_, template_report_;
  ReportScratch report_scratch_;
  Body body_;
  std::vector<std::string_view> split_;
  std::vector<Word> words_;
  std::string tmp_;
  std::string title_, text_, id_, dup_, story_, date_, source_, edits_, template_of_;
};

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_ARTICLE_BUILDER_H_

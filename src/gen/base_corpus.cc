// The base corpus (base_corpus.h), and ReadBaseCorpus (samestory/generate.h).
#include "gen/base_corpus.h"

#include <algorithm>
#include <unordered_map>

#include "gen/sentences.h"
#include "gen/text_util.h"
#include "samestory/generate.h"
#include "samestory/reader.h"

namespace samestory {
namespace gen {
namespace {

// Decides which capitalized words of the base sentences are names: those whose lower-case form
// is rare in the corpus ("Coleman", but not "Analysts" opening a sentence) and that are seen
// capitalized twice or inside a sentence once (one "Exporters said" proves nothing).
void MarkNames(BaseCorpus* base) {
  struct Counts {
    uint32_t capitalized = 0, inside = 0, lower = 0;
  };
  std::unordered_map<uint32_t, Counts> counts;  // by the hash of the lower-case form
  auto lower_hash = [](std::string_view core) {
    std::string lower(core);
    lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
    return Fnv1a(lower);
  };
  for (size_t s = 0; s < base->sentences.size(); ++s) {
    const std::string_view text = base->sentences[s];
    for (uint32_t i = base->word_begin[s]; i < base->word_begin[s + 1]; ++i) {
      const Word& w = base->words[i];
      const std::string_view core = text.substr(w.begin, w.core);
      if (w.flags & kNameLike) {
        Counts& c = counts[lower_hash(core)];
        ++c.capitalized;
        c.inside += i > base->word_begin[s];
      } else if (!core.empty() && IsAsciiLower(core[0])) {
        ++counts[Fnv1a(core)].lower;
      }
    }
  }
  for (size_t s = 0; s < base->sentences.size(); ++s) {
    const std::string_view text = base->sentences[s];
    for (uint32_t i = base->word_begin[s]; i < base->word_begin[s + 1]; ++i) {
      Word& w = base->words[i];
      if (!(w.flags & kNameLike)) continue;
      const Counts& c = counts[lower_hash(text.substr(w.begin, w.core))];
      const bool name = c.lower * 4 <= c.capitalized && (c.inside > 0 || c.capitalized >= 2);
      w.flags = static_cast<uint8_t>(name ? (w.flags | kName) : (w.flags & ~kName));
      if (name) base->name_hashes.push_back(w.hash);
    }
  }
  std::sort(base->name_hashes.begin(), base->name_hashes.end());
  base->name_hashes.erase(std::unique(base->name_hashes.begin(), base->name_hashes.end()),
                          base->name_hashes.end());
}

}  // namespace

Result<std::shared_ptr<const BaseCorpus>> BuildBaseCorpus(std::span<const Document> docs) {
  auto base = std::make_shared<BaseCorpus>();
  std::unordered_map<std::string, uint32_t> lang_index;
  std::vector<std::string> split;
  for (const Document& d : docs) {
    if (!d.error.empty() || d.text.empty()) continue;
    split.clear();
    SplitSentences(d.text, &split);
    BaseCorpus::Article a;
    a.title = d.title;
    a.first = static_cast<uint32_t>(base->sentences.size());
    for (std::string& s : split) {
      if (!UsableSentence(s)) continue;
      AnalyzeWords(s, &base->words);
      base->word_begin.push_back(static_cast<uint32_t>(base->words.size()));
      base->sentences.push_back(std::move(s));
    }
    a.count = static_cast<uint32_t>(base->sentences.size()) - a.first;
    if (a.count == 0) continue;
    auto [it, added] = lang_index.emplace(d.lang, static_cast<uint32_t>(base->langs.size()));
    if (added) {
      base->langs.push_back(d.lang);
      base->seeds_by_lang.emplace_back();
      base->pool_by_lang.emplace_back();
    }
    a.lang = it->second;
    const uint32_t index = static_cast<uint32_t>(base->articles.size());
    for (uint32_t s = a.first; s < a.first + a.count; ++s) base->pool_by_lang[a.lang].push_back(s);
    if (a.count >= kMinSeedSentences) {
      base->seeds.push_back(index);
      base->seeds_by_lang[a.lang].push_back(index);
    }
    base->articles.push_back(std::move(a));
  }
  MarkNames(base.get());
  if (base->seeds.empty()) {
    return Status::InvalidArgument("the base corpus has no article with " +
                                   std::to_string(kMinSeedSentences) + " usable sentences (of " +
                                   std::to_string(docs.size()) +
                                   " records): give a corpus of real news text");
  }
  return std::shared_ptr<const BaseCorpus>(std::move(base));
}

}  // namespace gen

Result<std::vector<Document>> ReadBaseCorpus(std::string_view path, uint64_t* skipped) {
  ReaderOptions options;
  options.reject_duplicate_ids = false;  // ids play no part in the generated corpus
  auto reader = JsonlReader::Open(path, options);
  if (!reader.ok()) return reader.status();
  std::vector<Document> out, batch;
  uint64_t bad = 0;
  for (;;) {
    if (Status s = reader.value()->ReadBatch(4096, &batch); !s.ok()) return s;
    if (batch.empty()) break;
    for (Document& d : batch) {
      if (!d.error.empty() || d.text.empty()) {
        ++bad;
        continue;
      }
      out.push_back(std::move(d));
    }
  }
  if (skipped) *skipped = bad;
  return out;
}

}  // namespace samestory

// copy_features: the copy detector's evidence for pairs of articles, as TSV, for studies of the
// copy rule (bench/research/COPY_STUDY.md). Not a benchmark: a measuring tool built with them.
//
// usage: copy_features CORPUS [--pairs TSV] [--all MIN_CONTAINMENT] [--gram N]
//   --pairs TSV   the pairs to describe: a TSV with a header whose first two columns are ids;
//                 the other columns are copied through
//   --all C       every pair whose sampled containment is at least C (an inverted index over the
//                 samples; for corpora of a few thousand articles)
// Output columns: id_a id_b containment resemblance sample_a sample_b fact_agree fact_conflict
// gap_hours words_a words_b title_jaccard title_substitution [the input's other columns]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "samestory/fingerprint.h"
#include "samestory/reader.h"
#include "samestory/text.h"

using namespace samestory;

namespace {

struct Article {
  std::string id;
  std::optional<UnixSeconds> date;
  CopyFingerprint fp;
};

void Describe(const Article& a, const Article& b, const std::string& extra) {
  const SampleOverlap o = CompareSamples(a.fp, b.fp);
  const FactComparison f = CompareFacts(a.fp.facts, b.fp.facts);
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.fp.title.size() && j < b.fp.title.size();) {
    if (a.fp.title[i] < b.fp.title[j]) ++i;
    else if (b.fp.title[j] < a.fp.title[i]) ++j;
    else ++common, ++i, ++j;
  }
  const size_t uni = a.fp.title.size() + b.fp.title.size() - common;
  const bool substitution = common < a.fp.title.size() && common < b.fp.title.size();
  std::printf("%s\t%s\t%.4f\t%.4f\t%u\t%u\t%u\t%u\t", a.id.c_str(), b.id.c_str(), o.containment(),
              o.resemblance(), o.a, o.b, f.agree, f.conflict);
  if (a.date && b.date) std::printf("%.2f", std::abs(static_cast<double>(*a.date - *b.date)) / 3600);
  else std::printf("NA");
  std::printf("\t%u\t%u\t%.4f\t%d%s\n", a.fp.words, b.fp.words,
              uni ? static_cast<double>(common) / uni : 0.0, substitution ? 1 : 0, extra.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: copy_features CORPUS [--pairs TSV] [--all C] [--gram N]\n");
    return 2;
  }
  std::string corpus = argv[1], pairs_path;
  double all = -1;
  FingerprintOptions fo;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--pairs") pairs_path = argv[i + 1];
    else if (flag == "--all") all = std::atof(argv[i + 1]);
    else if (flag == "--gram") fo.gram_bytes = std::atoi(argv[i + 1]);
    else if (flag == "--rate") fo.sample_rate = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  ReaderOptions ro;
  ro.reject_duplicate_ids = false;
  auto reader = JsonlReader::Open(corpus, ro);
  auto tokenizer = Tokenizer::Create(TextOptions{});
  auto fingerprinter = CopyFingerprinter::Create(fo);
  if (!reader.ok() || !tokenizer.ok() || !fingerprinter.ok()) {
    std::fprintf(stderr, "cannot start\n");
    return 1;
  }
  auto scratch = tokenizer->NewScratch();
  std::vector<Article> articles;
  std::unordered_map<std::string, size_t> index;
  std::vector<Document> batch;
  TokenList title, body;
  while (true) {
    if (Status s = reader.value()->ReadBatch(4096, &batch); !s.ok() || batch.empty()) break;
    for (const Document& d : batch) {
      if (!d.error.empty()) continue;
      title.Clear();
      body.Clear();
      (void)tokenizer->Tokenize(d.title, &scratch.value(), &title);
      (void)tokenizer->Tokenize(d.text, &scratch.value(), &body);
      Article a{d.id, d.date, {}};
      fingerprinter->Fingerprint(title, body, &a.fp);
      index[d.id] = articles.size();
      articles.push_back(std::move(a));
    }
  }
  std::printf("id_a\tid_b\tcontainment\tresemblance\tsample_a\tsample_b\tfact_agree\tfact_conflict"
              "\tgap_hours\twords_a\twords_b\ttitle_jaccard\ttitle_substitution");
  if (!pairs_path.empty()) {
    std::ifstream in(pairs_path);
    std::string line;
    std::getline(in, line);
    {
      std::istringstream h(line);
      std::string f;
      std::getline(h, f, '\t');
      std::getline(h, f, '\t');
      while (std::getline(h, f, '\t')) std::printf("\t%s", f.c_str());
    }
    std::printf("\n");
    while (std::getline(in, line)) {
      std::istringstream l(line);
      std::string a, b, rest, f;
      std::getline(l, a, '\t');
      std::getline(l, b, '\t');
      while (std::getline(l, f, '\t')) rest += "\t" + f;
      auto ia = index.find(a), ib = index.find(b);
      if (ia == index.end() || ib == index.end()) {
        std::fprintf(stderr, "pair %s %s: not found or bad record\n", a.c_str(), b.c_str());
        continue;
      }
      Describe(articles[ia->second], articles[ib->second], rest);
    }
  } else if (all >= 0) {
    std::printf("\n");
    std::unordered_map<uint32_t, std::vector<uint32_t>> postings;
    for (uint32_t d = 0; d < articles.size(); ++d) {
      for (uint32_t g : articles[d].fp.sample) postings[g].push_back(d);
    }
    std::vector<uint32_t> seen(articles.size(), UINT32_MAX);
    for (uint32_t d = 0; d < articles.size(); ++d) {
      for (uint32_t g : articles[d].fp.sample) {
        for (uint32_t e : postings[g]) {
          if (e <= d || seen[e] == d) continue;
          seen[e] = d;
          const SampleOverlap o = CompareSamples(articles[d].fp, articles[e].fp);
          if (o.containment() >= all) Describe(articles[d], articles[e], "");
        }
      }
    }
  }
  return 0;
}

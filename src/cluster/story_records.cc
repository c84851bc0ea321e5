#include "cluster/story_records.h"

#include <algorithm>

#include "cluster/term_spill.h"

namespace samestory::internal {
namespace {

// Earliest first: by date (undated last), then input order.
bool Earlier(const std::vector<std::optional<UnixSeconds>>& dates, uint32_t a, uint32_t b) {
  const auto& da = dates[a];
  const auto& db = dates[b];
  if (da.has_value() != db.has_value()) return da.has_value();
  if (da && *da != *db) return *da < *db;
  return a < b;
}

}  // namespace

std::vector<uint32_t> NameStories(const std::vector<uint32_t>& labels,
                                  const std::vector<uint32_t>& vector_of_record,
                                  const DedupResult& records,
                                  const std::vector<std::optional<UnixSeconds>>& dates) {
  const size_t n = records.size();
  std::vector<uint32_t> story(n, UINT32_MAX);
  std::vector<uint32_t> earliest(labels.size(), UINT32_MAX);  // per cluster label (a vector index)
  for (uint32_t i = 0; i < n; ++i) {
    if (!records.errors[i].empty()) continue;
    const uint32_t label = labels[vector_of_record[records.representative[i]]];
    uint32_t& e = earliest[label];
    if (e == UINT32_MAX || Earlier(dates, i, e)) e = i;
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (!records.errors[i].empty()) continue;
    story[i] = earliest[labels[vector_of_record[records.representative[i]]]];
  }
  return story;
}

Result<std::vector<StorySummary>> SummarizeStories(
    const std::vector<uint32_t>& story, const std::vector<uint32_t>& reps,
    const std::vector<std::string>& titles, const std::vector<std::optional<UnixSeconds>>& dates,
    const TfidfModel& model, VectorSource& source,
    const std::unordered_map<uint64_t, std::string>& spellings) {
  const size_t n = story.size();
  std::vector<std::vector<uint32_t>> members(n);
  std::vector<uint32_t> open_reps(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    if (story[i] != UINT32_MAX) members[story[i]].push_back(i);
  }
  for (uint32_t r : reps) ++open_reps[story[r]];
  std::unordered_map<uint32_t, std::unordered_map<uint32_t, double>> sums;  // open stories
  std::unordered_map<uint32_t, std::vector<uint32_t>> top_terms;            // story -> term ids
  std::vector<SparseVector> chunk;
  std::vector<uint32_t> docs;
  for (size_t from = 0; from < reps.size(); from += kTermChunk) {
    const size_t to = std::min(reps.size(), from + kTermChunk);
    docs.resize(to - from);
    for (size_t v = from; v < to; ++v) docs[v - from] = static_cast<uint32_t>(v);
    if (Status s = source.Load(docs, &chunk); !s.ok()) return s;
    for (size_t v = from; v < to; ++v) {
      const uint32_t s = story[reps[v]];
      auto& centroid = sums[s];
      const SparseVector& vec = chunk[v - from];
      for (size_t t = 0; t < vec.ids.size(); ++t) centroid[vec.ids[t]] += vec.weights[t];
      if (--open_reps[s] > 0) continue;
      std::vector<std::pair<double, uint32_t>> top;
      for (const auto& [id, w] : centroid) top.push_back({-w, id});
      const size_t keep = std::min<size_t>(8, top.size());
      std::partial_sort(top.begin(), top.begin() + keep, top.end());
      std::vector<uint32_t>& ids = top_terms[s];
      for (size_t t = 0; t < keep; ++t) ids.push_back(top[t].second);
      sums.erase(s);
    }
  }
  std::vector<StorySummary> out;
  for (uint32_t s = 0; s < n; ++s) {
    if (members[s].empty()) continue;
    StorySummary& summary = out.emplace_back();
    summary.story = s;
    summary.size = static_cast<uint32_t>(members[s].size());
    for (uint32_t m : members[s]) {
      if (const auto& d = dates[m]) {
        if (!summary.first_date || *d < *summary.first_date) summary.first_date = d;
        if (!summary.last_date || *d > *summary.last_date) summary.last_date = d;
      }
    }
    summary.title = titles[s];
    for (uint32_t id : top_terms[s]) {
      auto it = spellings.find(model.term_hash(id));
      summary.top_terms.push_back(it != spellings.end() ? it->second : "");
    }
  }
  return out;
}

}  // namespace samestory::internal

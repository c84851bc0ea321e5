#include "cluster/document_frequencies.h"

namespace samestory::internal {

DocumentFrequencies::DocumentFrequencies(const TfidfOptions& options)
    : options_(options), log1p_(1 << 16) {
  for (size_t d = 0; d < log1p_.size(); ++d) log1p_[d] = std::log(1.0 + static_cast<double>(d));
}

uint32_t DocumentFrequencies::Slot(uint64_t term) {
  auto [it, inserted] = slot_of_.try_emplace(term, 0);
  if (inserted) {
    if (!free_.empty()) {
      it->second = free_.back();
      free_.pop_back();
      term_[it->second] = term;
    } else {
      it->second = static_cast<uint32_t>(df_.size());
      df_.push_back(0);
      term_.push_back(term);
    }
  }
  return it->second;
}

void DocumentFrequencies::Add(std::span<const TermCount> terms, Terms* out) {
  for (const TermCount& t : terms) {
    const uint32_t s = Slot(t.term);
    ++df_[s];
    out->emplace_back(s, static_cast<float>(TermWeight(options_, static_cast<double>(t.count))));
  }
  ++documents_;
  log_n1_ = std::log(1.0 + static_cast<double>(documents_));
}

void DocumentFrequencies::Remove(const Terms& terms) {
  for (const auto& [s, w] : terms) {
    if (--df_[s] == 0) {  // the term is gone: its slot is free for another
      slot_of_.erase(term_[s]);
      free_.push_back(s);
    }
  }
  --documents_;
  log_n1_ = std::log(1.0 + static_cast<double>(documents_));
}

double DocumentFrequencies::Idf(uint32_t slot) const {
  // SmoothedIdf, with ln(1 + df) from a table for small df (the feed weighs every candidate's
  // terms on every arrival).
  const uint32_t d = df_[slot];
  const double log_df = d < log1p_.size() ? log1p_[d] : std::log(1.0 + static_cast<double>(d));
  return 1.0 + log_n1_ - log_df;
}

}  // namespace samestory::internal

#include "cluster/term_note.h"

#include <sstream>

namespace samestory::internal {

std::string TermNote(const TextOptions& text, const TfidfOptions& tfidf) {
  std::ostringstream s;
  s.precision(17);
  s << "samestory TF-IDF terms\naccents " << static_cast<int>(text.accents) << "\nelisions "
    << static_cast<int>(text.elisions) << "\nstemming " << static_cast<int>(tfidf.stemming)
    << "\nmin_term_bytes " << tfidf.min_term_bytes << "\ntitle_weight " << tfidf.title_weight
    << "\ncapital_weight " << tfidf.capital_weight << "\nsublinear_tf " << tfidf.sublinear_tf
    << "\n";
  return s.str();
}

Status CheckTermNote(const std::string& path, const std::string& saved, const std::string& run) {
  if (saved == run) return Status::OK();
  std::istringstream a(saved), b(run);
  std::string la, lb;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_b = static_cast<bool>(std::getline(b, lb));
    if (!more_a && !more_b) break;
    if (la != lb || more_a != more_b) break;
  }
  return Status::InvalidArgument("the TF-IDF model " + path +
                                 " was saved with other term options (it has \"" + la +
                                 "\", this run \"" + lb +
                                 "\"): run with the options it was saved with");
}

}  // namespace samestory::internal

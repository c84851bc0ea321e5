// The note a saved TF-IDF model carries: the options that decide a document's terms and their
// counts. A saved model is only valid for runs that extract terms the same way; the note is
// written with it (TfidfModel::Save) and checked when it is loaded. Pure functions.
#ifndef SAMESTORY_CLUSTER_TERM_NOTE_H_
#define SAMESTORY_CLUSTER_TERM_NOTE_H_

#include <string>

#include "samestory/status.h"
#include "samestory/text.h"
#include "samestory/tfidf.h"

namespace samestory::internal {

// One option a line.
std::string TermNote(const TextOptions& text, const TfidfOptions& tfidf);

// OK when the model's note equals this run's; else InvalidArgument naming the first option that
// differs. `path` is the model's, for the message.
Status CheckTermNote(const std::string& path, const std::string& saved, const std::string& run);

}  // namespace samestory::internal

#endif  // SAMESTORY_CLUSTER_TERM_NOTE_H_

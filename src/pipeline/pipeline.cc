// The pipelines: the only code that knows the order of the stages. Stage work lives in its
// stage's folder; the read-and-fingerprint pass in fingerprint_pass.cc, the files in writers.cc.
#include "samestory/pipeline.h"

#include <algorithm>
#include <exception>
#include <new>

#include "cluster/graph_split.h"
#include "cluster/story_records.h"
#include "cluster/term_note.h"
#include "cluster/term_spill.h"
#include "core/clock.h"
#include "core/guarded.h"
#include "io/json_writer.h"
#include "pipeline/fingerprint_pass.h"
#include "pipeline/stages.h"
#include "pipeline/writers.h"

namespace samestory {

Status DedupPipelineOptions::Validate() const {
  if (Status s = reader.Validate(); !s.ok()) return s;
  if (Status s = text.Validate(); !s.ok()) return s;
  if (Status s = fingerprint.Validate(); !s.ok()) return s;
  if (Status s = dedup.Validate(); !s.ok()) return s;
  if (threads < 0 || threads > 1024) return Status::InvalidArgument("threads must be in [0, 1024]");
  if (batch_size < 1 || batch_size > 1000000) {
    return Status::InvalidArgument("batch_size must be in [1, 1000000]");
  }
  return Status::OK();
}

Status ClusterPipelineOptions::Validate() const {
  if (Status s = dedup.Validate(); !s.ok()) return s;
  if (Status s = tfidf.Validate(); !s.ok()) return s;
  return cluster.Validate();
}

namespace {

using internal::Clock;
using internal::Since;

Status CheckCancelled(const RunHooks& hooks, const char* where) {
  if (hooks.cancelled && hooks.cancelled()) {
    return Status::Cancelled(std::string("cancelled ") + where);
  }
  return Status::OK();
}

Result<DedupResult> DedupImpl(JsonlReader& input, const DedupPipelineOptions& options,
                              const RunHooks& hooks) {
  const Clock::time_point start = Clock::now();
  internal::Pass pass;
  if (Status s = internal::ReadAndFingerprint(input, options, nullptr, hooks, &pass); !s.ok()) {
    return s;
  }
  pass.result.summary.seconds.total = Since(start);
  pass.result.summary.memory.peak_rss = internal::PeakRssBytes();
  return std::move(pass.result);
}

Result<FingerprintResult> FingerprintImpl(JsonlReader& input, const DedupPipelineOptions& options,
                                          const RunHooks& hooks) {
  const Clock::time_point start = Clock::now();
  if (Status s = options.Validate(); !s.ok()) return s;
  auto banding = DedupBanding(options.dedup, options.fingerprint);
  if (!banding.ok()) return banding.status();
  FingerprintResult out;
  out.sketch_bins = options.fingerprint.sketch_bins;
  out.bands = banding.value().params().bands;
  out.key_columns = CandidateKeyCount(banding.value(), options.fingerprint);
  auto sink = [&](Document& doc, const CopyFingerprint* fp, const std::vector<TermCount>*) {
    out.ids.push_back(std::move(doc.id));
    out.errors.push_back(std::move(doc.error));
    const size_t k = out.sketches.size();
    out.sketches.resize(k + static_cast<size_t>(out.sketch_bins), 0);
    const size_t c = out.keys.size();
    out.keys.resize(c + out.key_columns, 0);
    const bool full = fp != nullptr && fp->kind == CopyFingerprint::Kind::kFull;
    out.is_short.push_back(fp != nullptr && !full ? 1 : 0);
    out.text_hash.push_back(fp != nullptr && !full ? fp->text_hash : 0);
    if (full) {
      std::copy(fp->sketch.begin(), fp->sketch.end(), out.sketches.begin() + static_cast<long>(k));
      CandidateKeys(banding.value(), *fp, out.keys.data() + c);
    }
    return Status::OK();
  };
  internal::PassTimes times;
  if (Status s = internal::FingerprintRecords(input, options, nullptr, hooks, sink, &times,
                                              nullptr);
      !s.ok()) {
    return s;
  }
  out.summary.articles = out.ids.size();
  out.summary.threads = times.threads;
  out.summary.seconds = times.seconds;
  out.summary.input_bytes = times.input_bytes;
  for (const std::string& e : out.errors) out.summary.bad_records += !e.empty();
  out.summary.seconds.total = Since(start);
  out.input_status = times.input_status;
  return out;
}

Result<ClusterResult> ClusterImpl(JsonlReader& input, const ClusterPipelineOptions& options,
                                  const RunHooks& hooks) {
  const Clock::time_point start = Clock::now();
  if (Status s = options.Validate(); !s.ok()) return s;
  auto extractor = TermExtractor::Create(options.tfidf);
  if (!extractor.ok()) return extractor.status();
  // A saved model is read and checked before the input, so a wrong one fails at once.
  auto model = internal::LoadSavedModel(options);
  if (!model.ok()) return model.status();
  internal::Pass pass;
  pass.keep_titles = options.summarize_stories;
  if (Status s = internal::ReadAndFingerprint(input, options.dedup, &extractor.value(), hooks,
                                              &pass);
      !s.ok()) {
    return s;
  }
  return internal::ClusterFromPass(pass, options, std::move(model.value()), hooks, start);
}

}  // namespace

namespace internal {

Result<std::shared_ptr<const TfidfModel>> LoadSavedModel(const ClusterPipelineOptions& options) {
  if (options.model.empty()) return std::shared_ptr<const TfidfModel>();
  std::string note;
  auto loaded = TfidfModel::Load(options.model, &note);
  if (!loaded.ok()) return loaded.status();
  if (Status s = CheckTermNote(options.model, note, TermNote(options.dedup.text, options.tfidf));
      !s.ok()) {
    return s;
  }
  return std::make_shared<const TfidfModel>(std::move(loaded.value()));
}

Result<ClusterResult> ClusterFromPass(Pass& pass, const ClusterPipelineOptions& options,
                                      std::shared_ptr<const TfidfModel> model,
                                      const RunHooks& hooks,
                                      std::chrono::steady_clock::time_point start,
                                      GraphSplit* split) {
  if (Status s = CheckCancelled(hooks, "after grouping copies"); !s.ok()) return s;
  ClusterResult out;
  ClusterSummary& summary = out.summary;
  const DedupResult& records = pass.result;
  const size_t n = records.size();

  // Near-duplicates collapse to their representative: only representatives are vectorized and
  // clustered, and document frequencies count each copy once; but a partial copy (much shorter
  // or longer than its representative: a cut, an extension) keeps its own vector, as its words
  // differ from the representative's (collapsing them cost ECB+ story B-cubed F1 0.964 -> 0.947;
  // keeping only the longer ones, 0.941).
  Clock::time_point t0 = Clock::now();
  std::vector<uint32_t> reps;
  std::vector<uint32_t> vector_of_record(n, UINT32_MAX);
  for (uint32_t i = 0; i < n; ++i) {
    if (GetsVector(!records.errors[i].empty(), records.representative[i] == i,
                   records.kind[i])) {
      vector_of_record[i] = static_cast<uint32_t>(reps.size());
      reps.push_back(i);
    }
  }
  // Document frequencies, streamed from the term file in chunks (or a saved model's, or those
  // a distributed run's ranks summed).
  if (model != nullptr) {
    summary.model_loaded = true;
  } else if (pass.model != nullptr) {
    model = pass.model;
  } else {
    TfidfBuilder builder(options.tfidf);
    std::vector<std::vector<TermCount>> chunk;
    for (size_t from = 0; from < reps.size(); from += internal::kTermChunk) {
      const size_t to = std::min(reps.size(), from + internal::kTermChunk);
      if (Status s = pass.terms.Read({reps.data() + from, to - from}, &chunk); !s.ok()) return s;
      for (const auto& terms : chunk) builder.Add(terms);
    }
    model = std::make_shared<const TfidfModel>(builder.Finish());
  }
  summary.model_documents = model->num_documents();
  std::vector<std::optional<UnixSeconds>> dates(reps.size());
  for (size_t v = 0; v < reps.size(); ++v) dates[v] = pass.dates[reps[v]];
  summary.terms = model->num_terms();
  summary.tfidf_seconds = pass.model_seconds + Since(t0);
  const int threads = records.summary.threads > 0 ? records.summary.threads : 1;
  internal::SpilledVectors source(pass.terms, *model, reps, threads);

  t0 = Clock::now();
  ClusterOptions cluster_options = options.cluster;
  if (cluster_options.threads == 0) cluster_options.threads = records.summary.threads;
  ClusterStats stats;
  auto labels = internal::ClusterStories(source, dates, cluster_options, &stats, split);
  if (!labels.ok()) return labels.status();
  summary.edges = stats.edges;
  summary.index = stats.index;
  summary.cluster = stats;
  summary.spilled_terms = pass.terms.bytes();
  summary.cluster_seconds = Since(t0);
  if (Status s = CheckCancelled(hooks, "after clustering"); !s.ok()) return s;

  out.story = internal::NameStories(labels.value(), vector_of_record, records, pass.dates);
  std::vector<uint32_t> story_size(n, 0);
  for (uint32_t s : out.story) {
    if (s != UINT32_MAX) ++story_size[s];
  }
  for (uint32_t s : story_size) {
    if (s >= 2) {
      ++summary.stories;
      summary.articles_in_stories += s;
    }
  }
  if (options.summarize_stories) {
    auto stories = internal::SummarizeStories(out.story, reps, pass.titles, pass.dates, *model,
                                              source, pass.spellings);
    if (!stories.ok()) return stories.status();
    out.stories = std::move(stories.value());
  }
  out.model = std::move(model);
  out.records = std::move(pass.result);
  out.records.summary.seconds.total = Since(start);
  out.records.summary.memory.peak_rss = internal::PeakRssBytes();
  summary.dedup = out.records.summary;
  return out;
}

}  // namespace internal

namespace {

Result<DedupSummary> RunDedupImpl(std::string_view input, const DedupOutputs& outputs,
                                  const DedupPipelineOptions& options,
                                  const RecordReporter& reporter,
                                  const ProgressReporter& progress) {
  const Clock::time_point start = Clock::now();
  if (Status s = options.Validate(); !s.ok()) return s;
  auto reader = JsonlReader::Open(input, options.reader);
  if (!reader.ok()) return reader.status();
  // Fail on an unwritable output, or one that would overwrite the input, before doing the work.
  if (Status s = internal::CheckOutputs(input, {{"output", outputs.output},
                                                {"--pairs", outputs.pairs}});
      !s.ok()) {
    return s;
  }
  DedupPipelineOptions run = options;
  run.dedup.collect_pairs = !outputs.pairs.empty();
  auto result = DedupImpl(*reader.value(), run, {reporter, progress, nullptr});
  if (!result.ok()) return result.status();
  DedupResult& r = result.value();
  const Clock::time_point t0 = Clock::now();
  if (Status s = internal::WriteDedupOutputs(outputs, r); !s.ok()) return s;
  r.summary.seconds.write = Since(t0);
  r.summary.seconds.total = Since(start);
  r.summary.memory.peak_rss = internal::PeakRssBytes();
  if (!r.input_status.ok()) return r.input_status;
  return r.summary;
}

Result<ClusterSummary> RunClusterImpl(std::string_view input, const ClusterOutputs& outputs,
                                      const ClusterPipelineOptions& options,
                                      const RecordReporter& reporter,
                                      const ProgressReporter& progress) {
  const Clock::time_point start = Clock::now();
  if (Status s = options.Validate(); !s.ok()) return s;
  auto reader = JsonlReader::Open(input, options.dedup.reader);
  if (!reader.ok()) return reader.status();
  if (Status s = internal::CheckOutputs(input, {{"output", outputs.output},
                                                {"--stories", outputs.stories},
                                                {"--save-model", outputs.model}});
      !s.ok()) {
    return s;
  }
  ClusterPipelineOptions run = options;
  run.summarize_stories = !outputs.stories.empty();
  auto result = ClusterImpl(*reader.value(), run, {reporter, progress, nullptr});
  if (!result.ok()) return result.status();
  ClusterResult& r = result.value();
  const Clock::time_point t0 = Clock::now();
  if (Status s = internal::WriteClusterOutputs(outputs, r, options); !s.ok()) return s;
  ClusterSummary& summary = r.summary;
  summary.dedup.seconds.write = Since(t0);
  summary.dedup.seconds.total = Since(start);
  summary.dedup.memory.peak_rss = internal::PeakRssBytes();
  if (!r.records.input_status.ok()) return r.records.input_status;
  return summary;
}

}  // namespace

Result<FingerprintResult> Fingerprint(JsonlReader& input, const DedupPipelineOptions& options,
                                      const RunHooks& hooks) {
  return internal::Guarded([&] { return FingerprintImpl(input, options, hooks); });
}

Result<DedupResult> Dedup(JsonlReader& input, const DedupPipelineOptions& options,
                          const RunHooks& hooks) {
  return internal::Guarded([&] { return DedupImpl(input, options, hooks); });
}

Result<ClusterResult> Cluster(JsonlReader& input, const ClusterPipelineOptions& options,
                              const RunHooks& hooks) {
  return internal::Guarded([&] { return ClusterImpl(input, options, hooks); });
}

Result<DedupSummary> RunDedup(std::string_view input, const DedupOutputs& outputs,
                              const DedupPipelineOptions& options, const RecordReporter& reporter,
                              const ProgressReporter& progress) {
  return internal::Guarded(
      [&] { return RunDedupImpl(input, outputs, options, reporter, progress); });
}

Result<ClusterSummary> RunCluster(std::string_view input, const ClusterOutputs& outputs,
                                  const ClusterPipelineOptions& options,
                                  const RecordReporter& reporter,
                                  const ProgressReporter& progress) {
  return internal::Guarded(
      [&] { return RunClusterImpl(input, outputs, options, reporter, progress); });
}

}  // namespace samestory

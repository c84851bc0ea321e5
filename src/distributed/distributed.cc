// The distributed runs (see samestory/distributed.h) but the shuffled dedup (dedup_shuffle.cc):
// rank 0's pass over what the ranks send in input order (cluster: the copies grouped by the
// shuffle, copies_pass.cc; exact mode: every fingerprint, grouped on rank 0), then the rest of
// the single-machine pipeline on rank 0, the graph search shared by every rank.
#include "samestory/distributed.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <string>

#include "cluster/graph_split.h"
#include "core/clock.h"
#include "core/guarded.h"
#include "distributed/group.h"
#include "distributed/record_codec.h"
#include "distributed/shuffle_share.h"
#include "io/json_writer.h"
#include "io/temp_file.h"
#include "pipeline/fingerprint_pass.h"
#include "pipeline/stages.h"
#include "pipeline/writers.h"

namespace samestory {
namespace {

using internal::Clock;
using internal::Since;

using internal::Counted;
using internal::PendingOutput;
using internal::Share;

// This rank's share, fingerprinted and encoded in chunks of batch_size records (its j-th chunk
// is batch j * size + rank of the input), in a temporary file.
struct EncodedShare {
  std::unique_ptr<internal::TempFile> file;
  std::vector<uint64_t> offsets;  // chunk j is [offsets[j], offsets[j + 1])
  uint64_t records = 0;           // this rank's
  uint64_t input_records = 0;     // the whole input's
  internal::PassTimes times;
  std::unordered_map<uint64_t, std::string> spellings;
};

Status FingerprintShare(Communicator& comm, std::string_view input,
                        const DedupPipelineOptions& options, const TermExtractor* extractor,
                        EncodedShare* share) {
  auto lines = LineSource::Open(input);
  if (!lines.ok()) return lines.status();
  auto file = internal::TempFile::Create("distributed fingerprints");
  if (!file.ok()) return file.status();
  share->file = std::move(file.value());
  auto source = std::make_shared<Share>(std::move(lines.value()), options.batch_size, comm.size(),
                                        comm.rank(), options.reader.max_record_bytes);
  ReaderOptions reader = options.reader;
  reader.reject_duplicate_ids = false;  // rank 0 checks ids, in input order (IdRegistry)
  auto records = JsonlReader::FromRecords(
      [source](SuppliedRecord* r, bool* done) { return source->Next(r, done); }, reader);
  if (!records.ok()) return records.status();
  std::string chunk;
  uint64_t in_chunk = 0;
  share->offsets.push_back(0);
  auto sink = [&](Document& doc, const CopyFingerprint* fp, const std::vector<TermCount>* terms) {
    internal::EncodeRecord(doc, fp, terms, &chunk);
    ++share->records;
    if (++in_chunk == options.batch_size) {
      share->file->Append(chunk.data(), chunk.size());
      share->offsets.push_back(share->file->size());
      chunk.clear();
      in_chunk = 0;
    }
    return Status::OK();
  };
  if (Status s = internal::FingerprintRecords(*records.value(), options, extractor, RunHooks{},
                                              sink, &share->times, &share->spellings);
      !s.ok()) {
    return s;
  }
  if (in_chunk > 0) {
    share->file->Append(chunk.data(), chunk.size());
    share->offsets.push_back(share->file->size());
  }
  share->input_records = source->records();
  return share->file->Flush();
}

// Rank 0's pass over every rank's chunks, in input order, into *pass; other ranks send theirs.
Status GatherPass(Counted& group, const EncodedShare& share, const DedupPipelineOptions& options,
                  bool terms, const RecordReporter& reporter, internal::Pass* pass) {
  Communicator& comm = group.comm();
  const int size = comm.size();
  const bool root = comm.rank() == 0;
  const uint64_t batches = (share.input_records + options.batch_size - 1) / options.batch_size;
  const uint64_t rounds = (batches + static_cast<uint64_t>(size) - 1) / static_cast<uint64_t>(size);
  internal::GroupBuilder builder;
  IdRegistry ids;
  Status status;
  if (root) {
    RunHooks hooks;
    hooks.reporter = reporter;
    status = builder.Start(options, terms, hooks,
                           options.reader.reject_duplicate_ids ? &ids : nullptr, pass);
  }
  if (Status s = group.Agree(status); !s.ok()) return s;
  internal::DecodedRecord record;
  for (uint64_t j = 0; j < rounds; ++j) {
    std::vector<std::string> send(static_cast<size_t>(size));
    if (j + 1 < share.offsets.size()) {
      const uint64_t begin = share.offsets[j], end = share.offsets[j + 1];
      send[0].resize(end - begin);
      if (Status s = share.file->Read(begin, end - begin, send[0].data()); !s.ok()) {
        status = s;  // sent empty; the failure is agreed on after the rounds
        send[0].clear();
      }
    }
    auto got = group.AllToAll(std::move(send));
    if (!got.ok()) return got.status();
    if (!root || !status.ok()) continue;
    for (const std::string& chunk : got.value()) {
      std::string_view in(chunk);
      while (!in.empty() && status.ok()) {
        if (!internal::DecodeRecord(&in, &record)) {
          status = Status::Internal("a rank sent a damaged record");
          break;
        }
        status = builder.Add(record.doc, record.has_fingerprint ? &record.fingerprint : nullptr,
                             record.has_terms ? &record.terms : nullptr);
      }
    }
  }
  if (Status s = group.Agree(status); !s.ok()) return s;
  if (terms) {  // term spellings, for story summaries
    std::vector<std::string> send(static_cast<size_t>(size));
    send[0] = internal::EncodeSpellings(share.spellings);
    auto got = group.AllToAll(std::move(send));
    if (!got.ok()) return got.status();
    if (root) {
      for (const std::string& s : got.value()) internal::DecodeSpellings(s, &pass->spellings);
    }
  }
  if (root) status = builder.Finish(share.times);
  return status;  // agreed on by the caller, with rank 0's later steps
}

std::string EncodeRank(const RankSummary& r) {
  return std::string(reinterpret_cast<const char*>(&r), sizeof(r));
}

uint64_t PeakRss() { return internal::PeakRssBytes(); }

// The cluster graph's share of the work (cluster/graph_split.h) over the group.
class GroupSplit final : public internal::GraphSplit {
 public:
  explicit GroupSplit(Counted& group) : group_(group) {}
  int rank() const override { return group_.comm().rank(); }
  int size() const override { return group_.comm().size(); }
  Result<std::vector<std::string>> AllToAll(std::vector<std::string> send) override {
    return group_.AllToAll(std::move(send));
  }
  Status Agree(const Status& mine) override { return group_.Agree(mine); }

 private:
  Counted& group_;
};

// `extractor`: a cluster run's terms (null for dedup); `fit`: its TF-IDF options when the ranks
// fit the model (null with a saved model); `titles`: it summarizes its stories (rank 0 keeps the
// titles). `graph`: a cluster run's options, whose graph search every rank shares while rank 0
// runs `rest`; null for dedup (the other ranks wait). Then every rank runs
// `write(group, start, held, summary)`: `held` is its records when the copies were shuffled (a
// cluster run in LSH mode; else null), `summary` rank 0's.
template <typename Summary, typename Rest, typename Write>
Result<Summary> RunDistributed(Communicator& comm, std::string_view input,
                               const DedupPipelineOptions& options,
                               const TermExtractor* extractor, const TfidfOptions* fit,
                               bool titles, std::initializer_list<internal::NamedOutput> outputs,
                               const RecordReporter& reporter, Status pre, Rest&& rest,
                               Write&& write, const ClusterOptions* graph = nullptr) {
  const Clock::time_point start = Clock::now();
  RankSummary me;
  me.rank = comm.rank();
  Counted group(comm, &me);
  const bool root = comm.rank() == 0;
  Status status = pre.ok() ? options.Validate() : pre;
  if (status.ok() && root) status = internal::CheckOutputs(input, outputs);

  if (status.ok() && input == "-") {
    // mpirun gives standard input to rank 0 alone: the ranks would read different inputs.
    status = Status::InvalidArgument("a distributed run reads a file, not standard input");
  }
  if (Status s = group.Agree(status); !s.ok()) return s;

  internal::Pass pass;
  pass.keep_titles = titles;
  std::optional<internal::HeldRecords> held;
  if (extractor != nullptr && options.dedup.mode == DedupMode::kLsh) {
    // Clustering's copies from the shuffled dedup: no fingerprint goes to rank 0.
    if (Status s = internal::ShuffledPass(group, input, options, extractor, fit, reporter,
                                          &pass, &held.emplace());
        !s.ok()) {
      return s;
    }
    me.exchange_seconds = Since(start) - me.fingerprint_seconds;
  } else {
    EncodedShare share;
    status = FingerprintShare(comm, input, options, extractor, &share);
    me.records = share.records;
    me.fingerprint_seconds = Since(start);
    if (Status s = group.Agree(status); !s.ok()) return s;
    if (Status s = group.SameInput(share.input_records); !s.ok()) return s;
    Clock::time_point t0 = Clock::now();
    status = GatherPass(group, share, options, extractor != nullptr, reporter, &pass);
    me.exchange_seconds = Since(t0);
  }

  const Clock::time_point t0 = Clock::now();
  Summary summary;
  GroupSplit split(group);
  if (root) {
    if (status.ok()) status = rest(pass, start, &summary, graph ? &split : nullptr);
    if (graph != nullptr) {  // when rank 0 failed before its graph, the others stop waiting
      if (Status s = internal::AbandonClusterGraph(split); status.ok()) status = s;
    }
  } else if (graph != nullptr) {
    if (Status s = internal::JoinClusterGraph(split, *graph); status.ok()) status = s;
  }
  if (Status s = group.Agree(status); !s.ok()) return s;
  if (Status s = write(group, start, held ? &*held : nullptr, &summary); !s.ok()) return s;
  me.rest_seconds = Since(t0);
  me.peak_rss = PeakRss();
  auto ranks = group.AllGather(EncodeRank(me));
  if (!ranks.ok()) return ranks.status();
  for (const std::string& r : ranks.value()) {
    RankSummary& out = summary.ranks.emplace_back();
    std::memcpy(&out, r.data(), std::min(r.size(), sizeof(out)));
  }
  return summary;
}

Result<DistributedDedupSummary> DedupImpl(Communicator& comm, std::string_view input,
                                          const DedupOutputs& outputs,
                                          const DedupPipelineOptions& options,
                                          const RecordReporter& reporter) {
  // LSH mode shuffles; the exact mode (an inverted index over every sample) gathers on rank 0.
  if (options.dedup.mode == DedupMode::kLsh) {
    return internal::DedupShuffled(comm, input, outputs, options, reporter);
  }
  DedupPipelineOptions run = options;
  run.dedup.collect_pairs = !outputs.pairs.empty();
  auto result = RunDistributed<DistributedDedupSummary>(
      comm, input, run, nullptr, nullptr, false,
      {{"output", outputs.output}, {"--pairs", outputs.pairs}},
      reporter, Status::OK(),
      [&](internal::Pass& pass, Clock::time_point start, DistributedDedupSummary* summary,
          internal::GraphSplit*) {
        DedupResult& r = pass.result;
        const Clock::time_point t0 = Clock::now();
        PendingOutput out(outputs.output), pairs(outputs.pairs);
        if (Status s = internal::WriteDedupOutputs(
                DedupOutputs{out.write_path(), outputs.pairs.empty() ? "" : pairs.write_path()},
                r);
            !s.ok()) {
          return s;
        }
        if (!r.input_status.ok()) return r.input_status;  // written, as RunDedup does
        if (Status s = out.Commit(); !s.ok()) return s;
        if (Status s = pairs.Commit(); !s.ok()) return s;
        r.summary.seconds.write = Since(t0);
        r.summary.seconds.total = Since(start);
        r.summary.memory.peak_rss = PeakRss();
        summary->run = r.summary;
        return Status::OK();
      },
      [](Counted&, Clock::time_point, internal::HeldRecords*, DistributedDedupSummary*) {
        return Status::OK();  // rank 0 wrote
      });
  return result;
}

Result<DistributedClusterSummary> ClusterImpl(Communicator& comm, std::string_view input,
                                              const ClusterOutputs& outputs,
                                              const ClusterPipelineOptions& options,
                                              const RecordReporter& reporter) {
  if (Status s = options.Validate(); !s.ok()) return s;
  auto extractor = TermExtractor::Create(options.tfidf);
  if (!extractor.ok()) return extractor.status();
  // Rank 0 reads the saved model (before the input, as RunCluster does); the ranks agree on it.
  std::shared_ptr<const TfidfModel> model;
  Status pre;
  if (comm.rank() == 0) {
    auto loaded = internal::LoadSavedModel(options);
    if (loaded.ok()) model = std::move(loaded.value());
    else pre = loaded.status();
  }
  ClusterPipelineOptions run = options;
  run.summarize_stories = !outputs.stories.empty();
  ClusterOptions graph = options.cluster;  // the other ranks' share of the graph search
  if (graph.threads == 0) graph.threads = options.dedup.threads;
  // Rank 0 writes the model and the stories; then the records are written by the ranks that
  // hold them, at their offsets, when the copies were shuffled (else by rank 0, from its pass).
  std::optional<ClusterResult> result;                  // rank 0's
  std::optional<PendingOutput> stories, records;        // rank 0's
  return RunDistributed<DistributedClusterSummary>(
      comm, input, options.dedup, &extractor.value(),
      options.model.empty() ? &options.tfidf : nullptr,  // else the saved model's
      run.summarize_stories,
      {{"output", outputs.output}, {"--stories", outputs.stories}, {"--save-model", outputs.model}},
      reporter, pre,
      [&](internal::Pass& pass, Clock::time_point start, DistributedClusterSummary* summary,
          internal::GraphSplit* split) {
        auto clustered = internal::ClusterFromPass(pass, run, model, RunHooks{}, start, split);
        if (!clustered.ok()) return clustered.status();
        ClusterResult& r = result.emplace(std::move(clustered.value()));
        const Clock::time_point t0 = Clock::now();
        stories.emplace(outputs.stories);
        records.emplace(outputs.output);
        if (Status s = internal::WriteClusterOutputs(
                ClusterOutputs{"", outputs.stories.empty() ? "" : stories->write_path(),
                               outputs.model},
                r, options);
            !s.ok()) {
          return s;
        }
        r.summary.dedup.seconds.write = Since(t0);
        summary->run = r.summary;
        return Status::OK();
      },
      [&](Counted& group, Clock::time_point start, internal::HeldRecords* held,
          DistributedClusterSummary* summary) {
        const Clock::time_point t0 = Clock::now();
        const bool root = group.comm().rank() == 0;
        Status status, input_status = root ? result->records.input_status : Status::OK();
        std::optional<internal::OrderedOutput> written;  // by every rank
        if (held != nullptr) {
          auto tag = group.AllGather(std::to_string(getpid()));
          if (!tag.ok()) return tag.status();
          written.emplace(outputs.output, tag.value()[0], "");
          static const std::vector<uint32_t> kNoStories;
          static const std::vector<std::string> kNoIds;
          if (Status s = internal::WriteHeldRecords(
                  group, root ? result->story : kNoStories, root ? result->records.ids : kNoIds,
                  options.dedup.batch_size, held, &*written);
              !s.ok()) {
            return s;  // every rank's
          }
          input_status = held->input_status;
        } else {
          if (root) {
            status =
                internal::WriteRecords(records->write_path(), result->records, &result->story);
          }
          if (Status s = group.Agree(status); !s.ok()) return s;
        }
        // An input that broke off: the records read were written, not put in place.
        if (Status s = group.Agree(input_status); !s.ok()) return s;
        if (root) {
          status = written ? written->Commit() : records->Commit();
          if (status.ok()) status = stories->Commit();
          DedupSummary& s = summary->run.dedup;
          s.seconds.write += Since(t0);
          s.seconds.total = Since(start);
          s.memory.peak_rss = PeakRss();
        }
        return group.Agree(status);
      },
      &graph);
}

// Guarded (core/guarded.h) for a rank: an exception can leave the rank in the middle of a stage,
// where the others wait for it in a collective, so the group is ended (Communicator::Abort).
template <typename F>
auto GuardedRank(Communicator& comm, F&& f) -> decltype(f()) {
  return internal::Guarded(f, [&](const Status& failed) {
    comm.Abort(failed);
    return Status::Internal("rank " + std::to_string(comm.rank()) + ": " + failed.message());
  });
}

}  // namespace

Result<DistributedDedupSummary> RunDedupDistributed(Communicator& comm, std::string_view input,
                                                    const DedupOutputs& outputs,
                                                    const DedupPipelineOptions& options,
                                                    const RecordReporter& reporter) {
  return GuardedRank(comm, [&] { return DedupImpl(comm, input, outputs, options, reporter); });
}

Result<DistributedClusterSummary> RunClusterDistributed(Communicator& comm,
                                                        std::string_view input,
                                                        const ClusterOutputs& outputs,
                                                        const ClusterPipelineOptions& options,
                                                        const RecordReporter& reporter) {
  return GuardedRank(comm, [&] { return ClusterImpl(comm, input, outputs, options, reporter); });
}

}  // namespace samestory

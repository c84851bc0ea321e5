// The dedup pipeline: the only code that knows the order of the stages.
#include "samestory/pipeline.h"

#include <omp.h>
#include <time.h>

#include <chrono>
#include <exception>
#include <future>
#include <new>
#include <thread>

#include "io/json_writer.h"

namespace samestory {

Status DedupPipelineOptions::Validate() const {
  if (Status s = reader.Validate(); !s.ok()) return s;
  if (Status s = text.Validate(); !s.ok()) return s;
  if (Status s = shingle.Validate(); !s.ok()) return s;
  if (Status s = minhash.Validate(); !s.ok()) return s;
  if (Status s = dedup.Validate(); !s.ok()) return s;
  if (threads < 0 || threads > 1024) return Status::InvalidArgument("threads must be in [0, 1024]");
  if (batch_size < 1 || batch_size > 1000000) {
    return Status::InvalidArgument("batch_size must be in [1, 1000000]");
  }
  return Status::OK();
}

namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// What the output needs of a record once its text is gone.
struct RecordOut {
  std::string id;
  std::string error;
  std::string warning;
  uint64_t line = 0;
  bool is_short = false;
};

// Per-worker scratch, reused across documents so the hot loop does not allocate.
struct Worker {
  TokenizerScratch tokenizer;
  TokenList body, title;
  double tokenize = 0, shingle = 0, minhash = 0;  // thread CPU seconds
};

// What the per-document stages produce for one document of a batch.
struct Fingerprint {
  enum class Kind : uint8_t { kExcluded, kShort, kFull } kind = Kind::kExcluded;
  std::vector<uint64_t> shingles;
  uint64_t sequence_hash = 0;
  Status status;
};

Result<DedupSummary> RunDedupImpl(std::string_view input, const DedupOutputs& outputs,
                                  const DedupPipelineOptions& options,
                                  const RecordReporter& reporter,
                                  const ProgressReporter& progress) {
  const Clock::time_point run_start = Clock::now();
  if (Status s = options.Validate(); !s.ok()) return s;
  auto tokenizer = Tokenizer::Create(options.text);
  if (!tokenizer.ok()) return tokenizer.status();
  auto shingler = Shingler::Create(options.shingle);
  if (!shingler.ok()) return shingler.status();
  auto minhasher = MinHasher::Create(options.minhash);
  if (!minhasher.ok()) return minhasher.status();
  DedupOptions dedup_options = options.dedup;
  dedup_options.collect_pairs = !outputs.pairs.empty();
  auto finder = DuplicateFinder::Create(dedup_options, options.minhash.num_perm);
  if (!finder.ok()) return finder.status();
  auto reader = JsonlReader::Open(input, options.reader);
  if (!reader.ok()) return reader.status();
  auto out = internal::OutputFile::Open(outputs.output);
  if (!out.ok()) return out.status();

  DedupSummary summary;
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  summary.threads = threads;
  std::vector<Worker> workers;
  for (int t = 0; t < threads; ++t) {
    auto scratch = tokenizer->NewScratch();
    if (!scratch.ok()) return scratch.status();
    workers.push_back(Worker{std::move(scratch.value()), {}, {}});
  }
  const bool want_signatures = options.dedup.mode == DedupMode::kLsh;
  const size_t num_perm = static_cast<size_t>(options.minhash.num_perm);

  std::vector<RecordOut> records;
  std::vector<Document> batch;
  std::vector<Fingerprint> prints;
  std::vector<uint32_t> signatures;
  Status read_status;
  // With two or more threads the next batch is read (decompressed, parsed) while this one is
  // fingerprinted; the reader is only ever used by one thread at a time.
  const bool read_ahead = threads > 1;
  std::vector<Document> ahead;
  std::future<Status> pending;
  JsonlReader& input_reader = *reader.value();
  Clock::time_point t0 = Clock::now();
  read_status = input_reader.ReadBatch(options.batch_size, &batch);
  summary.seconds.read += Since(t0);
  while (!batch.empty()) {
    if (read_ahead && read_status.ok()) {
      pending = std::async(std::launch::async, [&input_reader, &ahead, &options] {
        return input_reader.ReadBatch(options.batch_size, &ahead);
      });
    }

    t0 = Clock::now();
    const int64_t n = static_cast<int64_t>(batch.size());
    prints.resize(batch.size());
    if (want_signatures) signatures.resize(batch.size() * num_perm);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 8)
    for (int64_t i = 0; i < n; ++i) {
      Worker& w = workers[static_cast<size_t>(omp_get_thread_num())];
      const Document& doc = batch[static_cast<size_t>(i)];
      Fingerprint& fp = prints[static_cast<size_t>(i)];
      fp.kind = Fingerprint::Kind::kExcluded;
      fp.shingles.clear();
      fp.status = Status::OK();
      if (!doc.error.empty()) continue;
      double c0 = ThreadCpuSeconds();
      // Fingerprint the body; an article with no body is fingerprinted by its title. Copies are
      // often re-headlined, so the title stays out of a body's fingerprint.
      w.body.Clear();
      w.title.Clear();
      fp.status = tokenizer->Tokenize(doc.text, &w.tokenizer, &w.body);
      if (fp.status.ok() && w.body.empty()) {
        fp.status = tokenizer->Tokenize(doc.title, &w.tokenizer, &w.body);
      }
      double c1 = ThreadCpuSeconds();
      w.tokenize += c1 - c0;
      if (!fp.status.ok()) continue;
      shingler->ShingleUnordered(w.body, &fp.shingles);
      if (fp.shingles.empty()) {
        // Too short to shingle: only an identical title + text makes it a duplicate.
        if (!doc.text.empty()) fp.status = tokenizer->Tokenize(doc.title, &w.tokenizer, &w.title);
        fp.sequence_hash = shingler->SequenceHash(w.title) ^ (shingler->SequenceHash(w.body) * 31);
        fp.kind = Fingerprint::Kind::kShort;
      } else {
        fp.kind = Fingerprint::Kind::kFull;
      }
      double c2 = ThreadCpuSeconds();
      w.shingle += c2 - c1;
      if (fp.kind == Fingerprint::Kind::kFull && want_signatures) {
        minhasher->Sign(fp.shingles, signatures.data() + static_cast<size_t>(i) * num_perm);
        w.minhash += ThreadCpuSeconds() - c2;
      }
    }
    summary.seconds.fingerprint += Since(t0);

    for (size_t i = 0; i < batch.size(); ++i) {
      Document& doc = batch[i];
      Fingerprint& fp = prints[i];
      if (doc.error.empty() && !fp.status.ok()) {
        doc.error = "text processing failed: " + fp.status.ToString();
        fp.kind = Fingerprint::Kind::kExcluded;
      }
      RecordOut& rec = records.emplace_back();
      rec.id = std::move(doc.id);
      rec.line = doc.line;
      rec.error = doc.error;
      rec.warning = doc.warning;
      if (!doc.error.empty()) ++summary.bad_records;
      if (!doc.warning.empty()) ++summary.warnings;
      if ((!doc.error.empty() || !doc.warning.empty()) && reporter) {
        doc.id = rec.id;
        reporter(doc);
      }
      switch (fp.kind) {
        case Fingerprint::Kind::kExcluded:
          finder->AddExcluded();
          break;
        case Fingerprint::Kind::kShort:
          rec.is_short = true;
          ++summary.short_articles;
          finder->AddShort(doc.date, fp.sequence_hash);
          break;
        case Fingerprint::Kind::kFull:
          finder->Add(doc.date, fp.shingles,
                      want_signatures
                          ? std::span<const uint32_t>(signatures.data() + i * num_perm, num_perm)
                          : std::span<const uint32_t>());
          break;
      }
    }
    if (!read_status.ok()) break;
    t0 = Clock::now();
    if (pending.valid()) {
      read_status = pending.get();  // waits only as long as reading outlasted fingerprinting
      batch.swap(ahead);
    } else {
      read_status = input_reader.ReadBatch(options.batch_size, &batch);
    }
    summary.seconds.read += Since(t0);
    if (progress) progress(records.size(), input_reader.stats().bytes);
  }
  summary.articles = records.size();
  summary.input_bytes = reader.value()->stats().bytes;
  for (const Worker& w : workers) {
    summary.seconds.tokenize_cpu += w.tokenize;
    summary.seconds.shingle_cpu += w.shingle;
    summary.seconds.minhash_cpu += w.minhash;
  }

  t0 = Clock::now();
  const bool collect_pairs = dedup_options.collect_pairs;
  DuplicateGroups groups = finder->Finish();
  summary.seconds.group = Since(t0);
  summary.groups = groups.groups;
  summary.articles_in_groups = groups.documents_in_groups;
  summary.candidates = groups.candidates;
  summary.exact_checks = groups.exact_checks;
  summary.lsh = groups.lsh;

  t0 = Clock::now();
  std::string buf;
  for (size_t i = 0; i < records.size(); ++i) {
    const RecordOut& r = records[i];
    buf.append("{\"id\":");
    if (r.id.empty()) buf.append("null");
    else internal::AppendJsonString(r.id, &buf);
    if (!r.error.empty()) {
      buf.append(",\"line\":");
      buf.append(std::to_string(r.line));
      buf.append(",\"dup\":null,\"dup_score\":null,\"error\":");
      internal::AppendJsonString(r.error, &buf);
    } else {
      buf.append(",\"dup\":");
      internal::AppendJsonString(records[groups.representative[i]].id, &buf);
      buf.append(",\"dup_score\":");
      internal::AppendFixed4(groups.score[i], &buf);
      if (r.is_short) buf.append(",\"short\":true");
    }
    if (!r.warning.empty()) {
      buf.append(",\"warning\":");
      internal::AppendJsonString(r.warning, &buf);
    }
    buf.append("}\n");
    if (buf.size() > (1 << 20)) {
      if (Status s = out.value()->Write(buf); !s.ok()) return s;
      buf.clear();
    }
  }
  if (Status s = out.value()->Write(buf); !s.ok()) return s;
  if (Status s = out.value()->Close(); !s.ok()) return s;
  if (collect_pairs) {
    auto pairs_out = internal::OutputFile::Open(outputs.pairs);
    if (!pairs_out.ok()) return pairs_out.status();
    buf.assign("id_a\tid_b\tjaccard\n");
    for (const ScoredPair& p : groups.pairs) {
      internal::AppendTsvField(records[p.a].id, &buf);
      buf.push_back('\t');
      internal::AppendTsvField(records[p.b].id, &buf);
      buf.push_back('\t');
      internal::AppendFixed4(p.jaccard, &buf);
      buf.push_back('\n');
    }
    if (Status s = pairs_out.value()->Write(buf); !s.ok()) return s;
    if (Status s = pairs_out.value()->Close(); !s.ok()) return s;
  }
  summary.seconds.write = Since(t0);
  summary.seconds.total = Since(run_start);
  if (!read_status.ok()) return read_status;
  return summary;
}

}  // namespace

Result<DedupSummary> RunDedup(std::string_view input, const DedupOutputs& outputs,
                              const DedupPipelineOptions& options, const RecordReporter& reporter,
                              const ProgressReporter& progress) {
  try {
    return RunDedupImpl(input, outputs, options, reporter, progress);
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(e.what());
  }
}

}  // namespace samestory

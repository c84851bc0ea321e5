// The read-and-fingerprint pass (see fingerprint_pass.h).
#include "pipeline/fingerprint_pass.h"

#include <omp.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <thread>
#include <type_traits>

#include "core/clock.h"

namespace samestory::internal {
namespace {

// Heap bytes a string holds beyond its own object (0 when it fits the small-string buffer).
size_t StringHeap(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

// Per-worker scratch, reused across documents so the hot loop does not allocate.
struct Worker {
  TokenizerScratch tokenizer;
  TokenList body, title;
  TermScratch terms;
  std::unordered_map<uint64_t, std::string> spellings;  // term hash -> stem, for story summaries
  double tokenize = 0, fingerprint = 0, terms_cpu = 0;  // thread CPU seconds
};

// What the per-document stages produce for one document of a batch.
struct Fingerprint {
  bool excluded = true;  // a bad record: takes no part
  CopyFingerprint copy;
  std::vector<TermCount> terms;
  Status status;
};

// Reads `input` in batches; tokenizes, fingerprints (and, with `extractor`, extracts TF-IDF terms
// from) every record in parallel; groups near-duplicates. Texts are dropped batch by batch.
}  // namespace

Status FingerprintRecords(JsonlReader& input_reader, const DedupPipelineOptions& options,
                          const TermExtractor* extractor, const RunHooks& hooks,
                          const RecordSink& sink, PassTimes* times,
                          std::unordered_map<uint64_t, std::string>* spellings) {
  if (Status s = options.Validate(); !s.ok()) return s;
  auto tokenizer = Tokenizer::Create(options.text);
  if (!tokenizer.ok()) return tokenizer.status();
  auto fingerprinter = CopyFingerprinter::Create(options.fingerprint);
  if (!fingerprinter.ok()) return fingerprinter.status();
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  times->threads = threads;
  std::vector<Worker> workers;
  for (int t = 0; t < threads; ++t) {
    auto scratch = tokenizer->NewScratch();
    if (!scratch.ok()) return scratch.status();
    workers.push_back(Worker{std::move(scratch.value()), {}, {}, {}, {}});
  }
  std::vector<Document> batch, ahead;
  std::vector<Fingerprint> prints;
  // With two or more threads the next batch is read (decompressed, parsed) while this one is
  // fingerprinted; the reader is only ever used by one thread at a time.
  const bool read_ahead = threads > 1;
  std::future<Status> pending;
  uint64_t records = 0;
  Clock::time_point t0 = Clock::now();
  Status read_status = input_reader.ReadBatch(options.batch_size, &batch);
  times->seconds.read += Since(t0);
  while (!batch.empty()) {
    if (read_ahead && read_status.ok()) {
      pending = std::async(std::launch::async, [&input_reader, &ahead, &options] {
        return input_reader.ReadBatch(options.batch_size, &ahead);
      });
    }
    t0 = Clock::now();
    const int64_t n = static_cast<int64_t>(batch.size());
    prints.resize(batch.size());
#pragma omp parallel for num_threads(threads) schedule(dynamic, 8)
    for (int64_t i = 0; i < n; ++i) {
      Worker& w = workers[static_cast<size_t>(omp_get_thread_num())];
      const Document& doc = batch[static_cast<size_t>(i)];
      Fingerprint& fp = prints[static_cast<size_t>(i)];
      fp.excluded = true;
      fp.terms.clear();
      fp.status = Status::OK();
      if (!doc.error.empty()) continue;
      const double c0 = ThreadCpuSeconds();
      w.body.Clear();
      w.title.Clear();
      fp.status = tokenizer->Tokenize(doc.text, &w.tokenizer, &w.body);
      if (fp.status.ok()) fp.status = tokenizer->Tokenize(doc.title, &w.tokenizer, &w.title);
      const double c1 = ThreadCpuSeconds();
      w.tokenize += c1 - c0;
      if (!fp.status.ok()) continue;
      // The fingerprint policy (body, or the title without one) is the fingerprinter's.
      fingerprinter->Fingerprint(w.title, w.body, &fp.copy);
      fp.excluded = false;
      const double c2 = ThreadCpuSeconds();
      w.fingerprint += c2 - c1;
      if (extractor != nullptr) {
        extractor->Extract(w.title, w.body, doc.lang, &w.terms, &fp.terms, &w.spellings);
        w.terms_cpu += ThreadCpuSeconds() - c2;
      }
    }
    times->seconds.fingerprint += Since(t0);

    for (size_t i = 0; i < batch.size(); ++i) {
      Document& doc = batch[i];
      Fingerprint& fp = prints[i];
      if (doc.error.empty() && !fp.status.ok()) {
        doc.error = "text processing failed: " + fp.status.ToString();
        fp.excluded = true;
      }
      if (Status s = sink(doc, fp.excluded ? nullptr : &fp.copy,
                          extractor != nullptr ? &fp.terms : nullptr);
          !s.ok()) {
        return s;
      }
      ++records;
    }
    if (!read_status.ok()) break;
    t0 = Clock::now();
    if (pending.valid()) {
      read_status = pending.get();  // waits only as long as reading outlasted fingerprinting
      batch.swap(ahead);
    } else {
      read_status = input_reader.ReadBatch(options.batch_size, &batch);
    }
    times->seconds.read += Since(t0);
    if (hooks.progress) hooks.progress(records, input_reader.stats().bytes);
    if (hooks.cancelled && hooks.cancelled()) return Status::Cancelled("cancelled while reading");
  }
  times->input_bytes = input_reader.stats().bytes;
  times->input_status = read_status;
  for (Worker& w : workers) {
    times->seconds.tokenize_cpu += w.tokenize;
    times->seconds.fingerprint_cpu += w.fingerprint;
    times->seconds.terms_cpu += w.terms_cpu;
    if (spellings != nullptr) spellings->merge(w.spellings);
  }
  return Status::OK();
}

Status GroupBuilder::Start(const DedupPipelineOptions& options, bool terms, const RunHooks& hooks,
                           IdRegistry* ids, Pass* pass) {
  auto finder = DuplicateFinder::Create(options.dedup, options.fingerprint);
  if (!finder.ok()) return finder.status();
  finder_.emplace(std::move(finder.value()));
  options_ = options;
  terms_ = terms;
  hooks_ = hooks;
  ids_ = ids;
  pass_ = pass;
  if (terms) return pass->terms.Open();
  return Status::OK();
}

Status GroupBuilder::Add(Document& doc, const CopyFingerprint* fp,
                         const std::vector<TermCount>* terms) {
  DedupResult& result = pass_->result;
  DedupSummary& summary = result.summary;
  if (ids_ != nullptr && doc.error.empty()) {
    doc.error = ids_->Check(doc.id, doc.line);
    if (!doc.error.empty()) fp = nullptr;
  }
  if (!doc.error.empty()) ++summary.bad_records;
  if (!doc.warning.empty()) ++summary.warnings;
  if ((!doc.error.empty() || !doc.warning.empty()) && hooks_.reporter) hooks_.reporter(doc);
  result.ids.push_back(std::move(doc.id));
  result.lines.push_back(doc.line);
  result.errors.push_back(std::move(doc.error));
  result.warnings.push_back(std::move(doc.warning));
  if (terms_) {
    if (pass_->keep_titles) pass_->titles.push_back(std::move(doc.title));
    pass_->dates.push_back(doc.date);
    static const std::vector<TermCount> kNone;
    pass_->terms.Add(fp != nullptr && terms != nullptr ? *terms : kNone);
  }
  const bool is_short = fp != nullptr && fp->kind == CopyFingerprint::Kind::kShort;
  result.is_short.push_back(is_short ? 1 : 0);
  if (fp == nullptr) {
    finder_->AddExcluded();
  } else {
    if (is_short) ++summary.short_articles;
    finder_->Add(doc.date, *fp);
  }
  return Status::OK();
}

Status GroupBuilder::Finish(const PassTimes& times) {
  DedupResult& result = pass_->result;
  DedupSummary& summary = result.summary;
  summary.threads = times.threads;
  summary.seconds = times.seconds;
  summary.articles = result.size();
  summary.input_bytes = times.input_bytes;
  if (terms_) {
    if (Status s = pass_->terms.Finish(); !s.ok()) return s;
  }
  Clock::time_point t0 = Clock::now();
  summary.memory.limit = options_.memory_limit > 0 ? options_.memory_limit : PhysicalMemory() / 2;
  DuplicateGroups groups = finder_->Finish(times.threads, summary.memory.limit / 4);
  summary.seconds.group = Since(t0);
  if (!groups.status.ok()) return groups.status;
  summary.groups = groups.groups;
  summary.articles_in_groups = groups.documents_in_groups;
  summary.candidates = groups.candidates;
  summary.accepted = groups.accepted;
  summary.rejected = groups.rejected;
  summary.lsh = groups.lsh;
  summary.memory.band_keys = groups.band_key_bytes;
  summary.memory.spilled_evidence = groups.spilled_evidence_bytes;
  result.representative = std::move(groups.representative);
  result.kind = std::move(groups.kind);
  result.score = std::move(groups.score);
  result.pairs = std::move(groups.pairs);
  summary.memory.records += PassRecordBytes(*pass_);
  result.input_status = times.input_status;
  return Status::OK();
}

namespace {

// Records [0, records) of a column (those it has).
template <typename T>
uint64_t ColumnBytes(const std::vector<T>& column, size_t records) {
  const size_t n = std::min(records, column.size());
  uint64_t bytes = n * sizeof(T);
  if constexpr (std::is_same_v<T, std::string>) {
    for (size_t i = 0; i < n; ++i) bytes += StringHeap(column[i]);
  }
  return bytes;
}

}  // namespace

uint64_t PassRecordBytes(const Pass& pass) {
  const size_t n = pass.result.size();
  return RecordBytes(pass.result, n) + ColumnBytes(pass.titles, n) + ColumnBytes(pass.dates, n);
}

uint64_t RecordBytes(const DedupResult& result, size_t records) {
  // What the output needs of each record once its text is gone.
  return ColumnBytes(result.ids, records) + ColumnBytes(result.lines, records) +
         ColumnBytes(result.errors, records) + ColumnBytes(result.warnings, records) +
         ColumnBytes(result.representative, records) + ColumnBytes(result.kind, records) +
         ColumnBytes(result.score, records) + ColumnBytes(result.is_short, records);
}

Status ReadAndFingerprint(JsonlReader& input, const DedupPipelineOptions& options,
                          const TermExtractor* extractor, const RunHooks& hooks, Pass* pass) {
  if (Status s = options.Validate(); !s.ok()) return s;
  GroupBuilder builder;
  if (Status s = builder.Start(options, extractor != nullptr, hooks, nullptr, pass); !s.ok()) {
    return s;
  }
  PassTimes times;
  if (Status s = FingerprintRecords(
          input, options, extractor, hooks,
          [&](Document& doc, const CopyFingerprint* fp, const std::vector<TermCount>* terms) {
            return builder.Add(doc, fp, terms);
          },
          &times, &pass->spellings);
      !s.ok()) {
    return s;
  }
  return builder.Finish(times);
}

uint64_t PhysicalMemory() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

uint64_t PeakRssBytes() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  uint64_t kb = 0;
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    if (std::strncmp(line, "VmHWM:", 6) == 0) {
      kb = std::strtoull(line + 6, nullptr, 10);
      break;
    }
  }
  std::fclose(f);
  return kb * 1024;
}

}  // namespace samestory::internal

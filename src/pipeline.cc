// The pipelines: the only code that knows the order of the stages.
#include "samestory/pipeline.h"

#include <omp.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <chrono>
#include <exception>
#include <future>
#include <new>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "io/json_writer.h"
#include "io/temp_file.h"

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

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Heap bytes a string holds beyond its own object (0 when it fits the small-string buffer).
size_t StringHeap(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

// The process's peak resident set (VmHWM), in bytes; 0 where /proc is not there.
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

// Physical RAM in bytes (0 if unknown).
uint64_t PhysicalMemory() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
}

// What the output needs of a record once its text is gone.
struct RecordOut {
  std::string id;
  std::string error;
  std::string warning;
  std::string title;  // kept for story summaries only
  std::optional<UnixSeconds> date;
  uint64_t line = 0;
  bool is_short = false;
};

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

// Records' terms read per request in chunks of this many.
constexpr size_t kTermChunk = 16384;

// Every record's TF-IDF terms, in a temporary file (12 bytes a term: hash, count), so a large
// corpus's terms need not stay in memory between reading and clustering.
class TermSpill {
 public:
  static constexpr size_t kEntry = sizeof(uint64_t) + sizeof(float);

  Status Open() {
    auto file = internal::TempFile::Create("TF-IDF terms");
    if (!file.ok()) return file.status();
    file_ = std::move(file.value());
    return Status::OK();
  }
  // Appends the next record's terms.
  void Add(const std::vector<TermCount>& terms) {
    offset_.push_back(file_->size());
    count_.push_back(static_cast<uint32_t>(terms.size()));
    char entry[kEntry];
    for (const TermCount& t : terms) {
      std::memcpy(entry, &t.term, sizeof(uint64_t));
      std::memcpy(entry + sizeof(uint64_t), &t.count, sizeof(float));
      file_->Append(entry, kEntry);
    }
  }
  Status Finish() { return file_->Flush(); }
  uint64_t bytes() const { return file_ ? file_->size() : 0; }

  // Reads the terms of `records` into (*out)[k], k in order. Records are read in file order,
  // neighbours in one read, so a corpus read in (or near) input order streams.
  Status Read(std::span<const uint32_t> records, std::vector<std::vector<TermCount>>* out) const {
    out->resize(records.size());
    std::vector<uint32_t> by_offset(records.size());
    for (uint32_t k = 0; k < records.size(); ++k) by_offset[k] = k;
    std::sort(by_offset.begin(), by_offset.end(),
              [&](uint32_t a, uint32_t b) { return records[a] < records[b]; });
    std::vector<char> buffer;
    constexpr uint64_t kGap = 64 << 10;     // read across gaps up to this
    constexpr uint64_t kMaxRead = 16 << 20;  // bytes per read, at most (unless one record is more)
    for (size_t s = 0; s < by_offset.size();) {
      // One read: records by_offset[s, e).
      const uint64_t begin = offset_[records[by_offset[s]]];
      uint64_t end = begin + count_[records[by_offset[s]]] * kEntry;
      size_t e = s + 1;
      while (e < by_offset.size()) {
        const uint32_t r = records[by_offset[e]];
        const uint64_t r_end = offset_[r] + count_[r] * kEntry;
        if (offset_[r] > end + kGap || r_end - begin > kMaxRead) break;
        end = std::max(end, r_end);
        ++e;
      }
      buffer.resize(end - begin);
      if (Status st = file_->Read(begin, buffer.size(), buffer.data()); !st.ok()) return st;
      for (size_t j = s; j < e; ++j) {
        const uint32_t r = records[by_offset[j]];
        std::vector<TermCount>& terms = (*out)[by_offset[j]];
        terms.resize(count_[r]);
        const char* p = buffer.data() + (offset_[r] - begin);
        for (TermCount& t : terms) {
          std::memcpy(&t.term, p, sizeof(uint64_t));
          std::memcpy(&t.count, p + sizeof(uint64_t), sizeof(float));
          p += kEntry;
        }
      }
      s = e;
    }
    return Status::OK();
  }

 private:
  std::unique_ptr<internal::TempFile> file_;
  std::vector<uint64_t> offset_;  // per record
  std::vector<uint32_t> count_;   // per record
};

// Everything the read-and-fingerprint pass leaves for the later stages.
struct Pass {
  std::vector<RecordOut> records;
  DuplicateGroups groups;
  TermSpill terms;  // per record, when terms are extracted
  std::unordered_map<uint64_t, std::string> spellings;
  DedupSummary summary;
  Status read_status;  // not OK when the input broke off; what was read is in `records`
};

// Reads `input` in batches; tokenizes, fingerprints (and, with `extractor`, extracts TF-IDF terms
// from) every record in parallel; groups near-duplicates. Texts are dropped batch by batch.
Status ReadAndFingerprint(JsonlReader& input_reader, const DedupPipelineOptions& options,
                          bool collect_pairs, const TermExtractor* extractor,
                          const RecordReporter& reporter, const ProgressReporter& progress,
                          Pass* pass) {
  if (Status s = options.Validate(); !s.ok()) return s;
  auto tokenizer = Tokenizer::Create(options.text);
  if (!tokenizer.ok()) return tokenizer.status();
  auto fingerprinter = CopyFingerprinter::Create(options.fingerprint);
  if (!fingerprinter.ok()) return fingerprinter.status();
  DedupOptions dedup_options = options.dedup;
  dedup_options.collect_pairs = collect_pairs;
  auto finder = DuplicateFinder::Create(dedup_options, options.fingerprint);
  if (!finder.ok()) return finder.status();
  DedupSummary& summary = pass->summary;
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  summary.threads = threads;
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
  if (extractor != nullptr) {
    if (Status s = pass->terms.Open(); !s.ok()) return s;
  }
  std::future<Status> pending;
  Clock::time_point t0 = Clock::now();
  Status read_status = input_reader.ReadBatch(options.batch_size, &batch);
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
    summary.seconds.fingerprint += Since(t0);

    for (size_t i = 0; i < batch.size(); ++i) {
      Document& doc = batch[i];
      Fingerprint& fp = prints[i];
      if (doc.error.empty() && !fp.status.ok()) {
        doc.error = "text processing failed: " + fp.status.ToString();
        fp.excluded = true;
      }
      RecordOut& rec = pass->records.emplace_back();
      rec.id = std::move(doc.id);
      rec.line = doc.line;
      rec.error = doc.error;
      rec.warning = doc.warning;
      rec.date = doc.date;
      if (extractor != nullptr) {
        rec.title = std::move(doc.title);
        pass->terms.Add(fp.terms);
      }
      if (!doc.error.empty()) ++summary.bad_records;
      if (!doc.warning.empty()) ++summary.warnings;
      if ((!doc.error.empty() || !doc.warning.empty()) && reporter) {
        doc.id = rec.id;
        reporter(doc);
      }
      if (fp.excluded) {
        finder->AddExcluded();
      } else {
        if (fp.copy.kind == CopyFingerprint::Kind::kShort) {
          rec.is_short = true;
          ++summary.short_articles;
        }
        finder->Add(doc.date, fp.copy);
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
    if (progress) progress(pass->records.size(), input_reader.stats().bytes);
  }
  summary.articles = pass->records.size();
  summary.input_bytes = input_reader.stats().bytes;
  if (extractor != nullptr) {
    if (Status s = pass->terms.Finish(); !s.ok()) return s;
  }
  for (Worker& w : workers) {
    summary.seconds.tokenize_cpu += w.tokenize;
    summary.seconds.fingerprint_cpu += w.fingerprint;
    summary.seconds.terms_cpu += w.terms_cpu;
    pass->spellings.merge(w.spellings);
  }

  t0 = Clock::now();
  summary.memory.limit = options.memory_limit > 0 ? options.memory_limit : PhysicalMemory() / 2;
  pass->groups = finder->Finish(threads, summary.memory.limit / 4);
  summary.seconds.group = Since(t0);
  summary.groups = pass->groups.groups;
  summary.articles_in_groups = pass->groups.documents_in_groups;
  summary.candidates = pass->groups.candidates;
  summary.accepted = pass->groups.accepted;
  summary.rejected = pass->groups.rejected;
  summary.lsh = pass->groups.lsh;
  summary.memory.band_keys = pass->groups.band_key_bytes;
  for (const RecordOut& r : pass->records) {
    summary.memory.records += sizeof(RecordOut) + StringHeap(r.id) + StringHeap(r.error) +
                              StringHeap(r.warning) + StringHeap(r.title);
  }
  summary.memory.spilled_evidence = pass->groups.spilled_evidence_bytes;
  if (!pass->groups.status.ok()) return pass->groups.status;
  pass->read_status = read_status;
  return Status::OK();
}

// One JSON line per record, in input order. `story` (may be null) gives each record's story
// representative (a record index), or UINT32_MAX for none.
Status WriteRecords(const std::string& path, const Pass& pass,
                    const std::vector<uint32_t>* story) {
  auto out = internal::OutputFile::Open(path);
  if (!out.ok()) return out.status();
  const auto& records = pass.records;
  std::string buf;
  for (size_t i = 0; i < records.size(); ++i) {
    const RecordOut& r = records[i];
    if (!r.error.empty()) {
      internal::AppendRecordError(r.id, r.line, r.error, story != nullptr, &buf);
    } else {
      buf.append("{\"id\":");
      internal::AppendJsonString(r.id, &buf);
      internal::AppendRecordDup(records[pass.groups.representative[i]].id, pass.groups.score[i],
                                DupKindName(pass.groups.kind[i]), &buf);
      if (story) {
        buf.append(",\"story\":");
        internal::AppendJsonString(records[(*story)[i]].id, &buf);
      }
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
  return out.value()->Close();
}

Status WritePairs(const std::string& path, const Pass& pass) {
  auto out = internal::OutputFile::Open(path);
  if (!out.ok()) return out.status();
  std::string buf(
      "id_a\tid_b\tverdict\treason\tcontainment\tresemblance\tfact_agree\tfact_conflict\n");
  for (const JudgedPair& p : pass.groups.pairs) {
    internal::AppendTsvField(pass.records[p.a].id, &buf);
    buf.push_back('\t');
    internal::AppendTsvField(pass.records[p.b].id, &buf);
    buf.push_back('\t');
    const std::string_view kind = DupKindName(p.verdict.kind);
    buf.append(kind.empty() ? "different" : kind);
    buf.push_back('\t');
    buf.append(CopyReasonName(p.verdict.reason));
    buf.push_back('\t');
    internal::AppendFixed4(p.verdict.containment, &buf);
    buf.push_back('\t');
    internal::AppendFixed4(p.verdict.resemblance, &buf);
    buf.append("\t" + std::to_string(p.verdict.facts.agree) + "\t" +
               std::to_string(p.verdict.facts.conflict) + "\n");
    if (buf.size() > (1 << 20)) {
      if (Status s = out.value()->Write(buf); !s.ok()) return s;
      buf.clear();
    }
  }
  if (Status s = out.value()->Write(buf); !s.ok()) return s;
  return out.value()->Close();
}

Result<DedupSummary> RunDedupImpl(std::string_view input, const DedupOutputs& outputs,
                                  const DedupPipelineOptions& options,
                                  const RecordReporter& reporter,
                                  const ProgressReporter& progress) {
  const Clock::time_point start = Clock::now();
  if (Status s = options.Validate(); !s.ok()) return s;
  auto reader = JsonlReader::Open(input, options.reader);
  if (!reader.ok()) return reader.status();
  // Fail on an unwritable output, or one that would overwrite the input, before doing the work.
  if (Status s = internal::CheckOutputs(input, {{"output", outputs.output}, {"--pairs", outputs.pairs}});
      !s.ok()) {
    return s;
  }
  Pass pass;
  if (Status s = ReadAndFingerprint(*reader.value(), options, !outputs.pairs.empty(), nullptr,
                                    reporter, progress, &pass);
      !s.ok()) {
    return s;
  }
  const Clock::time_point t0 = Clock::now();
  if (Status s = WriteRecords(outputs.output, pass, nullptr); !s.ok()) return s;
  if (!outputs.pairs.empty()) {
    if (Status s = WritePairs(outputs.pairs, pass); !s.ok()) return s;
  }
  pass.summary.seconds.write = Since(t0);
  pass.summary.seconds.total = Since(start);
  pass.summary.memory.peak_rss = PeakRssBytes();
  if (!pass.read_status.ok()) return pass.read_status;
  return pass.summary;
}

// Earliest first: by date (undated last), then input order.
bool Earlier(const Pass& pass, uint32_t a, uint32_t b) {
  const auto& da = pass.records[a].date;
  const auto& db = pass.records[b].date;
  if (da.has_value() != db.has_value()) return da.has_value();
  if (da && *da != *db) return *da < *db;
  return a < b;
}

// The story file. Top terms are the largest weights of the sum of the story's representatives'
// vectors, read back in record order; a story's sum is dropped once its last representative is
// in, so only the stories open at a point of the input are held at once.
Status WriteStories(const std::string& path, const Pass& pass, const std::vector<uint32_t>& story,
                    const TfidfModel& model, VectorSource& source,
                    const std::vector<uint32_t>& reps) {
  auto out = internal::OutputFile::Open(path);
  if (!out.ok()) return out.status();
  const size_t n = pass.records.size();
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
  std::string buf;
  for (uint32_t s = 0; s < n; ++s) {
    if (members[s].empty()) continue;
    std::optional<UnixSeconds> first, last;
    for (uint32_t m : members[s]) {
      if (const auto& d = pass.records[m].date) {
        if (!first || *d < *first) first = d;
        if (!last || *d > *last) last = d;
      }
    }
    const std::vector<uint32_t>& top = top_terms[s];
    buf.append("{\"story\":");
    internal::AppendJsonString(pass.records[s].id, &buf);
    buf.append(",\"size\":" + std::to_string(members[s].size()));
    buf.append(",\"first_date\":");
    if (first) internal::AppendJsonString(FormatIsoDate(*first), &buf);
    else buf.append("null");
    buf.append(",\"last_date\":");
    if (last) internal::AppendJsonString(FormatIsoDate(*last), &buf);
    else buf.append("null");
    buf.append(",\"title\":");
    internal::AppendJsonString(pass.records[s].title, &buf);
    buf.append(",\"top_terms\":[");
    for (size_t t = 0; t < top.size(); ++t) {
      if (t) buf.push_back(',');
      auto it = pass.spellings.find(model.term_hash(top[t]));
      internal::AppendJsonString(it != pass.spellings.end() ? it->second : "", &buf);
    }
    buf.append("]}\n");
  }
  if (Status st = out.value()->Write(buf); !st.ok()) return st;
  return out.value()->Close();
}

// TF-IDF vectors of the representatives (vector index v is record reps[v]), transformed from the
// term file when clustering asks for them.
class SpilledVectors final : public VectorSource {
 public:
  SpilledVectors(const TermSpill& terms, const TfidfModel& model,
                 const std::vector<uint32_t>& reps, int threads)
      : terms_(terms), model_(model), reps_(reps), threads_(threads) {}

  Status Load(std::span<const uint32_t> docs, std::vector<SparseVector>* out) override {
    records_.resize(docs.size());
    for (size_t k = 0; k < docs.size(); ++k) records_[k] = reps_[docs[k]];
    if (Status s = terms_.Read(records_, &chunk_); !s.ok()) return s;
    out->resize(docs.size());
#pragma omp parallel for num_threads(threads_) schedule(static, 256)
    for (int64_t k = 0; k < static_cast<int64_t>(docs.size()); ++k) {
      (*out)[static_cast<size_t>(k)] = model_.Transform(chunk_[static_cast<size_t>(k)]);
    }
    return Status::OK();
  }
  uint64_t TermKey(uint32_t id) const override { return model_.term_hash(id); }

 private:
  const TermSpill& terms_;
  const TfidfModel& model_;
  const std::vector<uint32_t>& reps_;
  const int threads_;
  std::vector<uint32_t> records_;
  std::vector<std::vector<TermCount>> chunk_;
};

// What decides a document's terms and their counts: a saved model is only valid for runs that
// extract terms the same way. One option a line.
std::string TermNote(const ClusterPipelineOptions& o) {
  std::ostringstream s;
  s.precision(17);
  s << "samestory TF-IDF terms\naccents " << static_cast<int>(o.dedup.text.accents)
    << "\nelisions " << static_cast<int>(o.dedup.text.elisions) << "\nstemming "
    << static_cast<int>(o.tfidf.stemming) << "\nmin_term_bytes " << o.tfidf.min_term_bytes
    << "\ntitle_weight " << o.tfidf.title_weight << "\ncapital_weight "
    << o.tfidf.capital_weight << "\nsublinear_tf " << o.tfidf.sublinear_tf << "\n";
  return s.str();
}

// OK when the model's note equals this run's; else names the first option that differs.
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

Result<ClusterSummary> RunClusterImpl(std::string_view input, const ClusterOutputs& outputs,
                                      const ClusterPipelineOptions& options,
                                      const RecordReporter& reporter,
                                      const ProgressReporter& progress) {
  const Clock::time_point start = Clock::now();
  if (Status s = options.Validate(); !s.ok()) return s;
  auto extractor = TermExtractor::Create(options.tfidf);
  if (!extractor.ok()) return extractor.status();
  // A saved model is read and checked before the input, so a wrong one fails at once.
  std::optional<TfidfModel> loaded;
  if (!options.model.empty()) {
    std::string note;
    auto model = TfidfModel::Load(options.model, &note);
    if (!model.ok()) return model.status();
    if (Status s = CheckTermNote(options.model, note, TermNote(options)); !s.ok()) return s;
    loaded = std::move(model.value());
  }
  auto reader = JsonlReader::Open(input, options.dedup.reader);
  if (!reader.ok()) return reader.status();
  if (Status s = internal::CheckOutputs(input, {{"output", outputs.output},
                                                {"--stories", outputs.stories},
                                                {"--save-model", outputs.model}});
      !s.ok()) {
    return s;
  }
  Pass pass;
  if (Status s = ReadAndFingerprint(*reader.value(), options.dedup, false, &extractor.value(),
                                    reporter, progress, &pass);
      !s.ok()) {
    return s;
  }
  ClusterSummary summary;
  const size_t n = pass.records.size();

  // Near-duplicates collapse to their representative: only representatives are vectorized and
  // clustered, and document frequencies count each copy once; but a partial copy (much shorter
  // or longer than its representative: a cut, an extension) keeps its own vector, as its words
  // differ from the representative's (collapsing them cost ECB+ story B-cubed F1 0.964 -> 0.947;
  // keeping only the longer ones, 0.941).
  Clock::time_point t0 = Clock::now();
  std::vector<uint32_t> reps;
  std::vector<uint32_t> vector_of_record(n, UINT32_MAX);
  for (uint32_t i = 0; i < n; ++i) {
    if (pass.records[i].error.empty() &&
        (pass.groups.representative[i] == i || pass.groups.kind[i] == DupKind::kPartial)) {
      vector_of_record[i] = static_cast<uint32_t>(reps.size());
      reps.push_back(i);
    }
  }
  // Document frequencies, streamed from the term file in chunks (or a saved model's).
  if (!loaded) {
    TfidfBuilder builder(options.tfidf);
    std::vector<std::vector<TermCount>> chunk;
    for (size_t from = 0; from < reps.size(); from += kTermChunk) {
      const size_t to = std::min(reps.size(), from + kTermChunk);
      if (Status s = pass.terms.Read({reps.data() + from, to - from}, &chunk); !s.ok()) return s;
      for (const auto& terms : chunk) builder.Add(terms);
    }
    loaded = builder.Finish();
  } else {
    summary.model_loaded = true;
  }
  const TfidfModel& model = *loaded;
  summary.model_documents = model.num_documents();
  if (!outputs.model.empty()) {
    if (Status s = model.Save(outputs.model, TermNote(options)); !s.ok()) return s;
  }
  std::vector<std::optional<UnixSeconds>> dates(reps.size());
  for (size_t v = 0; v < reps.size(); ++v) dates[v] = pass.records[reps[v]].date;
  summary.terms = model.num_terms();
  summary.tfidf_seconds = Since(t0);
  const int threads = pass.summary.threads > 0 ? static_cast<int>(pass.summary.threads) : 1;
  SpilledVectors source(pass.terms, model, reps, threads);

  t0 = Clock::now();
  ClusterOptions cluster_options = options.cluster;
  if (cluster_options.threads == 0) cluster_options.threads = pass.summary.threads;
  ClusterStats stats;
  auto labels = ClusterStories(source, dates, cluster_options, &stats);
  if (!labels.ok()) return labels.status();
  summary.edges = stats.edges;
  summary.index = stats.index;
  summary.cluster = stats;
  summary.spilled_terms = pass.terms.bytes();
  summary.cluster_seconds = Since(t0);

  // Each record's story: its representative's cluster, named after the cluster's earliest
  // article (copies included).
  std::vector<uint32_t> story(n, UINT32_MAX);
  std::vector<uint32_t> earliest(reps.size(), UINT32_MAX);  // per cluster label (a vector index)
  for (uint32_t i = 0; i < n; ++i) {
    if (!pass.records[i].error.empty()) continue;
    const uint32_t label = labels.value()[vector_of_record[pass.groups.representative[i]]];
    uint32_t& e = earliest[label];
    if (e == UINT32_MAX || Earlier(pass, i, e)) e = i;
  }
  std::vector<uint32_t> story_size(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    if (!pass.records[i].error.empty()) continue;
    story[i] = earliest[labels.value()[vector_of_record[pass.groups.representative[i]]]];
    ++story_size[story[i]];
  }
  for (uint32_t s : story_size) {
    if (s >= 2) {
      ++summary.stories;
      summary.articles_in_stories += s;
    }
  }

  t0 = Clock::now();
  if (Status s = WriteRecords(outputs.output, pass, &story); !s.ok()) return s;
  if (!outputs.stories.empty()) {
    if (Status s = WriteStories(outputs.stories, pass, story, model, source, reps);
        !s.ok()) {
      return s;
    }
  }
  pass.summary.seconds.write = Since(t0);
  pass.summary.seconds.total = Since(start);
  pass.summary.memory.peak_rss = PeakRssBytes();
  summary.dedup = pass.summary;
  if (!pass.read_status.ok()) return pass.read_status;
  return summary;
}

template <typename F>
auto Guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(e.what());
  }
}

}  // namespace

Result<DedupSummary> RunDedup(std::string_view input, const DedupOutputs& outputs,
                              const DedupPipelineOptions& options, const RecordReporter& reporter,
                              const ProgressReporter& progress) {
  return Guarded([&] { return RunDedupImpl(input, outputs, options, reporter, progress); });
}

Result<ClusterSummary> RunCluster(std::string_view input, const ClusterOutputs& outputs,
                                  const ClusterPipelineOptions& options,
                                  const RecordReporter& reporter,
                                  const ProgressReporter& progress) {
  return Guarded([&] { return RunClusterImpl(input, outputs, options, reporter, progress); });
}

}  // namespace samestory

// The distributed LSH dedup (see group.h): no rank holds the whole run. Each rank keeps its
// share's records and evidence; ids, title-word frequencies, band keys and candidate pairs go to
// owner ranks by hash; candidates are judged where their first document is, with the other's
// evidence fetched from its holder; accepted edges become spanning forests merged up a binary
// tree; each rank writes its records' lines at their offsets in one file.
//
// Byte-identical to DuplicateFinder::Finish because every rule is the same code: the bucket rule
// (EmitBucketPairs, in the windowing order: date, then input position, undated last), the date
// rule and the copy rule (TooFarApart, JudgeCopy, with the run's title frequencies and rare
// threshold), the representative (a group's earliest member in that order: the union-find root),
// the member's kind (MemberKind) and the record lines (AppendRecordLines, AppendPairLines).
// A rank's state is ShuffleShare (shuffle_share.h); stage 4, the candidates, is
// shuffle_candidates.cc.
#include <fcntl.h>
#include <omp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <unordered_map>

#include "core/clock.h"
#include "dedup/bucket_pairs.h"
#include "dedup/evidence.h"
#include "distributed/forest.h"
#include "distributed/group.h"
#include "distributed/messages.h"
#include "distributed/ordered_output.h"
#include "distributed/shuffle_share.h"
#include "io/json_writer.h"
#include "io/temp_file.h"
#include "pipeline/fingerprint_pass.h"
#include "pipeline/writers.h"

namespace samestory::internal {
namespace {

// Candidates judged a round: the other records' evidence in memory at once is at most this many
// records' (about 1 KB each).
constexpr size_t kJudgeChunk = size_t{1} << 19;
// Band entries (24 bytes, held about four times over while they are shuffled: about 250 MB) a
// rank sends in one round at most.
constexpr uint64_t kBandEntriesPerRound = uint64_t{1} << 21;

// Stage 1: this rank's share read, fingerprinted and kept (evidence spilled to a temporary file).
Status FingerprintLocal(const OpenedShare& opened, const DedupPipelineOptions& options,
                        const LshBanding& banding, const TermExtractor* extractor,
                        ShuffleShare* local) {
  auto spill = TempFile::Create("distributed evidence");
  if (!spill.ok()) return spill.status();
  local->spill = std::move(spill.value());
  std::shared_ptr<Share> source = opened.share;
  ReaderOptions reader = options.reader;
  reader.reject_duplicate_ids = false;  // checked across the ranks (CheckIds)
  auto records = JsonlReader::FromRecords(
      [source](SuppliedRecord* r, bool* done) { return source->Next(r, done); }, reader);
  if (!records.ok()) return records.status();
  if (extractor != nullptr) {
    if (Status s = local->terms.Open(); !s.ok()) return s;
  }
  std::string scratch;
  auto sink = [&](Document& doc, const CopyFingerprint* fp, const std::vector<TermCount>* terms) {
    ShuffleShare& m = *local;
    if (extractor != nullptr) {  // as GroupBuilder::Add keeps them
      if (m.keep_titles) m.titles.push_back(std::move(doc.title));
      m.dates.push_back(doc.date);
      static const std::vector<TermCount> kNone;
      m.terms.Add(fp != nullptr && terms != nullptr ? *terms : kNone);
    }
    m.out.ids.push_back(std::move(doc.id));
    m.out.lines.push_back(doc.line);
    m.out.errors.push_back(std::move(doc.error));
    m.out.warnings.push_back(std::move(doc.warning));
    const bool full = fp != nullptr && fp->kind == CopyFingerprint::Kind::kFull;
    m.kind.push_back(fp == nullptr ? kExcluded : full ? kFull : kShort);
    m.out.is_short.push_back(fp != nullptr && !full ? 1 : 0);
    m.date.push_back(fp != nullptr && doc.date ? *doc.date : kUndated);
    m.words.push_back(fp != nullptr ? fp->words : 0);
    m.text_hash.push_back(fp != nullptr && !full ? fp->text_hash : 0);
    m.keys.resize(m.keys.size() + m.columns, 0);
    if (full) CandidateKeys(banding, *fp, m.keys.data() + m.keys.size() - m.columns);
    if (fp != nullptr) {
      for (uint32_t t : fp->title) m.title.push_back(t & CopyFingerprint::kTitleWord);
      scratch.clear();
      EncodeEvidence(*fp, &scratch);
      m.offset.push_back(m.spill->Append(scratch.data(), scratch.size()));
      m.bytes.push_back(static_cast<uint32_t>(scratch.size()));
    } else {
      m.offset.push_back(0);
      m.bytes.push_back(0);
    }
    m.title_end.push_back(m.title.size());
    return Status::OK();
  };
  if (Status s = FingerprintRecords(*records.value(), options, extractor, RunHooks{}, sink,
                                    &local->times, extractor ? &local->spellings : nullptr);
      !s.ok()) {
    return s;
  }
  local->input_records = opened.InputRecords();
  if (extractor != nullptr) {
    if (Status s = local->terms.Finish(); !s.ok()) return s;
  }
  return local->spill->Flush();
}

// Stage 2: ids checked across the ranks. Each id's hash goes to its owner, which keeps the
// first record (input order) and tells the holders of the later ones (the reader's rule and
// message, IdRegistry).
Status CheckIds(Counted& group, ShuffleShare* m) {
  const int size = m->size;
  Status status;  // a local failure is reported after the stage's collectives
  std::vector<std::string> send(static_cast<size_t>(size));
  for (size_t i = 0; i < m->size_local(); ++i) {
    if (!m->out.errors[i].empty()) continue;
    const uint64_t h = IdRegistry::Hash(m->out.ids[i]);
    std::string& to = send[static_cast<size_t>(OwnerOf(h, size))];
    Put(&to, h);
    Put(&to, m->Global(i));
    Put(&to, m->out.lines[i]);
  }
  auto got = group.AllToAll(std::move(send));
  if (!got.ok()) return got.status();
  std::vector<std::array<uint64_t, 3>> ids;  // (hash, record, line)
  for (const std::string& from : got.value()) {
    Cursor in(from);
    while (!in.empty()) {
      const uint64_t h = in.Get<uint64_t>(), k = in.Get<uint64_t>(), line = in.Get<uint64_t>();
      ids.push_back({h, k, line});
    }
    if (!in.ok()) status = Damaged();
  }
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> later(static_cast<size_t>(size));
  for (size_t i = 1; i < ids.size(); ++i) {
    size_t first = i - 1;
    while (i < ids.size() && ids[i][0] == ids[first][0]) {
      std::string& to = later[static_cast<size_t>(m->Holder(ids[i][1]))];
      Put(&to, ids[i][1]);
      Put(&to, ids[first][2]);
      ++i;
    }
  }
  std::vector<std::array<uint64_t, 3>>().swap(ids);
  auto back = group.AllToAll(std::move(later));
  if (!back.ok()) return back.status();
  for (const std::string& from : back.value()) {
    Cursor in(from);
    while (!in.empty()) {
      const uint64_t k = in.Get<uint64_t>(), first_line = in.Get<uint64_t>();
      const size_t i = m->LocalOf(k);
      if (!in.ok() || i >= m->size_local()) {
        status = Damaged();
        break;
      }
      m->out.errors[i] = IdRegistry::DuplicateError(first_line);
      m->kind[i] = kExcluded;
      m->out.is_short[i] = 0;
      std::fill_n(m->keys.begin() + static_cast<ptrdiff_t>(i * m->columns), m->columns, 0u);
    }
  }
  return status;
}

// Stage 3: the run's document frequency of every title word this rank's records hold: counts
// summed at the words' owners, then asked back.
Status SumTitleFrequencies(Counted& group, ShuffleShare* m) {
  const size_t size = static_cast<size_t>(m->size);
  Status status;  // a local failure is reported after the stage's collectives
  std::unordered_map<uint32_t, uint32_t> mine;
  for (size_t i = 0; i < m->size_local(); ++i) {
    if (m->kind[i] == kExcluded) continue;
    for (uint64_t t = i == 0 ? 0 : m->title_end[i - 1]; t < m->title_end[i]; ++t) {
      ++mine[m->title[t]];
    }
  }
  std::vector<std::string> send(size), ask(size);
  std::vector<std::vector<uint32_t>> asked(size);
  for (const auto& [word, count] : mine) {
    const size_t owner = static_cast<size_t>(OwnerOf(word, m->size));
    Put(&send[owner], word);
    Put(&send[owner], count);
    Put(&ask[owner], word);
    asked[owner].push_back(word);
  }
  auto got = group.AllToAll(std::move(send));
  if (!got.ok()) return got.status();
  std::unordered_map<uint32_t, uint32_t> owned;
  for (const std::string& from : got.value()) {
    Cursor in(from);
    while (!in.empty()) {
      const uint32_t word = in.Get<uint32_t>(), count = in.Get<uint32_t>();
      owned[word] += count;
    }
    if (!in.ok()) status = Damaged();
  }
  auto questions = group.AllToAll(std::move(ask));
  if (!questions.ok()) return questions.status();
  std::vector<std::string> answers(size);
  for (size_t r = 0; r < size; ++r) {
    Cursor in(questions.value()[r]);
    while (!in.empty()) Put(&answers[r], owned[in.Get<uint32_t>()]);
    if (!in.ok()) status = Damaged();
  }
  auto replies = group.AllToAll(std::move(answers));
  if (!replies.ok()) return replies.status();
  m->title_df.clear();
  for (size_t r = 0; r < size; ++r) {
    Cursor in(replies.value()[r]);
    for (uint32_t word : asked[r]) m->title_df[word] = in.Get<uint32_t>();
    if (!in.ok()) status = Damaged();
  }
  return status;
}

// What a rank needs of another's record: its date, word count, id and evidence.
struct Remote {
  int64_t date = kUndated;
  uint32_t words = 0;
  std::string id;
  std::string evidence;
  std::vector<uint32_t> title_df;  // from its holder, which knows its title words' frequencies
  Status Decode(Evidence* e) const {
    if (!DecodeEvidence(evidence, &e->fingerprint) ||
        title_df.size() != e->fingerprint.title.size()) {
      return Status::Internal("a rank sent a damaged fingerprint");
    }
    e->title_df = title_df;
    return Status::OK();
  }
  std::optional<UnixSeconds> Date() const {
    return date == kUndated ? std::nullopt : std::optional<UnixSeconds>(date);
  }
};

// Fetches `wanted` (records, any rank's, sorted and distinct) from their holders.
Result<std::unordered_map<uint64_t, Remote>> Fetch(Counted& group, const ShuffleShare& m,
                                                   const std::vector<uint64_t>& wanted) {
  const size_t size = static_cast<size_t>(m.size);
  std::vector<std::string> ask(size);
  for (uint64_t k : wanted) Put(&ask[static_cast<size_t>(m.Holder(k))], k);
  auto questions = group.AllToAll(std::move(ask));
  if (!questions.ok()) return questions.status();
  Status status;  // a local failure is reported after the stage's collectives
  std::vector<std::string> answers(size);
  std::string buffer;
  std::vector<uint32_t> df;
  for (size_t r = 0; r < size && status.ok(); ++r) {
    Cursor in(questions.value()[r]);
    while (!in.empty()) {
      const uint64_t k = in.Get<uint64_t>();
      if (!in.ok() || m.Holder(k) != m.rank || m.LocalOf(k) >= m.size_local()) {
        status = Damaged();
        break;
      }
      const size_t i = m.LocalOf(k);
      if (status = m.Load(i, &buffer); !status.ok()) break;
      Put(&answers[r], k);
      Put(&answers[r], m.date[i]);
      Put(&answers[r], m.words[i]);
      PutBytes(&answers[r], m.out.ids[i]);
      PutBytes(&answers[r], buffer);
      m.TitleDf(i, &df);
      Put(&answers[r], static_cast<uint32_t>(df.size()));
      for (uint32_t v : df) Put(&answers[r], v);
    }
  }
  auto replies = group.AllToAll(std::move(answers));
  if (!replies.ok()) return replies.status();
  std::unordered_map<uint64_t, Remote> out;
  out.reserve(wanted.size());
  for (const std::string& from : replies.value()) {
    Cursor in(from);
    while (!in.empty()) {
      const uint64_t k = in.Get<uint64_t>();
      Remote& r = out[k];
      r.date = in.Get<int64_t>();
      r.words = in.Get<uint32_t>();
      r.id = std::string(in.Bytes());
      r.evidence = std::string(in.Bytes());
      r.title_df.resize(in.Get<uint32_t>());
      for (uint32_t& v : r.title_df) v = in.Get<uint32_t>();
    }
    if (!in.ok()) status = Damaged();
  }
  if (!status.ok()) return status;
  return out;
}

// Stage 5: every candidate judged at the holder of its first record (the same date rule and
// copy rule, in the same way, as DuplicateFinder::Finish).
struct Edge {
  uint64_t a;
  int64_t date_a;
  uint64_t b;
  int64_t date_b;
};
struct Judged {
  std::vector<Edge> accepted;
  std::vector<JudgedPair> pairs;  // when collecting pairs: a = local index, b = record (global)
  std::unordered_map<uint64_t, std::string> ids;  // ids of the pairs' other records
  uint64_t candidates = 0;
  std::vector<size_t> rejected = std::vector<size_t>(6, 0);
};

// One chunk of candidates [begin, end), with the other records' evidence fetched.
Status JudgeChunk(const DedupOptions& options, uint32_t rare, int threads,
                  const std::vector<std::pair<uint64_t, uint64_t>>& candidates, size_t begin,
                  size_t end, const std::unordered_map<uint64_t, Remote>& remote, const ShuffleShare& m,
                  Judged* judged) {
  std::vector<CopyVerdict> verdicts(end - begin);
  std::vector<Status> errors(static_cast<size_t>(threads));
#pragma omp parallel num_threads(threads)
  {
    Evidence ea, eb;
    std::string buffer, buffer_b;
    size_t loaded = SIZE_MAX;
    Status& error = errors[static_cast<size_t>(omp_get_thread_num())];
#pragma omp for schedule(dynamic, 256)
    for (int64_t n = 0; n < static_cast<int64_t>(end - begin); ++n) {
      const auto& [a, b] = candidates[begin + static_cast<size_t>(n)];
      const size_t i = m.LocalOf(a);
      // The other record: this rank's own (read back from its file), or fetched.
      const bool own = m.Holder(b) == m.rank;
      const Remote* rb = nullptr;
      if (!own) {
        const auto found = remote.find(b);
        if (found == remote.end()) {  // its holder did not answer for it
          if (error.ok()) error = Damaged();
          continue;
        }
        rb = &found->second;
      }
      const size_t j = own ? m.LocalOf(b) : 0;
      const std::optional<UnixSeconds> date_b = own ? m.Date(j) : rb->Date();
      CopyVerdict& v = verdicts[static_cast<size_t>(n)];
      if (TooFarApart(options.rule, m.Date(i), m.words[i], date_b, own ? m.words[j] : rb->words)) {
        v.reason = CopyReason::kTooFarApart;
        continue;
      }
      Status s;
      if (loaded != i) {
        s = m.LoadEvidence(i, &buffer, &ea);
        loaded = s.ok() ? i : SIZE_MAX;
      }
      if (s.ok()) s = own ? m.LoadEvidence(j, &buffer_b, &eb) : rb->Decode(&eb);
      if (!s.ok()) {
        if (error.ok()) error = s;
        continue;
      }
      v = JudgeCopy(ea.fingerprint, {m.Date(i), ea.title_df}, eb.fingerprint,
                    {date_b, eb.title_df}, options.rule, rare,
                    options.collect_pairs ? CopyScores::kExact : CopyScores::kDecision);
    }
  }
  for (const Status& s : errors) {
    if (!s.ok()) return s;
  }
  for (size_t n = begin; n < end; ++n) {
    const CopyVerdict& v = verdicts[n - begin];
    const auto& [a, b] = candidates[n];
    if (v.kind != DupKind::kNone) {
      const int64_t date_b = m.Holder(b) == m.rank ? m.date[m.LocalOf(b)] : remote.find(b)->second.date;
      judged->accepted.push_back({a, m.date[m.LocalOf(a)], b, date_b});
    } else {
      ++judged->rejected[static_cast<size_t>(v.reason)];
    }
    if (options.collect_pairs) judged->pairs.push_back({0, 0, v});
  }
  if (options.collect_pairs) {
    for (const auto& [k, r] : remote) judged->ids.emplace(k, r.id);
  }
  return Status::OK();
}

// Candidates judged in chunks of `chunk` (the other records' evidence is in memory for one chunk
// at a time); every rank takes part in as many rounds as the rank with the most candidates.
Status JudgeCandidates(Counted& group, const DedupOptions& options, uint32_t rare, int threads,
                       const std::vector<std::pair<uint64_t, uint64_t>>& candidates,
                       size_t chunk, const ShuffleShare& m, Judged* judged) {
  const size_t count = candidates.size();
  auto all = group.AllGather(std::to_string((count + chunk - 1) / chunk));
  if (!all.ok()) return all.status();
  uint64_t rounds = 0;
  for (const std::string& r : all.value()) rounds = std::max<uint64_t>(rounds, std::stoull(r));
  judged->candidates = count;
  Status status;  // a local failure is reported after the rounds
  std::vector<uint64_t> others;
  for (uint64_t t = 0; t < rounds; ++t) {
    const size_t begin = std::min(count, static_cast<size_t>(t) * chunk);
    const size_t end = std::min(count, begin + chunk);
    others.clear();  // the chunk's other records held by other ranks
    for (size_t n = begin; n < end; ++n) {
      if (m.Holder(candidates[n].second) != m.rank) others.push_back(candidates[n].second);
    }
    std::sort(others.begin(), others.end());
    others.erase(std::unique(others.begin(), others.end()), others.end());
    auto fetched = Fetch(group, m, others);
    if (!fetched.ok()) {
      if (status.ok()) status = fetched.status();
      continue;
    }
    if (status.ok()) {
      status = JudgeChunk(options, rare, threads, candidates, begin, end, fetched.value(), m,
                          judged);
    }
  }
  return status;
}

// Stage 6: groups. Each rank's accepted edges become a spanning forest (forest.h); forests
// merge up a binary tree to rank 0, which tells each holder its records' representatives.
//
// Representatives of this rank's grouped records (record -> its group's representative), and
// on rank 0 the number of groups and of records in them.
Status MergeGroups(Counted& group, const std::vector<Edge>& accepted, const ShuffleShare& m,
                   std::unordered_map<uint64_t, uint64_t>* representative, uint64_t* groups,
                   uint64_t* in_groups) {
  const int size = m.size, rank = m.rank;
  Status status;  // a local failure is reported after the stage's collectives
  Forest forest;
  for (const Edge& e : accepted) forest.Unite(e.a, e.date_a, e.b, e.date_b);
  // Round s: rank r + s sends its forest to rank r (r a multiple of 2s); after the rounds rank 0
  // holds the whole forest.
  bool sent = false;
  for (int s = 1; s < size; s *= 2) {
    std::vector<std::string> send(static_cast<size_t>(size));
    if (!sent && rank % (2 * s) == s) {
      send[static_cast<size_t>(rank - s)] = forest.Encode();
      forest = Forest();
      sent = true;
    }
    auto got = group.AllToAll(std::move(send));
    if (!got.ok()) return got.status();
    if (!sent && rank + s < size && !forest.Decode(got.value()[static_cast<size_t>(rank + s)])) {
      status = Damaged();
    }
  }
  std::vector<std::string> reps(static_cast<size_t>(size));
  if (rank == 0) {
    *groups = forest.roots();
    *in_groups = forest.nodes();
    forest.ForEach([&](uint64_t k, uint64_t root) {
      if (k == root) return;
      std::string& to = reps[static_cast<size_t>(m.Holder(k))];
      Put(&to, k);
      Put(&to, root);
    });
  }
  forest = Forest();
  auto got = group.AllToAll(std::move(reps));
  if (!got.ok()) return got.status();
  Cursor in(got.value()[0]);
  while (!in.empty()) {
    const uint64_t k = in.Get<uint64_t>(), root = in.Get<uint64_t>();
    if (!in.ok()) {
      status = Damaged();
      break;
    }
    (*representative)[k] = root;
  }
  return status;
}

// Stage 7: each grouped record against its representative (fetched from its holder): the kind
// and the score the output reports, as DuplicateFinder::Finish measures them. Fills m->out's
// representative (an index into m->out.ids: the rank's records, then the representatives'
// ids appended), kind and score.
Status MeasureMembers(Counted& group, const DedupOptions& options,
                      const std::unordered_map<uint64_t, uint64_t>& representative, ShuffleShare* m,
                      std::unordered_map<uint64_t, uint32_t>* id_index) {
  const size_t n = m->size_local();
  DedupResult& out = m->out;
  out.representative.resize(n);
  out.kind.assign(n, DupKind::kNone);
  out.score.assign(n, 1.0f);
  for (size_t i = 0; i < n; ++i) out.representative[i] = static_cast<uint32_t>(i);
  std::vector<uint64_t> wanted;  // representatives held by other ranks
  for (const auto& [k, root] : representative) {
    if (m->Holder(root) != m->rank) wanted.push_back(root);
  }
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  auto fetched = Fetch(group, *m, wanted);
  if (!fetched.ok()) return fetched.status();
  const std::unordered_map<uint64_t, Remote>& remote = fetched.value();
  auto index_of = [&](uint64_t k, const std::string& id) {
    auto [it, inserted] = id_index->try_emplace(k, static_cast<uint32_t>(out.ids.size()));
    if (inserted) out.ids.push_back(id);
    return it->second;
  };
  Evidence ed, er;
  std::string buffer, buffer_r;
  // In input order, so that appended ids do not depend on the map's order.
  std::vector<std::pair<uint64_t, uint64_t>> members(representative.begin(), representative.end());
  std::sort(members.begin(), members.end());
  for (const auto& [k, root] : members) {
    const size_t i = m->LocalOf(k);
    const bool own = m->Holder(root) == m->rank;
    const Remote* r = nullptr;
    if (!own) {
      const auto found = remote.find(root);
      if (found == remote.end()) return Damaged();
      r = &found->second;
    }
    if (i >= n) return Damaged();
    out.representative[i] =
        own ? static_cast<uint32_t>(m->LocalOf(root)) : index_of(root, r->id);
    if (m->kind[i] == kShort) {
      out.kind[i] = DupKind::kCopy;
      continue;
    }
    Status s = m->LoadEvidence(i, &buffer, &ed);
    if (s.ok()) s = own ? m->LoadEvidence(m->LocalOf(root), &buffer_r, &er) : r->Decode(&er);
    if (!s.ok()) return s;
    const SampleOverlap o = CompareSamples(ed.fingerprint, er.fingerprint);
    out.score[i] = static_cast<float>(o.containment());
    out.kind[i] = MemberKind(o, options.rule.partial_below);
  }
  return Status::OK();
}

uint64_t Sum(const std::vector<std::string>& all, size_t field) {
  uint64_t total = 0;
  for (const std::string& r : all) {
    uint64_t v = 0;
    if (r.size() >= (field + 1) * sizeof(uint64_t)) {
      std::memcpy(&v, r.data() + field * sizeof(uint64_t), sizeof(v));
    }
    total += v;
  }
  return total;
}

}  // namespace

Status FindCopies(Counted& group, std::string_view input, const DedupPipelineOptions& run,
                  const TermExtractor* extractor, const RecordReporter& reporter,
                  FoundCopies* found) {
  const Clock::time_point start = Clock::now();
  RankSummary& me = group.me();
  ShuffleShare& m = found->m;
  Status status;
  std::optional<LshBanding> banding;
  auto b = DedupBanding(run.dedup, run.fingerprint);
  if (b.ok()) banding.emplace(std::move(b.value()));
  else status = b.status();
  if (Status s = group.Agree(status); !s.ok()) return s;
  found->lsh = banding->params();

  OpenedShare opened;
  if (Status s = OpenShare(group, input, run.batch_size, run.reader.max_record_bytes, &opened);
      !s.ok()) {
    return s;
  }
  m.layout = opened.layout;
  m.size = group.comm().size();
  m.rank = group.comm().rank();
  m.columns = CandidateKeyCount(*banding, run.fingerprint);
  status = FingerprintLocal(opened, run, *banding, extractor, &m);
  me.records = m.size_local();
  me.fingerprint_seconds = Since(start);
  if (Status s = group.Agree(status); !s.ok()) return s;
  if (Status s = group.SameInput(m.input_records); !s.ok()) return s;

  const Clock::time_point t0 = Clock::now();
  if (run.reader.reject_duplicate_ids) status = CheckIds(group, &m);
  if (Status s = group.Agree(status); !s.ok()) return s;
  for (size_t i = 0; i < m.size_local(); ++i) {
    const bool error = !m.out.errors[i].empty(), warning = !m.out.warnings[i].empty();
    found->bad += error;
    found->warnings += warning;
    found->shorts += m.kind[i] == kShort;
    if ((error || warning) && reporter) {
      Document d;
      d.id = m.out.ids[i];
      d.line = m.out.lines[i];
      d.error = m.out.errors[i];
      d.warning = m.out.warnings[i];
      reporter(d);
    }
  }
  if (Status s = group.Agree(SumTitleFrequencies(group, &m)); !s.ok()) return s;
  // Key columns a round: a rank's share of the entries within the budget (the same on every
  // rank: it depends only on the whole input's size).
  const uint64_t limit = run.memory_limit > 0 ? run.memory_limit : PhysicalMemory() / 2;
  found->limit = limit;
  const uint64_t entries_per_round = std::min<uint64_t>(
      kBandEntriesPerRound, std::max<uint64_t>(limit / 256, uint64_t{1} << 12));
  const uint64_t per_rank = m.input_records / static_cast<uint64_t>(m.size) + 1;
  const size_t columns_per_round =
      static_cast<size_t>(std::max<uint64_t>(1, entries_per_round / per_rank));
  auto candidates = FindCandidates(group, *banding, columns_per_round, &m);
  if (Status s = group.Agree(candidates.status()); !s.ok()) return s;
  const uint32_t rare = static_cast<uint32_t>(m.input_records / 1000);  // DuplicateFinder's
  found->threads = std::max(1, m.times.threads);
  Judged judged;
  // Candidates a judging round: their fetched evidence (about 1 KB a record) within the budget.
  const size_t judge_chunk =
      static_cast<size_t>(std::min<uint64_t>(kJudgeChunk, std::max<uint64_t>(1024, limit / 4096)));
  status = JudgeCandidates(group, run.dedup, rare, found->threads, candidates.value(),
                           judge_chunk, m, &judged);
  if (Status s = group.Agree(status); !s.ok()) return s;
  std::unordered_map<uint64_t, uint64_t> representative;
  status = MergeGroups(group, judged.accepted, m, &representative, &found->groups,
                       &found->in_groups);
  if (Status s = group.Agree(status); !s.ok()) return s;
  std::vector<Edge>().swap(judged.accepted);
  std::unordered_map<uint64_t, uint32_t> id_index;
  status = MeasureMembers(group, run.dedup, representative, &m, &id_index);
  if (Status s = group.Agree(status); !s.ok()) return s;
  found->representative = std::move(representative);
  found->candidates = judged.candidates;
  found->accepted = judged.candidates - std::accumulate(judged.rejected.begin(),
                                                        judged.rejected.end(), uint64_t{0});
  found->rejected = judged.rejected;
  if (run.dedup.collect_pairs) {
    const auto& pairs = candidates.value();
    for (size_t n = 0; n < pairs.size(); ++n) {
      const auto& [a, b] = pairs[n];
      judged.pairs[n].a = static_cast<uint32_t>(m.LocalOf(a));
      if (m.Holder(b) == m.rank) {
        judged.pairs[n].b = static_cast<uint32_t>(m.LocalOf(b));
      } else {
        auto [it, inserted] = id_index.try_emplace(b, static_cast<uint32_t>(m.out.ids.size()));
        if (inserted) m.out.ids.push_back(judged.ids.at(b));
        judged.pairs[n].b = it->second;
      }
    }
    m.out.pairs = std::move(judged.pairs);
  }
  found->group_seconds = Since(t0);
  me.exchange_seconds = found->group_seconds;
  return Status::OK();
}

Result<DedupSummary> SumCopies(Counted& group, const FoundCopies& found) {
  const ShuffleShare& m = found.m;
  std::string mine;
  for (uint64_t v : {found.bad, found.warnings, found.shorts, found.candidates, found.accepted,
                     m.spill->size(), m.times.input_bytes, RecordBytes(m.out, m.size_local())}) {
    Put(&mine, v);
  }
  for (size_t r : found.rejected) Put(&mine, static_cast<uint64_t>(r));
  auto all = group.AllGather(std::move(mine));
  if (!all.ok()) return all.status();
  DedupSummary s;
  s.articles = m.input_records;
  // Byte ranges: each rank read its own; else every rank read all of it.
  s.input_bytes = m.layout->contiguous() ? Sum(all.value(), 6) : m.times.input_bytes;
  s.bad_records = Sum(all.value(), 0);
  s.warnings = Sum(all.value(), 1);
  s.short_articles = Sum(all.value(), 2);
  s.candidates = Sum(all.value(), 3);
  s.accepted = Sum(all.value(), 4);
  s.memory.spilled_evidence = Sum(all.value(), 5);
  s.rejected.assign(found.rejected.size(), 0);
  s.memory.records = Sum(all.value(), 7);  // every rank's, summed (each holds its own)
  for (size_t r = 0; r < s.rejected.size(); ++r) s.rejected[r] = Sum(all.value(), 8 + r);
  s.groups = found.groups;
  s.articles_in_groups = found.in_groups;
  s.lsh = found.lsh;
  s.threads = found.threads;
  s.seconds = m.times.seconds;
  s.seconds.group = found.group_seconds;
  s.memory.band_keys = m.input_records * m.columns * sizeof(uint32_t);
  s.memory.limit = found.limit;
  return s;
}

Result<DistributedDedupSummary> DedupShuffled(Communicator& comm, std::string_view input,
                                              const DedupOutputs& outputs,
                                              const DedupPipelineOptions& options,
                                              const RecordReporter& reporter) {
  const Clock::time_point start = Clock::now();
  RankSummary me;
  me.rank = comm.rank();
  Counted group(comm, &me);
  const bool root = comm.rank() == 0;
  DedupPipelineOptions run = options;
  run.dedup.collect_pairs = !outputs.pairs.empty();
  Status status = run.Validate();
  if (status.ok() && root) {
    status = CheckOutputs(input, {{"output", outputs.output}, {"--pairs", outputs.pairs}});
  }
  if (status.ok() && input == "-") {
    // mpirun gives standard input to rank 0 alone: the ranks would read different inputs.
    status = Status::InvalidArgument("a distributed run reads a file, not standard input");
  }
  if (Status s = group.Agree(status); !s.ok()) return s;
  FoundCopies found;
  if (Status s = FindCopies(group, input, run, nullptr, reporter, &found); !s.ok()) return s;
  ShuffleShare& m = found.m;

  // The output: the rank's records (and pairs) batch by batch, at their places in the files.
  const Clock::time_point t1 = Clock::now();
  auto tag = group.AllGather(std::to_string(getpid()));
  if (!tag.ok()) return tag.status();
  const size_t n = m.size_local(), batch = run.batch_size;
  const size_t batches = (n + batch - 1) / batch;
  OrderedOutput records(outputs.output, tag.value()[0], "");
  status = records.Write(group, *m.layout, batches, [&](size_t j, std::string* buf) {
    AppendRecordLines(m.out, nullptr, j * batch, std::min(n, (j + 1) * batch), buf);
  });
  if (!status.ok()) return status;
  std::optional<OrderedOutput> pairs;
  if (!outputs.pairs.empty()) {
    // Pairs are sorted by their first record, so each batch's pairs are one run.
    std::vector<size_t> first(batches + 1, m.out.pairs.size());
    for (size_t j = 0, p = 0; j <= batches; ++j) {
      while (p < m.out.pairs.size() && m.out.pairs[p].a < j * batch) ++p;
      first[j] = p;
    }
    pairs.emplace(outputs.pairs, tag.value()[0], std::string(kPairsHeader));
    status = pairs->Write(group, *m.layout, batches, [&](size_t j, std::string* buf) {
      AppendPairLines(m.out, first[j], first[j + 1], buf);
    });
    if (!status.ok()) return status;
  }
  // An input that broke off on any rank (a read error in its byte range, a truncated gzip
  // stream): written, not put in place (as the gathered run).
  if (Status s = group.Agree(m.times.input_status); !s.ok()) return s;
  if (root) {
    status = records.Commit();
    if (status.ok() && pairs) status = pairs->Commit();
  }
  if (Status s = group.Agree(status); !s.ok()) return s;
  me.rest_seconds = Since(t1);

  // The summary: rank 0's, with every rank's counts summed.
  auto sum = SumCopies(group, found);
  if (!sum.ok()) return sum.status();
  DistributedDedupSummary summary;
  DedupSummary& s = summary.run;
  s = std::move(sum.value());
  s.seconds.write = me.rest_seconds;
  s.seconds.total = Since(start);
  me.peak_rss = PeakRssBytes();
  s.memory.peak_rss = me.peak_rss;
  auto ranks = group.AllGather(std::string(reinterpret_cast<const char*>(&me), sizeof(me)));
  if (!ranks.ok()) return ranks.status();
  for (const std::string& r : ranks.value()) {
    RankSummary& out = summary.ranks.emplace_back();
    std::memcpy(&out, r.data(), std::min(r.size(), sizeof(out)));
  }
  return summary;
}

}  // namespace samestory::internal

// A cluster run's pass from the shuffled dedup (shuffle_share.h's ShuffledPass): the copies are
// grouped across the ranks by FindCopies, and rank 0 receives only what the clustering needs of
// each record, in input order: no fingerprint travels and rank 0 groups nothing.
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "cluster/document_frequencies.h"
#include "core/clock.h"
#include "distributed/messages.h"
#include "distributed/record_codec.h"
#include "distributed/shuffle_share.h"
#include "pipeline/stages.h"
#include "pipeline/writers.h"

namespace samestory::internal {
namespace {

// Records a round: rank 0 holds a round's messages at once (about 1.5 KB a record), so one record
// per MB of the memory budget, 1,024 to 65,536 (1.5 to 100 MB on the wire; 12k records, 3
// default batches, with the default budget on a 24 GB machine).
constexpr uint64_t kBudgetPerRoundRecord = uint64_t{1} << 20;
constexpr uint64_t kMinRoundRecords = 1024, kMaxRoundRecords = 65536;

// Record i of the rank's share for rank 0, what the clustering reads of it: id, error,
// representative (a global record index), kind, title (when kept), date and its terms (none when
// it gets no vector). Its line, warning, score and short flag stay with it (WriteHeldRecords).
void EncodeOutcome(const FoundCopies& found, size_t i, uint64_t representative,
                   const std::vector<TermCount>* terms, std::string* out) {
  const DedupResult& r = found.m.out;
  PutBytes(out, r.ids[i]);
  PutBytes(out, r.errors[i]);
  Put(out, representative);
  Put(out, static_cast<uint8_t>(r.kind[i]));
  if (found.m.keep_titles) PutBytes(out, found.m.titles[i]);
  const std::optional<UnixSeconds>& date = found.m.dates[i];
  Put(out, static_cast<uint8_t>(date.has_value()));
  Put(out, date.value_or(0));
  Put(out, static_cast<uint32_t>(terms ? terms->size() : 0));
  if (terms != nullptr) {
    for (const TermCount& t : *terms) {
      Put(out, t.term);
      Put(out, t.count);
    }
  }
}

// Appends the record at the cursor to rank 0's pass (as GroupBuilder::Add keeps a record, less
// the columns only the record's line needs).
bool DecodeOutcome(Cursor& in, std::vector<TermCount>* terms, Pass* pass) {
  DedupResult& r = pass->result;
  r.ids.emplace_back(in.Bytes());
  r.errors.emplace_back(in.Bytes());
  r.representative.push_back(static_cast<uint32_t>(in.Get<uint64_t>()));
  r.kind.push_back(static_cast<DupKind>(in.Get<uint8_t>()));
  if (pass->keep_titles) pass->titles.emplace_back(in.Bytes());
  const bool dated = in.Get<uint8_t>() != 0;
  const int64_t date = in.Get<int64_t>();
  pass->dates.push_back(dated ? std::optional<UnixSeconds>(date) : std::nullopt);
  const uint32_t count = in.Get<uint32_t>();
  terms->resize(count);
  for (TermCount& t : *terms) {
    t.term = in.Get<uint64_t>();
    t.count = in.Get<float>();
  }
  if (!in.ok()) return false;
  pass->terms.Add(*terms);
  return true;
}

// The TF-IDF model of the run's representatives from every rank's counts, into *model on rank 0
// (unless `stopped`): each term's counts are summed at its owner rank (by hash), which sends rank
// 0 the terms the model keeps; every owner hears every rank's documents. Rank 0 fits what one
// machine fits (the model's term ids follow the hashes, not the order of the counts). A damaged
// message goes to *mine (when OK); a failed exchange is returned. Collective.
// `local`: this rank's counts (of the terms it sent rank 0).
Status FitAcrossRanks(Counted& group, const TfidfOptions& options, TfidfBuilder local,
                      bool stopped, Status* mine, std::shared_ptr<const TfidfModel>* model) {
  const int size = group.comm().size();
  const bool root = group.comm().rank() == 0;
  std::vector<std::string> send(static_cast<size_t>(size));
  for (std::string& to : send) Put(&to, static_cast<uint64_t>(local.documents()));
  for (const auto& [term, df] : local.frequencies()) {
    std::string& to = send[static_cast<size_t>(OwnerOf(term, size))];
    Put(&to, term);
    Put(&to, df);
  }
  local = TfidfBuilder(options);  // its counts freed
  auto got = group.AllToAll(std::move(send));
  if (!got.ok()) return got.status();
  bool damaged = false;
  uint64_t documents = 0;
  std::unordered_map<uint64_t, uint32_t> summed;  // this rank's terms
  for (const std::string& message : got.value()) {
    Cursor in(message);
    documents += in.Get<uint64_t>();
    while (!in.empty()) {
      const uint64_t term = in.Get<uint64_t>();
      summed[term] += in.Get<uint32_t>();
    }
    damaged = damaged || !in.ok();
  }
  got.value().clear();
  send.assign(static_cast<size_t>(size), std::string());
  for (const auto& [term, df] : summed) {
    if (DroppedTerm(options, documents, df)) continue;  // as Finish drops it
    Put(&send[0], term);
    Put(&send[0], df);
  }
  summed = {};
  got = group.AllToAll(std::move(send));
  if (!got.ok()) return got.status();
  std::vector<std::pair<uint64_t, uint32_t>> kept;
  if (root) {
    for (const std::string& message : got.value()) {
      Cursor in(message);
      while (!in.empty()) {
        const uint64_t term = in.Get<uint64_t>();
        kept.emplace_back(term, in.Get<uint32_t>());
      }
      damaged = damaged || !in.ok();
    }
  }
  got.value().clear();
  if (damaged) {
    if (mine->ok()) *mine = Damaged();
  } else if (root && !stopped) {
    TfidfBuilder builder(options);
    builder.AddFrequencies(static_cast<size_t>(documents), kept);
    *model = std::make_shared<const TfidfModel>(builder.Finish());
  }
  return Status::OK();
}

}  // namespace

Status ShuffledPass(Counted& group, std::string_view input, const DedupPipelineOptions& options,
                    const TermExtractor* extractor, const TfidfOptions* fit,
                    const RecordReporter& reporter, Pass* pass, HeldRecords* kept) {
  FoundCopies found;
  found.m.keep_titles = pass->keep_titles;
  if (Status s = FindCopies(group, input, options, extractor, reporter, &found); !s.ok()) {
    return s;
  }
  const Clock::time_point t0 = Clock::now();
  auto summary = SumCopies(group, found);
  if (!summary.ok()) return summary.status();
  // An input that broke off on any rank: the records read are clustered and written, the run
  // then fails with it (as one machine's).
  const Status input_status = group.Agree(found.m.times.input_status);

  // Chunks of batch_size records in input order, a round's chunks within the budget (rank 0
  // receives them at once; a rank sends those it holds).
  const ShuffleShare& m = found.m;
  const int size = m.size;
  const bool root = m.rank == 0;
  const size_t batch = options.batch_size;
  auto counts = group.AllGather(std::to_string(m.size_local()));
  if (!counts.ok()) return counts.status();
  std::vector<size_t> held, chunks;  // every rank's records and chunks
  for (const std::string& c : counts.value()) {
    held.push_back(static_cast<size_t>(std::stoull(c)));
    chunks.push_back((held.back() + batch - 1) / batch);
  }
  const std::vector<std::pair<int, size_t>> order = m.layout->ChunkOrder(chunks);
  const size_t round_records = static_cast<size_t>(
      std::clamp(found.limit / kBudgetPerRoundRecord, kMinRoundRecords, kMaxRoundRecords));
  const size_t per_round = std::max<size_t>(1, round_records / batch);
  // A rank's failure (its terms' file, or rank 0's) is agreed on after the rounds; a rank that
  // failed sends its flag, so that rank 0 stops reading rather than report damaged messages.
  Status mine = root ? pass->terms.Open() : Status::OK();
  bool stopped = !mine.ok();  // rank 0: a rank failed
  std::vector<std::vector<TermCount>> read;
  std::vector<uint32_t> wanted;
  std::vector<TermCount> terms;
  // The document frequencies of the terms this rank sends (with a saved model, none counted).
  TfidfBuilder frequencies(fit != nullptr ? *fit : TfidfOptions{});
  for (size_t from = 0; from < order.size(); from += per_round) {
    const size_t to = std::min(order.size(), from + per_round);
    std::vector<std::string> send(static_cast<size_t>(size));
    for (size_t c = from; c < to && mine.ok(); ++c) {
      if (order[c].first != m.rank) continue;
      const size_t begin = order[c].second * batch;
      const size_t end = std::min(m.size_local(), begin + batch);
      // Records that get a vector (the pipeline's rule) send their terms.
      std::vector<uint64_t> rep(end - begin);
      wanted.clear();
      for (size_t i = begin; i < end; ++i) {
        const uint64_t k = m.Global(i);
        const auto it = found.representative.find(k);
        rep[i - begin] = it == found.representative.end() ? k : it->second;
        if (GetsVector(!m.out.errors[i].empty(), rep[i - begin] == k, m.out.kind[i])) {
          wanted.push_back(static_cast<uint32_t>(i));
        }
      }
      if (Status s = m.terms.Read(wanted, &read); !s.ok()) {
        mine = s;
        break;
      }
      if (fit != nullptr) {
        for (const std::vector<TermCount>& t : read) frequencies.Add(t);
      }
      std::string& out = send[0];
      for (size_t i = begin, w = 0; i < end; ++i) {
        const bool vector = w < wanted.size() && wanted[w] == i;
        EncodeOutcome(found, i, rep[i - begin], vector ? &read[w] : nullptr, &out);
        w += vector;
      }
    }
    if (!mine.ok()) send.assign(static_cast<size_t>(size), std::string());
    send[0].insert(send[0].begin(), mine.ok() ? '\0' : '\1');
    auto got = group.AllToAll(std::move(send));
    if (!got.ok()) return got.status();
    if (!root || stopped) continue;
    std::vector<Cursor> from_rank;
    for (const std::string& message : got.value()) {
      from_rank.emplace_back(message);
      if (from_rank.back().Get<char>() != 0) stopped = true;
    }
    for (size_t c = from; c < to && !stopped; ++c) {
      const auto [rank, chunk] = order[c];
      const size_t records = std::min(batch, held[static_cast<size_t>(rank)] - chunk * batch);
      Cursor& in = from_rank[static_cast<size_t>(rank)];
      for (size_t i = 0; i < records; ++i) {
        if (!DecodeOutcome(in, &terms, pass)) {
          mine = Damaged();
          stopped = true;
          break;
        }
      }
    }
  }
  // Term spellings, for story summaries.
  std::vector<std::string> send(static_cast<size_t>(size));
  send[0] = EncodeSpellings(m.spellings);
  auto got = group.AllToAll(std::move(send));
  if (!got.ok()) return got.status();
  if (fit != nullptr) {  // document frequencies summed across the ranks
    const Clock::time_point f0 = Clock::now();
    // A failed rank's counts are not a share of the run's.
    if (!mine.ok()) frequencies = TfidfBuilder(*fit);
    if (Status s = FitAcrossRanks(group, *fit, std::move(frequencies), stopped, &mine,
                                  &pass->model);
        !s.ok()) {
      return s;
    }
    stopped = stopped || !mine.ok();
    pass->model_seconds = Since(f0);
  }
  if (root && !stopped) {
    for (const std::string& s : got.value()) DecodeSpellings(s, &pass->spellings);
    mine = pass->terms.Finish();
    DedupSummary& s = pass->result.summary;
    s = std::move(summary.value());
    s.memory.records = PassRecordBytes(*pass);  // what rank 0 holds, as one machine's pass
    s.seconds.group += Since(t0);
    pass->result.input_status = input_status;
  }
  kept->layout = m.layout;
  kept->size = m.size_local();
  kept->out = std::move(found.m.out);
  kept->input_status = input_status;
  return group.Agree(mine);
}

Status WriteHeldRecords(Counted& group, const std::vector<uint32_t>& story,
                        const std::vector<std::string>& ids, size_t batch, HeldRecords* held,
                        OrderedOutput* output) {
  const Layout& layout = *held->layout;
  const int size = group.comm().size(), me = group.comm().rank();
  constexpr uint32_t kNone = UINT32_MAX;  // a record with an error: no story
  // Rank 0: each rank's records' stories, in the rank's order, then the ids of the stories they
  // name that the rank does not hold (each once).
  std::vector<std::string> send(static_cast<size_t>(size));
  if (me == 0) {
    std::vector<std::string> names(static_cast<size_t>(size));
    std::vector<std::unordered_set<uint32_t>> named(static_cast<size_t>(size));
    for (uint64_t g = 0; g < story.size(); ++g) {
      const int r = layout.Holder(g);
      const uint32_t s = story[g];
      Put(&send[static_cast<size_t>(r)], s);
      if (s != kNone && layout.Holder(s) != r && named[static_cast<size_t>(r)].insert(s).second) {
        Put(&names[static_cast<size_t>(r)], s);
        PutBytes(&names[static_cast<size_t>(r)], ids[s]);
      }
    }
    for (int r = 0; r < size; ++r) send[static_cast<size_t>(r)] += names[static_cast<size_t>(r)];
  }
  auto got = group.AllToAll(std::move(send));
  if (!got.ok()) return got.status();
  // The stories as indices into held->out.ids (a held record, or an id appended).
  DedupResult& out = held->out;
  std::vector<uint32_t> local(held->size);
  Cursor in(got.value()[0]);
  for (uint32_t& s : local) s = in.Get<uint32_t>();
  std::unordered_map<uint32_t, uint32_t> appended;  // story -> its id's index in out.ids
  while (in.ok() && !in.empty()) {
    const uint32_t s = in.Get<uint32_t>();
    const std::string_view id = in.Bytes();
    appended.emplace(s, static_cast<uint32_t>(out.ids.size()));
    out.ids.emplace_back(id);
  }
  got.value().clear();
  bool damaged = !in.ok();
  for (uint32_t& s : local) {
    if (s == kNone) continue;
    if (layout.Holder(s) == me) {
      s = static_cast<uint32_t>(layout.LocalOf(s));
    } else if (const auto it = appended.find(s); it != appended.end()) {
      s = it->second;
    } else {
      damaged = true;
      break;
    }
  }
  if (Status s = group.Agree(damaged ? Damaged() : Status::OK()); !s.ok()) return s;
  const size_t n = held->size;
  return output->Write(group, layout, (n + batch - 1) / batch, [&](size_t j, std::string* buf) {
    AppendRecordLines(out, &local, j * batch, std::min(n, (j + 1) * batch), buf);
  });
}

}  // namespace samestory::internal

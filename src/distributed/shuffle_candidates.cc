// Stage 4 of the distributed LSH dedup (shuffle_share.h): candidate pairs from band keys
// shuffled to their owners, by the single machine's bucket rule (EmitBucketPairs).
#include <algorithm>
#include <cstddef>
#include <iterator>
#include <tuple>

#include "core/radix_sort.h"
#include "distributed/messages.h"
#include "distributed/shuffle_share.h"

namespace samestory::internal {
namespace {

struct BandEntry {
  uint32_t column, key;
  int64_t date;
  uint64_t record;
  auto tie() const { return std::tie(column, key, date, record); }
};
struct ShortEntry {
  uint64_t hash;
  int64_t date;
  uint64_t record;
  auto tie() const { return std::tie(hash, date, record); }
};

// Folds a round's pairs (sorted, distinct) into *all (sorted, distinct).
void Fold(std::vector<std::pair<uint64_t, uint64_t>>* round,
          std::vector<std::pair<uint64_t, uint64_t>>* all) {
  std::sort(round->begin(), round->end());
  round->erase(std::unique(round->begin(), round->end()), round->end());
  std::vector<std::pair<uint64_t, uint64_t>> merged;
  merged.reserve(all->size() + round->size());
  std::set_union(all->begin(), all->end(), round->begin(), round->end(),
                 std::back_inserter(merged));
  all->swap(merged);
  round->clear();
}

}  // namespace

Result<std::vector<std::pair<uint64_t, uint64_t>>> FindCandidates(Counted& group,
                                                                  const LshBanding& banding,
                                                                  size_t columns_per_round,
                                                                  ShuffleShare* m) {
  const size_t size = static_cast<size_t>(m->size);
  const size_t window = static_cast<size_t>(banding.options().bucket_window);
  const int64_t max_gap = banding.options().max_gap;
  Status status;  // a local failure is reported after the stage's collectives
  std::vector<std::pair<uint64_t, uint64_t>> out, round_pairs;
  std::vector<BandEntry> bands, scratch;
  std::vector<ShortEntry> shorts;
  for (size_t c0 = 0; c0 < std::max<size_t>(m->columns, 1); c0 += columns_per_round) {
    const size_t c1 = std::min(m->columns, c0 + columns_per_round);
    std::vector<std::string> send(size);
    for (size_t i = 0; i < m->size_local(); ++i) {
      const uint64_t k = m->Global(i);
      if (m->kind[i] == kFull) {
        for (size_t c = c0; c < c1; ++c) {
          const uint32_t key = m->keys[i * m->columns + c];
          if (key == 0) continue;
          const BandEntry e{static_cast<uint32_t>(c), key, m->date[i], k};
          std::string& to =
              send[static_cast<size_t>(OwnerOf((uint64_t{e.column} << 32) | key, m->size))];
          to.push_back('b');
          Put(&to, e);
        }
      } else if (m->kind[i] == kShort && c0 == 0) {
        const ShortEntry e{m->text_hash[i], m->date[i], k};
        std::string& to = send[static_cast<size_t>(OwnerOf(e.hash, m->size))];
        to.push_back('s');
        Put(&to, e);
      }
    }
    auto got = group.AllToAll(std::move(send));
    if (!got.ok()) return got.status();
    for (std::string& from : got.value()) {
      Cursor in(from);
      while (!in.empty()) {
        const char tag = in.Get<char>();
        if (tag == 'b') bands.push_back(in.Get<BandEntry>());
        else if (tag == 's') shorts.push_back(in.Get<ShortEntry>());
        else break;
      }
      if (!in.ok() || !in.empty()) status = Damaged();
      std::string().swap(from);
    }
    std::vector<std::string> pairs(size);
    auto emit = [&](uint64_t x, uint64_t y) {
      const uint64_t a = std::min(x, y), b = std::max(x, y);
      std::string& to = pairs[static_cast<size_t>(m->Holder(a))];
      Put(&to, a);
      Put(&to, b);
    };
    // Buckets by (column, key) with a radix sort, then each bucket's members in the windowing
    // order (date, then input position).
    RadixSortBy(&bands, &scratch, 64,
                [](const BandEntry& e) { return (uint64_t{e.column} << 32) | e.key; });
    for (size_t i = 0; i < bands.size();) {
      size_t j = i + 1;
      while (j < bands.size() && bands[j].column == bands[i].column &&
             bands[j].key == bands[i].key) {
        ++j;
      }
      if (j - i > 1) {
        std::sort(bands.begin() + static_cast<std::ptrdiff_t>(i),
                  bands.begin() + static_cast<std::ptrdiff_t>(j),
                  [](const BandEntry& l, const BandEntry& r) { return l.tie() < r.tie(); });
      }
      const BandEntry* b = bands.data() + i;
      EmitBucketPairs(
          j - i, window, max_gap, [&](size_t x) { return b[x].record; },
          [&](size_t x) { return b[x].date; }, emit);
      i = j;
    }
    bands.clear();
    // Short texts: identical ones, consecutive in date order (as DuplicateFinder pairs them).
    std::sort(shorts.begin(), shorts.end(),
              [](const ShortEntry& l, const ShortEntry& r) { return l.tie() < r.tie(); });
    for (size_t i = 1; i < shorts.size(); ++i) {
      if (shorts[i].hash == shorts[i - 1].hash) emit(shorts[i - 1].record, shorts[i].record);
    }
    shorts.clear();
    auto mine = group.AllToAll(std::move(pairs));
    if (!mine.ok()) return mine.status();
    for (std::string& from : mine.value()) {
      Cursor in(from);
      while (!in.empty()) {
        const uint64_t a = in.Get<uint64_t>(), b = in.Get<uint64_t>();
        round_pairs.emplace_back(a, b);
      }
      if (!in.ok()) status = Damaged();
      std::string().swap(from);
    }
    Fold(&round_pairs, &out);
  }
  std::vector<uint32_t>().swap(m->keys);
  if (!status.ok()) return status;
  return out;
}

}  // namespace samestory::internal

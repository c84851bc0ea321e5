#include "cluster/story_linkage.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>

#include "io/binary_file.h"

namespace samestory::internal {

double DateDamping(const ClusterOptions& options, double gap_seconds) {
  const double slack = options.date_slack_days * 86400.0;
  if (gap_seconds <= slack) return 1.0;
  return std::exp(-(gap_seconds - slack) / (options.window_days * 86400.0));
}

double DateDamping(const ClusterOptions& options, std::optional<UnixSeconds> a,
                   std::optional<UnixSeconds> b) {
  if (!a || !b) return 1.0;
  return DateDamping(options, std::abs(static_cast<double>(*a - *b)));
}

double DateReachSeconds(const ClusterOptions& options) {
  return 86400.0 * (options.date_slack_days +
                    options.window_days * std::log(1.0 / std::max(1e-9, options.edge_floor)));
}

StoryLinkage::StoryLinkage(const ClusterOptions& options)
    : options_(options), dim_(static_cast<size_t>(options.dim)) {}

uint32_t StoryLinkage::AddNode(std::optional<UnixSeconds> date) {
  const uint32_t id = static_cast<uint32_t>(parent_.size());
  parent_.push_back(id);
  size_.push_back(1);
  version_.push_back(0);
  earliest_.push_back(id);
  date_.push_back(date ? *date : kUndated);
  sums_.emplace_back();
  rows_.emplace_back();
  lo_.push_back(date ? *date : kUndated);
  hi_.push_back(date ? *date : std::numeric_limits<int64_t>::min());
  is_touched_.push_back(0);
  return id;
}

uint32_t StoryLinkage::Find(uint32_t node) {
  while (parent_[node] != node) node = parent_[node] = parent_[parent_[node]];
  return node;
}

StoryLinkage::Neighbours::iterator StoryLinkage::Locate(Neighbours& list, uint32_t id) {
  return std::lower_bound(list.begin(), list.end(), id,
                          [](const std::pair<uint32_t, double>& e, uint32_t v) { return e.first < v; });
}

bool StoryLinkage::Before(uint32_t x, uint32_t y) const {
  if (date_[x] != date_[y]) return date_[x] < date_[y];
  return x < y;
}

double StoryLinkage::GraphLink(uint32_t a, uint32_t b, double w) const {
  return w / (static_cast<double>(size_[a]) * size_[b]);
}

bool StoryLinkage::Joinable(uint32_t c) const {
  return options_.join_threshold > 0 && size_[c] >= static_cast<uint32_t>(options_.join_min_size) &&
         !rows_[c].empty();
}

double StoryLinkage::JoinLink(uint32_t a, uint32_t b) const {
  const float* x = rows_[a].data();
  const float* y = rows_[b].data();
  double dot = 0;
  for (size_t d = 0; d < dim_; ++d) dot += static_cast<double>(x[d]) * y[d];
  double mean = dot / (static_cast<double>(size_[a]) * size_[b]);
  if (lo_[a] != kUndated && lo_[b] != kUndated) {  // both hold dated nodes
    const double gap = std::max(0.0, static_cast<double>(std::max(lo_[a], lo_[b])) -
                                         static_cast<double>(std::min(hi_[a], hi_[b])));
    mean *= DateDamping(options_, gap);
  }
  return mean;
}

void StoryLinkage::Push(std::priority_queue<Candidate>& q, uint32_t a, uint32_t b, double link) {
  if (a > b) std::swap(a, b);
  q.push({link, a, b, version_[a], version_[b]});
}

bool StoryLinkage::Valid(const Candidate& c) const {
  return parent_[c.a] == c.a && parent_[c.b] == c.b && version_[c.a] == c.va &&
         version_[c.b] == c.vb;
}

void StoryLinkage::AddEdge(uint32_t a, uint32_t b, double sim) {
  const uint32_t ca = Find(a), cb = Find(b);
  if (ca == cb) return;
  double total = 0;
  for (auto [x, y] : {std::pair{ca, cb}, std::pair{cb, ca}}) {
    Neighbours& list = sums_[x];
    auto it = Locate(list, y);
    if (it != list.end() && it->first == y) {
      it->second += sim;
      total = it->second;
      if (it->second <= 1e-12) list.erase(it);  // the last edge between them was taken back
    } else if (sim > 0) {
      list.insert(it, {y, sim});
      total = sim;
    }
  }
  if (sim > 0) {
    const double link = GraphLink(ca, cb, total);
    if (link >= options_.threshold) Push(graph_queue_, ca, cb, link);
  }
  for (uint32_t c : {ca, cb}) {
    if (!is_touched_[c]) {
      is_touched_[c] = 1;
      touched_.push_back(c);
    }
  }
}

void StoryLinkage::Merge(uint32_t a, uint32_t b) {
  const uint32_t keep = std::min(a, b), gone = std::max(a, b);
  // keep's list becomes the sorted merge of both, without the pair itself.
  merged_.clear();
  {
    const Neighbours &x = sums_[keep], &y = sums_[gone];
    size_t i = 0, j = 0;
    while (i < x.size() || j < y.size()) {
      if (j == y.size() || (i < x.size() && x[i].first < y[j].first)) {
        merged_.push_back(x[i++]);
      } else if (i == x.size() || y[j].first < x[i].first) {
        merged_.push_back(y[j++]);
      } else {
        merged_.emplace_back(x[i].first, x[i].second + y[j].second);
        ++i;
        ++j;
      }
      if (merged_.back().first == keep || merged_.back().first == gone) merged_.pop_back();
    }
  }
  sums_[keep].swap(merged_);
  Neighbours().swap(sums_[gone]);
  parent_[gone] = keep;
  size_[keep] += size_[gone];
  ++version_[keep];
  if (Before(earliest_[gone], earliest_[keep])) earliest_[keep] = earliest_[gone];
  if (!rows_[gone].empty()) {
    if (rows_[keep].empty()) {
      rows_[keep].swap(rows_[gone]);
    } else {
      for (size_t d = 0; d < dim_; ++d) rows_[keep][d] += rows_[gone][d];
    }
    std::vector<float>().swap(rows_[gone]);
  }
  lo_[keep] = std::min(lo_[keep], lo_[gone]);
  hi_[keep] = std::max(hi_[keep], hi_[gone]);
  for (auto& [other, s] : sums_[keep]) {
    // The other side's view: its sums to keep and gone are now one sum, s, to keep.
    Neighbours& back = sums_[other];
    if (auto it = Locate(back, gone); it != back.end() && it->first == gone) back.erase(it);
    if (auto it = Locate(back, keep); it != back.end() && it->first == keep) {
      it->second = s;
    } else {
      back.insert(it, {keep, s});
    }
    const double link = GraphLink(keep, other, s);
    if (link >= options_.threshold) Push(graph_queue_, keep, other, link);
  }
  if (!is_touched_[keep]) {
    is_touched_[keep] = 1;
    touched_.push_back(keep);
  }
}

void StoryLinkage::MergeGraph(const MergeReporter& reporter) {
  while (!graph_queue_.empty()) {
    const Candidate c = graph_queue_.top();
    graph_queue_.pop();
    if (!Valid(c)) continue;  // stale: one side merged since
    // An edge taken back since the push lowers the link without a new version: re-check.
    const auto it = Locate(sums_[c.a], c.b);
    const double now = it != sums_[c.a].end() && it->first == c.b ? GraphLink(c.a, c.b, it->second)
                                                                  : 0.0;
    if (now < c.link) {
      if (now >= options_.threshold) Push(graph_queue_, c.a, c.b, now);
      continue;
    }
    if (reporter) reporter(c.a, c.b, c.link, /*join=*/false);
    Merge(c.a, c.b);
  }
}

void StoryLinkage::AddRow(uint32_t node, const float* row) {
  const uint32_t c = Find(node);
  std::vector<float>& sum = rows_[c];
  if (sum.empty()) sum.assign(dim_, 0.0f);
  for (size_t d = 0; d < dim_; ++d) sum[d] += row[d];
  if (!is_touched_[c]) {
    is_touched_[c] = 1;
    touched_.push_back(c);
  }
}

void StoryLinkage::MergeJoin(const MergeReporter& reporter) {
  std::priority_queue<Candidate> queue;
  std::sort(touched_.begin(), touched_.end());
  for (uint32_t c : touched_) {
    is_touched_[c] = 0;
    if (parent_[c] != c || !Joinable(c)) continue;
    for (const auto& [o, w] : sums_[c]) {
      if (!Joinable(o)) continue;
      const double link = JoinLink(c, o);
      if (link >= options_.join_threshold) Push(queue, c, o, link);
    }
  }
  touched_.clear();
  while (!queue.empty()) {
    const Candidate c = queue.top();
    queue.pop();
    if (!Valid(c)) continue;
    if (reporter) reporter(c.a, c.b, c.link, /*join=*/true);
    Merge(c.a, c.b);
    const uint32_t keep = std::min(c.a, c.b);
    for (const auto& [o, w] : sums_[keep]) {
      if (!Joinable(o)) continue;
      const double link = JoinLink(keep, o);
      if (link >= options_.join_threshold) Push(queue, keep, o, link);
    }
  }
  for (uint32_t c : touched_) is_touched_[c] = 0;
  touched_.clear();
}

void StoryLinkage::Forget(uint32_t cluster) {
  for (const auto& [o, w] : sums_[cluster]) {
    Neighbours& back = sums_[o];
    if (auto it = Locate(back, cluster); it != back.end() && it->first == cluster) back.erase(it);
  }
  Neighbours().swap(sums_[cluster]);
  std::vector<float>().swap(rows_[cluster]);
}

void StoryLinkage::Save(std::string* out) const {
  const uint64_t n = parent_.size();
  PutU64(out, n);
  for (uint64_t i = 0; i < n; ++i) {
    PutU32(out, parent_[i]);
    PutU32(out, size_[i]);
    PutU32(out, version_[i]);
    PutU32(out, earliest_[i]);
    PutU64(out, static_cast<uint64_t>(date_[i]));
    PutU64(out, static_cast<uint64_t>(lo_[i]));
    PutU64(out, static_cast<uint64_t>(hi_[i]));
    PutU32(out, static_cast<uint32_t>(sums_[i].size()));
    for (const auto& [o, w] : sums_[i]) {
      PutU32(out, o);
      PutF64(out, w);
    }
    PutU32(out, rows_[i].empty() ? 0 : 1);
    if (!rows_[i].empty()) out->append(reinterpret_cast<const char*>(rows_[i].data()), dim_ * 4);
  }
  // What the next MergeGraph and MergeJoin start from (the feed's --merge-every saves between
  // passes): the queued candidates, best first, and the clusters touched.
  std::priority_queue<Candidate> queue = graph_queue_;
  PutU64(out, queue.size());
  for (; !queue.empty(); queue.pop()) {
    const Candidate& q = queue.top();
    PutF64(out, q.link);
    PutU32(out, q.a);
    PutU32(out, q.b);
    PutU32(out, q.va);
    PutU32(out, q.vb);
  }
  PutU64(out, touched_.size());
  for (uint32_t t : touched_) PutU32(out, t);
}

bool StoryLinkage::Load(std::string_view bytes) {
  Cursor c{bytes};
  const uint64_t n = c.U64();
  // Every node takes at least 48 bytes: a count past that is a damaged state, not an allocation.
  if (!c.ok || n > bytes.size() / 48) return false;
  *this = StoryLinkage(options_);
  for (uint64_t i = 0; i < n && c.ok; ++i) {
    AddNode(std::nullopt);
    parent_[i] = c.U32();
    size_[i] = c.U32();
    version_[i] = c.U32();
    earliest_[i] = c.U32();
    date_[i] = static_cast<int64_t>(c.U64());
    lo_[i] = static_cast<int64_t>(c.U64());
    hi_[i] = static_cast<int64_t>(c.U64());
    const uint32_t m = c.U32();
    if (!c.Need(uint64_t{m} * 12)) return false;
    sums_[i].resize(m);
    for (auto& [o, w] : sums_[i]) {
      o = c.U32();
      w = c.F64();
    }
    if (c.U32() != 0) {
      if (!c.Need(dim_ * 4)) return false;
      rows_[i].resize(dim_);
      std::memcpy(rows_[i].data(), c.data.data() + c.pos, dim_ * 4);
      c.pos += dim_ * 4;
    }
  }
  const uint64_t queued = c.U64();
  if (!c.ok || !c.Need(queued * 24)) return false;
  for (uint64_t k = 0; k < queued; ++k) {
    Candidate q;
    q.link = c.F64();
    q.a = c.U32();
    q.b = c.U32();
    q.va = c.U32();
    q.vb = c.U32();
    if (q.a >= n || q.b >= n) return false;
    graph_queue_.push(q);
  }
  const uint64_t touched = c.U64();
  if (!c.ok || !c.Need(touched * 4)) return false;
  for (uint64_t k = 0; k < touched; ++k) {
    const uint32_t t = c.U32();
    if (t >= n || is_touched_[t]) return false;
    is_touched_[t] = 1;
    touched_.push_back(t);
  }
  if (!c.ok || c.pos != c.data.size()) return false;
  for (uint64_t i = 0; i < n; ++i) {  // every reference names a node
    // A cluster's root is its smallest node: a parent above its child (a cycle) is damage.
    if (parent_[i] > i || earliest_[i] >= n) return false;
    for (const auto& [o, w] : sums_[i]) {
      if (o >= n) return false;
    }
  }
  return true;
}

}  // namespace samestory::internal

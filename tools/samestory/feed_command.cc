// samestory feed: answer each article as it arrives, with state that survives restarts.
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "samestory/feed.h"
#include "commands.h"
#include "common.h"

namespace samestory::cli {
namespace {

struct FeedArgs {
  std::string state;
  std::vector<std::string> inputs;
  std::string output = "-";
  FeedOptions options;
  bool no_stemming = false;
  bool fold_accents = false;
  bool quiet = false;
  bool resume = false;
};

// With -o FILE, the output holds one line per answered record: a line in flight when the last
// run was killed (logged, not yet written) is written now, and a torn last line is cut. Returns
// "" or an error message.
std::string ReconcileOutput(const std::string& path, const Feed& feed) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    if (feed.answered() == 0) return "";
    return "the state answered " + std::to_string(feed.answered()) + " records but " + path +
           " does not exist: not this state's output";
  }
  uint64_t lines = 0;
  long complete = 0;  // bytes up to the last newline
  long pos = 0;
  for (int c; (c = std::fgetc(f)) != EOF;) {
    ++pos;
    if (c == '\n') ++lines, complete = pos;
  }
  std::fclose(f);
  if (complete != pos && ::truncate(path.c_str(), complete) != 0) {
    return "cannot cut the torn last line of " + path;
  }
  if (lines == feed.answered()) return "";
  if (lines + 1 == feed.answered() && !feed.last_answer().empty()) {
    std::FILE* out = std::fopen(path.c_str(), "ab");
    if (out == nullptr) return "cannot append to " + path;
    std::fprintf(out, "%s\n", feed.last_answer().c_str());
    if (std::fclose(out) != 0) return "cannot write " + path;
    return "";
  }
  return path + " has " + std::to_string(lines) + " lines but the state answered " +
         std::to_string(feed.answered()) + " records: not this state's output";
}

// Lines of one input: stdin through getline (answers as soon as a line is complete, whatever the
// pipe's buffering), files (plain or gzip) through zlib.
class Lines {
 public:
  static std::unique_ptr<Lines> Open(const std::string& path, std::string* error) {
    auto l = std::unique_ptr<Lines>(new Lines);
    l->path_ = path;
    if (path != "-") {
      l->gz_ = gzopen(path.c_str(), "rb");
      if (l->gz_ == nullptr) {
        *error = "cannot open " + path;
        return nullptr;
      }
      gzbuffer(l->gz_, 1 << 17);
    }
    return l;
  }
  ~Lines() {
    if (gz_ != nullptr) gzclose(gz_);
    std::free(line_);
  }
  // Next line without its newline; false at the end.
  bool Next(std::string* out) {
    out->clear();
    if (gz_ == nullptr) {
      const ssize_t n = getline(&line_, &capacity_, stdin);
      if (n < 0) return false;
      out->assign(line_, static_cast<size_t>(n));
    } else {
      char buf[1 << 16];
      bool any = false;
      while (gzgets(gz_, buf, sizeof(buf)) != nullptr) {
        any = true;
        out->append(buf);
        if (!out->empty() && out->back() == '\n') break;
      }
      if (!any) return false;
    }
    while (!out->empty() && (out->back() == '\n' || out->back() == '\r')) out->pop_back();
    ++number_;
    return true;
  }
  uint64_t number() const { return number_; }
  const std::string& path() const { return path_; }

 private:
  Lines() = default;
  std::string path_;
  gzFile gz_ = nullptr;
  char* line_ = nullptr;
  size_t capacity_ = 0;
  uint64_t number_ = 0;
};

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(k), v.end());
  return v[k];
}

int RunFeedCommand(FeedArgs& a) {
  using Clock = std::chrono::steady_clock;
  a.options.tfidf.stemming = a.no_stemming ? Stemming::kNone : Stemming::kByLanguage;
  a.options.dedup.text.accents = a.fold_accents ? AccentFolding::kFold : AccentFolding::kKeep;
  if (a.inputs.empty()) a.inputs.push_back("-");
  const Clock::time_point start = Clock::now();
  auto feed = Feed::Open(a.state, a.options);
  if (!feed.ok()) return ReportFailure("feed", feed.status());
  const double open_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (a.output != "-" && !a.options.read_only) {
    if (std::string e = ReconcileOutput(a.output, *feed.value()); !e.empty()) {
      std::fprintf(stderr, "samestory feed: error: %s\n", e.c_str());
      return 1;
    }
  }
  // A read-only run answers a new batch: its output is written afresh.
  std::FILE* out = a.output == "-" ? stdout
                                   : std::fopen(a.output.c_str(), a.options.read_only ? "wb" : "ab");
  if (out == nullptr) {
    std::fprintf(stderr, "samestory feed: error: cannot open %s for appending\n", a.output.c_str());
    return 1;
  }
  std::vector<double> latency_ms;
  int code = 0;
  // A reading thread parses and prepares records (the state-independent work) while this one
  // decides: answers come out in input order, as with one thread.
  struct Item {
    PreparedRecord record;
    double prepare_ms = 0;
    bool end = false;
    std::string error;  // the input could not be opened
  };
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Item> queue;
  bool stop = false;
  constexpr size_t kQueue = 64;
  FeedPreparer preparer = feed.value()->NewPreparer();
  uint64_t skip = a.resume && !a.options.read_only ? feed.value()->answered() : 0;
  auto push = [&](Item item) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return queue.size() < kQueue || stop; });
    if (stop) return false;
    queue.push_back(std::move(item));
    cv.notify_all();
    return true;
  };
  std::thread reader([&] {
    std::string line;
    for (const std::string& input : a.inputs) {
      std::string error;
      auto lines = Lines::Open(input, &error);
      if (!lines) {
        Item item;
        item.end = true;
        item.error = error;
        push(std::move(item));
        return;
      }
      while (lines->Next(&line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        if (skip > 0) {  // --resume: answered before
          --skip;
          continue;
        }
        Item item;
        const Clock::time_point p0 = Clock::now();
        item.record = preparer.Prepare(line, lines->number());
        item.prepare_ms = std::chrono::duration<double, std::milli>(Clock::now() - p0).count();
        if (!push(std::move(item))) return;
      }
    }
    Item item;
    item.end = true;
    push(std::move(item));
  });
  const Clock::time_point run = Clock::now();
  while (true) {
    Item item;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return !queue.empty(); });
      item = std::move(queue.front());
      queue.pop_front();
      cv.notify_all();
    }
    if (item.end) {
      if (!item.error.empty()) {
        std::fprintf(stderr, "samestory feed: error: %s\n", item.error.c_str());
        code = 1;
      }
      break;
    }
    const Clock::time_point t0 = Clock::now();
    auto decision = feed.value()->Process(std::move(item.record));
    if (!decision.ok()) {
      std::fprintf(stderr, "samestory feed: %s\n", decision.status().ToString().c_str());
      code = 1;
      break;
    }
    if (decision->empty()) continue;
    decision->push_back('\n');
    std::fwrite(decision->data(), 1, decision->size(), out);
    std::fflush(out);
    if (Status cs = feed.value()->Checkpoint(); !cs.ok()) {
      code = ReportFailure("feed", cs);
      break;
    }
    // Latency per article: its preparation plus its decision, answer written (time spent
    // waiting in the queue behind earlier records is not counted).
    latency_ms.push_back(item.prepare_ms +
                         std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
    cv.notify_all();
  }
  reader.join();
  if (Status s = feed.value()->Close(); !s.ok() && code == 0) code = ReportFailure("feed", s);
  if (out != stdout && std::fclose(out) != 0 && code == 0) {
    std::fprintf(stderr, "samestory feed: error: cannot write %s\n", a.output.c_str());
    code = 1;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - run).count();
  const FeedStats& s = feed.value()->stats();
  if (!a.quiet || code != 0) {
    const double n = static_cast<double>(latency_ms.size());
    std::fprintf(stderr,
                 "samestory feed: %llu records (%llu bad, %llu copies, %llu new stories, %llu "
                 "repeated answers), %llu recovered from the log on start (%.3f s)\n"
                 "  window: %llu articles for duplicates, %llu for stories; %llu snapshots\n"
                 "  seconds %.3f, %.0f articles/s, latency ms p50 %.3f p99 %.3f max %.3f\n",
                 static_cast<unsigned long long>(s.records),
                 static_cast<unsigned long long>(s.bad_records),
                 static_cast<unsigned long long>(s.duplicates),
                 static_cast<unsigned long long>(s.new_stories),
                 static_cast<unsigned long long>(s.replayed),
                 static_cast<unsigned long long>(s.recovered), open_seconds,
                 static_cast<unsigned long long>(s.dup_window_articles),
                 static_cast<unsigned long long>(s.story_window_articles),
                 static_cast<unsigned long long>(s.snapshots), seconds,
                 seconds > 0 ? n / seconds : 0.0, Percentile(latency_ms, 0.5),
                 Percentile(latency_ms, 0.99), Percentile(latency_ms, 1.0));
  }
  return code;
}

}  // namespace

void AddFeedCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<FeedArgs>();
  CLI::App* cmd = app.add_subcommand(
      "feed", "Answer each article as it arrives (copy of / story of / new story), with state "
              "in a directory that survives restarts");
  FeedOptions& o = args->options;
  cmd->add_option("--state", args->state, "State directory (created if missing)")->required();
  cmd->add_option("input", args->inputs,
                  "JSON Lines inputs, read in order (.jsonl, .jsonl.gz; default - for stdin)");
  cmd->add_option("-o,--output", args->output,
                  "Decisions, appended, one JSON line per record (default stdout)");
  cmd->add_option("--threshold", o.dedup.dedup.threshold, "Jaccard similarity of a near-duplicate")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--story-threshold", o.cluster.threshold,
                  "Minimum average-link score to join a story")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--dup-window-days", o.dup_window_days,
                  "Articles older than this (by date, else the feed's clock) are no longer "
                  "originals of copies")
      ->capture_default_str();
  cmd->add_option("--story-window-days", o.story_window_days,
                  "Articles older than this no longer attract new reports")
      ->capture_default_str();
  cmd->add_option("--snapshot-every", o.snapshot_every, "Articles between snapshots")
      ->capture_default_str();
  cmd->add_option("--sync-every", o.sync_every,
                  "Log entries between fdatasync calls (1 = every article; the log is written "
                  "before each answer either way, so a killed process loses nothing)")
      ->capture_default_str();
  cmd->add_option("--id-field", o.dedup.reader.id_field, "Field holding the article id")
      ->capture_default_str();
  cmd->add_option("--max-record-bytes", o.dedup.reader.max_record_bytes,
                  "Longer records are answered with an error")
      ->capture_default_str();
  cmd->add_flag("--fold-accents", args->fold_accents, "Fold accents (été = ete)");
  cmd->add_flag("--no-stemming", args->no_stemming, "Do not stem (default: Snowball by language)");
  cmd->add_flag("--read-only", o.read_only,
                "Answer against the state without changing it (a batch placed against a saved "
                "corpus; several readers may share a state)");
  cmd->add_flag("--resume", args->resume,
                "The input is the same stream as before, from its start: skip the records the "
                "state already answered (after a crash or a restart)");
  cmd->add_flag("-q,--quiet", args->quiet, "No summary on stderr");
  cmd->callback([args, exit_code] { *exit_code = RunFeedCommand(*args); });
}

}  // namespace samestory::cli

// samestory feed: answer each article as it arrives, with state that survives restarts.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <string>
#include <vector>

#include "samestory/feed.h"
#include "samestory/reader.h"
#include "commands.h"
#include "common.h"

namespace samestory::cli {
namespace {

struct FeedArgs {
  std::string state;
  std::vector<std::string> inputs;
  std::string watch;          // a directory watched for new input files
  double poll_seconds = 1.0;  // how often it is listed
  double idle_exit = 0;       // > 0: stop after this long without a new file
  std::string output = "-";
  FeedOptions options;
  bool no_stemming = false;
  bool fold_accents = false;
  bool quiet = false;
  bool resume = false;
};

// With -o FILE, the output holds one answer line per answered record, each followed by the
// merge records it caused. The last answer (with its merges) may be in flight when the last run
// was killed (logged, not yet written, or written in part): it is cut back to where it began and
// written whole. Returns "" or an error message.
std::string ReconcileOutput(const std::string& path, const Feed& feed) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    if (feed.answered() == 0) return "";
    return "the state answered " + std::to_string(feed.answered()) + " records but " + path +
           " does not exist: not this state's output";
  }
  // Answer lines (merge records excluded), where the last one begins, and the text from there.
  static constexpr std::string_view kMerge = "{\"merge\":";
  uint64_t answers = 0;
  long last_start = 0, complete = 0, pos = 0;
  std::string line, tail;
  for (int c; (c = std::fgetc(f)) != EOF;) {
    ++pos;
    line.push_back(static_cast<char>(c));
    if (c != '\n') continue;
    if (line.compare(0, kMerge.size(), kMerge) != 0) {
      ++answers;
      last_start = complete;
      tail.clear();
    }
    tail += line;
    line.clear();
    complete = pos;
  }
  std::fclose(f);
  const std::string want = feed.last_answer() + "\n";
  long cut = complete;  // a torn last line goes
  bool append = false;
  if (answers == feed.answered()) {
    if (answers > 0 && tail != want) cut = last_start, append = true;  // merges cut short
  } else if (answers + 1 == feed.answered() && !feed.last_answer().empty()) {
    append = true;
  } else {
    return path + " has " + std::to_string(answers) + " answers but the state answered " +
           std::to_string(feed.answered()) + " records: not this state's output";
  }
  if (cut != pos && ::truncate(path.c_str(), cut) != 0) {
    return "cannot cut the torn end of " + path;
  }
  if (append) {
    std::FILE* out = std::fopen(path.c_str(), "ab");
    if (out == nullptr) return "cannot append to " + path;
    std::fwrite(want.data(), 1, want.size(), out);
    if (std::fclose(out) != 0) return "cannot write " + path;
  }
  return "";
}

// A watched input directory. New files (*.jsonl, *.jsonl.gz; names starting with '.' are
// ignored, so a writer creates ".name" and renames it when complete) are read in name order, each
// once. The state's WatchedManifest lists the files fully answered; on a restart, the records the
// state answered beyond the manifest's are the first ones of the first file not in it, and are
// skipped (as --resume does for a replayed stream).
class WatchedDir {
 public:
  WatchedDir(std::string dir, WatchedManifest manifest)
      : dir_(std::move(dir)), manifest_(std::move(manifest)) {}

  uint64_t records() const { return manifest_.records(); }

  // Files not answered yet, in name order. (Reading thread; the manifest's set only grows with
  // files this process took, which are never pending again.)
  std::vector<std::string> Pending() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.empty() || name[0] == '.' || !entry.is_regular_file(ec)) continue;
      const bool jsonl = name.ends_with(".jsonl") || name.ends_with(".jsonl.gz");
      if (jsonl && !taken_.count(name) && !initially_done_.count(name)) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  void Snapshot() {  // before the reading thread starts: the files done then
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
      const std::string name = entry.path().filename().string();
      if (manifest_.Done(name)) initially_done_.insert(name);
    }
  }
  // The reading thread took `name`: it is not pending any more.
  void Take(const std::string& name) { taken_.insert(name); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  bool Exists() const {
    std::error_code ec;
    return std::filesystem::is_directory(dir_, ec);
  }
  // Records a file as fully answered (deciding thread).
  Status MarkDone(const std::string& name, uint64_t records) {
    return manifest_.MarkDone(name, records);
  }

 private:
  std::string dir_;
  WatchedManifest manifest_;
  std::set<std::string> initially_done_;  // in the manifest at start
  std::set<std::string> taken_;           // read by this process (reading thread only)
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
  if (a.inputs.empty() && a.watch.empty()) a.inputs.push_back("-");
  const Clock::time_point start = Clock::now();
  auto feed = Feed::Open(a.state, a.options);
  if (!feed.ok()) return ReportFailure("feed", feed.status());
  const double open_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // Only a regular file can be reconciled (read back): a pipe or a device such as /dev/stdout is
  // written to as it is.
  struct stat output_stat {};
  const bool regular_output = a.output != "-" && (::stat(a.output.c_str(), &output_stat) != 0 ||
                                                  S_ISREG(output_stat.st_mode));
  if (regular_output && !a.options.read_only) {
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
    bool flush = false;     // the input went quiet: run the merges pending (--merge-every)
    Status error;           // what stopped the reading (not OK: exit with its code)
    std::string done_file;  // a watched file fully read: mark it once its answers are out
    uint64_t done_records = 0;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Item> queue;
  bool stop = false;
  constexpr size_t kQueue = 64;
  FeedPreparer preparer = feed.value()->NewPreparer();
  uint64_t skip = a.resume && !a.options.read_only ? feed.value()->answered() : 0;
  std::unique_ptr<WatchedDir> watched;
  if (!a.watch.empty()) {
    auto manifest = WatchedManifest::Load(a.state);
    if (!manifest.ok()) return ReportFailure("feed", manifest.status());
    watched = std::make_unique<WatchedDir>(a.watch, std::move(manifest.value()));
    if (!watched->Exists()) {
      std::fprintf(stderr, "samestory feed: error: --watch %s is not a directory\n",
                   a.watch.c_str());
      return 1;
    }
    watched->Snapshot();
    if (!a.inputs.empty() || a.options.read_only) {
      std::fprintf(stderr, "samestory feed: error: --watch reads only the watched directory (no "
                           "input files, no --read-only)\n");
      return 1;
    }
    if (watched->records() > feed.value()->answered()) {
      std::fprintf(stderr,
                   "samestory feed: error: the state answered %llu records but its manifest of "
                   "watched files lists %llu: not this state's manifest\n",
                   static_cast<unsigned long long>(feed.value()->answered()),
                   static_cast<unsigned long long>(watched->records()));
      return 1;
    }
    skip = feed.value()->answered() - watched->records();
  }
  auto push = [&](Item item) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return queue.size() < kQueue || stop; });
    if (stop) return false;
    queue.push_back(std::move(item));
    cv.notify_all();
    return true;
  };
  // Reads one input, pushing its records (the first `skip` non-blank ones were answered before);
  // counts its non-blank lines in *records. False when the reader must stop.
  std::string line;
  // --resume: the records skipped must be the ones the state answered (the digest of their lines
  // matches), or the input is another one. A watched directory's files were checked when read.
  const bool check_skipped = skip > 0 && !watched;
  uint64_t skipped_digest = 0;
  const size_t max_bytes = a.options.dedup.reader.max_record_bytes;
  auto stop_reading = [&](Status why) {
    Item item;
    item.end = true;
    item.error = std::move(why);
    push(std::move(item));
    return false;
  };
  auto read_input = [&](const std::string& path, uint64_t* records) {
    auto lines = LineSource::Open(path);
    if (!lines.ok()) return stop_reading(lines.status());
    LineSource::Line line;
    while (lines.value()->Next(max_bytes, &line)) {
      if (line.blank) continue;
      ++*records;
      if (skip > 0) {  // answered before (--resume, or a restart on a watched directory)
        --skip;
        if (check_skipped) {
          skipped_digest = Feed::ChainDigest(skipped_digest, line.text,
                                             line.too_large ? line.bytes : 0);
          if (skip == 0 && skipped_digest != feed.value()->input_digest()) {
            return stop_reading(Status::InvalidArgument(
                "--resume: the first " + std::to_string(feed.value()->answered()) +
                " records of the input are not the ones the state answered: another input"));
          }
        }
        continue;
      }
      Item item;
      const Clock::time_point p0 = Clock::now();
      item.record = line.too_large ? preparer.PrepareTooLarge(line.number, line.bytes)
                                   : preparer.Prepare(line.text, line.number);
      if (!line.terminated && item.record.error().starts_with("invalid JSON")) {
        // The input ended inside a record (a writer died mid-line): not answered, so that a
        // --resume on the whole record answers it.
        return stop_reading(Status::Corruption(
            path + ": the input ends inside a record (line " + std::to_string(line.number) +
            " has no newline and is not a complete JSON record): not answered"));
      }
      item.prepare_ms = std::chrono::duration<double, std::milli>(Clock::now() - p0).count();
      if (!push(std::move(item))) return false;
    }
    if (!lines.value()->status().ok()) return stop_reading(lines.value()->status());
    return true;
  };
  std::thread reader([&] {
    uint64_t read = 0;
    for (const std::string& input : a.inputs) {
      uint64_t records = 0;
      if (!read_input(input, &records)) return;
      read += records;
    }
    if (check_skipped && skip > 0) {
      stop_reading(Status::InvalidArgument(
          "--resume: the input has " + std::to_string(read) + " records but the state answered " +
          std::to_string(feed.value()->answered()) + ": another input"));
      return;
    }
    auto flush = [&] {
      Item item;
      item.flush = true;
      return push(std::move(item));
    };
    if (!a.inputs.empty() && !flush()) return;
    // The watched directory: files in name order, polled until --idle-exit passes without one.
    Clock::time_point idle_since = Clock::now();
    bool flushed = true;
    while (watched) {
      const std::vector<std::string> pending = watched->Pending();
      if (pending.empty()) {
        if (!flushed && !flush()) return;
        flushed = true;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (stop) return;
        }
        const double idle = std::chrono::duration<double>(Clock::now() - idle_since).count();
        if (a.idle_exit > 0 && idle >= a.idle_exit) break;
        std::this_thread::sleep_for(std::chrono::duration<double>(a.poll_seconds));
        continue;
      }
      flushed = false;
      for (const std::string& name : pending) {
        watched->Take(name);
        uint64_t records = 0;
        if (!read_input(watched->Path(name), &records)) return;
        Item done;
        done.done_file = name;
        done.done_records = records;
        if (!push(std::move(done))) return;
      }
      idle_since = Clock::now();
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
      if (!item.error.ok()) code = ReportFailure("feed", item.error);
      break;
    }
    if (!item.done_file.empty()) {
      // Every answer of the file is logged and written: it is done.
      if (std::fflush(out) != 0) {
        std::fprintf(stderr, "samestory feed: error: cannot write %s\n", a.output.c_str());
        code = 1;
        break;
      }
      if (Status ms = watched->MarkDone(item.done_file, item.done_records); !ms.ok()) {
        code = ReportFailure("feed", ms);
        break;
      }
      continue;
    }
    const Clock::time_point t0 = Clock::now();
    auto decision =
        item.flush ? feed.value()->Flush() : feed.value()->Process(std::move(item.record));
    if (!decision.ok()) {
      code = ReportFailure("feed", decision.status());
      break;
    }
    if (decision->empty()) continue;
    decision->push_back('\n');
    if (std::fwrite(decision->data(), 1, decision->size(), out) != decision->size() ||
        std::fflush(out) != 0) {
      // The answer is in the state but not delivered: stop (with -o FILE, the next run writes
      // it first; on a stream, the answers delivered are the state's first answered() - 1).
      std::fprintf(stderr,
                   "samestory feed: error: cannot write %s: %s; the state answered %llu records, "
                   "the last of them not delivered\n",
                   a.output == "-" ? "standard output" : a.output.c_str(), std::strerror(errno),
                   static_cast<unsigned long long>(feed.value()->answered()));
      code = 1;
      break;
    }
    if (Status cs = feed.value()->Checkpoint(); !cs.ok()) {
      code = ReportFailure("feed", cs);
      break;
    }
    // Latency per article: its preparation plus its decision, answer written (time spent
    // waiting in the queue behind earlier records is not counted).
    if (item.flush) continue;
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
                 "story merges, %llu repeated answers), %llu recovered from the log on start "
                 "(%.3f s)\n"
                 "  window: %llu articles for duplicates, %llu for stories; %llu snapshots\n"
                 "  seconds %.3f, %.0f articles/s, latency ms p50 %.3f p99 %.3f max %.3f\n",
                 static_cast<unsigned long long>(s.records),
                 static_cast<unsigned long long>(s.bad_records),
                 static_cast<unsigned long long>(s.duplicates),
                 static_cast<unsigned long long>(s.new_stories),
                 static_cast<unsigned long long>(s.merges),
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
  cmd->add_option("--watch", args->watch,
                  "Watch this directory for new .jsonl/.jsonl.gz files and answer them in name "
                  "order, each once, across restarts (write a file as .name, then rename it)");
  cmd->add_option("--poll-seconds", args->poll_seconds, "How often --watch lists the directory")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 3600.0));
  cmd->add_option("--idle-exit", args->idle_exit,
                  "With --watch: stop after this many seconds without a new file (default: "
                  "never)")
      ->check(CLI::Range(0.0, 1e9));
  cmd->add_option("-o,--output", args->output,
                  "Decisions, appended, one JSON line per record (default stdout)");
  cmd->add_option("--threshold", o.dedup.dedup.rule.threshold,
                  "Copies: share of the shorter text's character grams the longer must hold")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--story-threshold", o.cluster.threshold,
                  "Minimum average-link score to join a story")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--join-threshold", o.cluster.join_threshold,
                  "Stories of --join-min-size or more articles merge while the mean cosine of "
                  "their cross pairs is at least this (0: no join)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--join-min-size", o.cluster.join_min_size, "Smallest story the join compares")
      ->capture_default_str()
      ->check(CLI::Range(2, 1 << 30));
  cmd->add_option("--merge-every", o.merge_every,
                  "Originals between merge passes (1: each answer already holds its merges)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
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

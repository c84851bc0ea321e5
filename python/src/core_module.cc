// samestory._core: the pybind11 binding of the library (include/samestory/). The Python package
// (python/samestory/__init__.py) turns records into JSON text and results into numpy arrays; this
// file only maps options, runs the library with the GIL released, and converts results.
// Every rule stays in the library: records supplied from Python are read by the same reader as a
// file's lines (JsonlReader::FromRecords), and results are written by the same writer.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "samestory/eval.h"
#include "samestory/feed.h"
#include "samestory/pipeline.h"

namespace py = pybind11;

namespace samestory::python {
namespace {

// Library errors to Python exceptions, at the boundary, once.
[[noreturn]] void Raise(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument:
      throw py::value_error(s.message());
    case Status::Code::kNotFound:
      PyErr_SetString(PyExc_FileNotFoundError, s.message().c_str());
      throw py::error_already_set();
    case Status::Code::kIOError:
    case Status::Code::kCorruption:
      PyErr_SetString(PyExc_OSError, s.message().c_str());
      throw py::error_already_set();
    case Status::Code::kCancelled:
      PyErr_SetString(PyExc_KeyboardInterrupt, s.message().c_str());
      throw py::error_already_set();
    default:
      throw std::runtime_error(s.ToString());
  }
}

template <typename T>
T Take(Result<T> r) {
  if (!r.ok()) Raise(r.status());
  return std::move(r.value());
}

// Keyword options: name -> setter. Names are the CLI's flags with underscores.
template <typename Options>
using Setters = std::map<std::string, std::function<void(Options&, py::handle)>>;

template <typename Options>
void Apply(const Setters<Options>& setters, const py::dict& kwargs, Options* o) {
  for (auto [key, value] : kwargs) {
    const std::string name = py::str(key);
    auto it = setters.find(name);
    if (it == setters.end()) throw py::type_error("unexpected keyword argument '" + name + "'");
    if (value.is_none()) continue;  // None = the default
    it->second(*o, value);
  }
}

#define SETTER(name, field) \
  { name, [](auto& o, py::handle v) { o.field = v.cast<decltype(o.field)>(); } }

void AddDedupSetters(Setters<DedupPipelineOptions>* s) {
  s->insert({
      SETTER("threshold", dedup.rule.threshold),
      SETTER("short_threshold", dedup.rule.short_threshold),
      SETTER("window_hours", dedup.rule.window_hours),
      SETTER("short_words", dedup.rule.short_words),
      SETTER("short_window_hours", dedup.rule.short_window_hours),
      SETTER("correction_hours", dedup.rule.correction_hours),
      SETTER("correction_ratio", dedup.rule.correction_ratio),
      SETTER("name_ratio", dedup.rule.name_ratio),
      SETTER("min_compared", dedup.rule.min_compared),
      SETTER("check_facts", dedup.rule.check_facts),
      SETTER("check_titles", dedup.rule.check_titles),
      SETTER("gram", fingerprint.gram_bytes),
      SETTER("sketch_bins", fingerprint.sketch_bins),
      SETTER("anchors", fingerprint.anchors),
      SETTER("sample_rate", fingerprint.sample_rate),
      SETTER("seed", fingerprint.seed),
      SETTER("lsh_threshold", dedup.lsh_threshold),
      SETTER("bands", dedup.bands),
      SETTER("rows", dedup.rows),
      SETTER("n_jobs", threads),
      SETTER("id_field", reader.id_field),
      SETTER("max_record_bytes", reader.max_record_bytes),
      SETTER("batch_size", batch_size),
      SETTER("memory_limit", memory_limit),
      {"exact", [](DedupPipelineOptions& o, py::handle v) {
         o.dedup.mode = v.cast<bool>() ? DedupMode::kExact : DedupMode::kLsh;
       }},
      {"fold_accents", [](DedupPipelineOptions& o, py::handle v) {
         o.text.accents = v.cast<bool>() ? AccentFolding::kFold : AccentFolding::kKeep;
       }},
      {"keep_elisions", [](DedupPipelineOptions& o, py::handle v) {
         o.text.elisions = v.cast<bool>() ? Elisions::kKeep : Elisions::kSplit;
       }},
  });
}

const Setters<DedupPipelineOptions>& DedupSetters() {
  static const Setters<DedupPipelineOptions> setters = [] {
    Setters<DedupPipelineOptions> s;
    AddDedupSetters(&s);
    return s;
  }();
  return setters;
}

const Setters<ClusterPipelineOptions>& ClusterSetters() {
  static const Setters<ClusterPipelineOptions> setters = [] {
    Setters<ClusterPipelineOptions> s = {
        SETTER("story_threshold", cluster.threshold),
        SETTER("index", cluster.index),
        SETTER("knn", cluster.knn),
        SETTER("candidates", cluster.candidates),
        SETTER("join_threshold", cluster.join_threshold),
        SETTER("join_min_size", cluster.join_min_size),
        SETTER("edge_floor", cluster.edge_floor),
        SETTER("dim", cluster.dim),
        SETTER("projection_seed", cluster.seed),
        SETTER("window_days", cluster.window_days),
        SETTER("date_slack_days", cluster.date_slack_days),
        SETTER("title_weight", tfidf.title_weight),
        SETTER("capital_weight", tfidf.capital_weight),
        SETTER("max_df", tfidf.max_df),
        SETTER("min_df", tfidf.min_df),
        SETTER("model", model),
        SETTER("summarize_stories", summarize_stories),
        {"stemming", [](ClusterPipelineOptions& o, py::handle v) {
           o.tfidf.stemming = v.cast<bool>() ? Stemming::kByLanguage : Stemming::kNone;
         }},
    };
    for (const auto& [name, set] : DedupSetters()) {
      s[name] = [set](ClusterPipelineOptions& o, py::handle v) { set(o.dedup, v); };
    }
    return s;
  }();
  return setters;
}

const Setters<FeedOptions>& FeedSetters() {
  static const Setters<FeedOptions> setters = [] {
    Setters<FeedOptions> s = {
        SETTER("story_threshold", cluster.threshold),
        SETTER("join_threshold", cluster.join_threshold),
        SETTER("join_min_size", cluster.join_min_size),
        SETTER("merge_every", merge_every),
        SETTER("dup_window_days", dup_window_days),
        SETTER("story_window_days", story_window_days),
        SETTER("snapshot_every", snapshot_every),
        SETTER("sync_every", sync_every),
        SETTER("read_only", read_only),
        {"stemming", [](FeedOptions& o, py::handle v) {
           o.tfidf.stemming = v.cast<bool>() ? Stemming::kByLanguage : Stemming::kNone;
         }},
    };
    for (const char* name : {"threshold", "id_field", "max_record_bytes", "fold_accents"}) {
      auto set = DedupSetters().at(name);
      s[name] = [set](FeedOptions& o, py::handle v) { set(o.dedup, v); };
    }
    return s;
  }();
  return setters;
}

#undef SETTER

// Records from Python: `next_batch()` returns a list of JSON texts (str or bytes), or None at
// the end. Called with the GIL taken, from whichever thread reads; an exception it raises ends
// the input and is raised again to the caller once the run returns.
class PythonRecords {
 public:
  explicit PythonRecords(py::object next_batch) : next_batch_(std::move(next_batch)) {}
  ~PythonRecords() {
    py::gil_scoped_acquire gil;
    next_batch_ = py::object();
    error_.reset();
  }

  Status Next(SuppliedRecord* record, bool* done) {
    while (pos_ == batch_.size()) {
      if (ended_) {
        *done = true;
        return Status::OK();
      }
      py::gil_scoped_acquire gil;
      try {
        py::object got = next_batch_();
        batch_.clear();
        pos_ = 0;
        if (got.is_none()) {
          ended_ = true;
          continue;
        }
        for (py::handle item : got) batch_.push_back(item.cast<std::string>());
      } catch (py::error_already_set& e) {
        error_ = std::make_shared<py::error_already_set>(std::move(e));
        ended_ = true;
        return Status::IOError("the records raised an exception");
      } catch (const py::cast_error&) {
        error_ = std::make_shared<py::error_already_set>([] {
          PyErr_SetString(PyExc_TypeError, "a record is not JSON text (str or bytes)");
          return py::error_already_set();
        }());
        ended_ = true;
        return Status::InvalidArgument("a record is not text");
      }
    }
    record->text = std::move(batch_[pos_++]);
    return Status::OK();
  }

  // Raises the records' own exception, if they raised one. REQUIRES: the GIL is held.
  void RaiseIfFailed() {
    if (error_) {
      py::error_already_set e = *error_;
      error_.reset();
      throw e;
    }
  }

 private:
  py::object next_batch_;
  std::vector<std::string> batch_;
  size_t pos_ = 0;
  bool ended_ = false;
  std::shared_ptr<py::error_already_set> error_;
};

// Ctrl-C: the run asks between batches; a pending signal's exception is kept and raised once the
// run has returned.
struct Interrupts {
  std::shared_ptr<py::error_already_set> error;
  py::object progress;  // None, or callable(records, bytes)

  RunHooks Hooks() {
    RunHooks hooks;
    hooks.cancelled = [this] {
      py::gil_scoped_acquire gil;
      if (error) return true;
      if (PyErr_CheckSignals() != 0) {
        error = std::make_shared<py::error_already_set>();
        return true;
      }
      return false;
    };
    if (!progress.is_none()) {
      hooks.progress = [this](uint64_t records, uint64_t bytes) {
        py::gil_scoped_acquire gil;
        if (error) return;
        try {
          progress(records, bytes);
        } catch (py::error_already_set& e) {
          error = std::make_shared<py::error_already_set>(std::move(e));
        }
      };
    }
    return hooks;
  }
  void RaiseIfInterrupted() {
    if (error) {
      py::error_already_set e = *error;
      error.reset();
      throw e;
    }
  }
  ~Interrupts() {
    py::gil_scoped_acquire gil;
    error.reset();
  }
};

// The input: a path (str), or a callable giving batches of JSON texts.
Result<std::unique_ptr<JsonlReader>> OpenInput(const py::object& input, const ReaderOptions& o,
                                               std::shared_ptr<PythonRecords>* records) {
  if (py::isinstance<py::str>(input)) return JsonlReader::Open(input.cast<std::string>(), o);
  *records = std::make_shared<PythonRecords>(input);
  std::shared_ptr<PythonRecords> r = *records;
  return JsonlReader::FromRecords(
      [r](SuppliedRecord* record, bool* done) { return r->Next(record, done); }, o);
}

template <typename T>
py::array_t<T> Array(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}

// The representative (or story) as a record index, -1 for records with an error.
py::array_t<int64_t> Labels(const std::vector<uint32_t>& index, const DedupResult& r) {
  py::array_t<int64_t> out(static_cast<py::ssize_t>(index.size()));
  auto w = out.mutable_unchecked<1>();
  for (size_t i = 0; i < index.size(); ++i) {
    w(static_cast<py::ssize_t>(i)) =
        r.errors[i].empty() && index[i] != UINT32_MAX ? static_cast<int64_t>(index[i]) : -1;
  }
  return out;
}

py::dict SummaryDict(const DedupSummary& s) {
  py::dict d;
  d["articles"] = s.articles;
  d["input_bytes"] = s.input_bytes;
  d["bad_records"] = s.bad_records;
  d["warnings"] = s.warnings;
  d["short_articles"] = s.short_articles;
  d["groups"] = s.groups;
  d["articles_in_groups"] = s.articles_in_groups;
  d["candidates"] = s.candidates;
  d["accepted"] = s.accepted;
  d["lsh_bands"] = s.lsh.bands;
  d["lsh_rows"] = s.lsh.rows;
  d["threads"] = s.threads;
  d["seconds"] = py::dict(py::arg("read") = s.seconds.read,
                          py::arg("fingerprint") = s.seconds.fingerprint,
                          py::arg("group") = s.seconds.group, py::arg("total") = s.seconds.total);
  d["peak_rss_bytes"] = s.memory.peak_rss;
  return d;
}

py::dict RecordsDict(const DedupResult& r) {
  py::dict d;
  d["ids"] = py::cast(r.ids);
  d["lines"] = Array(r.lines);
  d["errors"] = py::cast(r.errors);
  d["warnings"] = py::cast(r.warnings);
  d["labels"] = Labels(r.representative, r);
  d["score"] = Array(r.score);
  std::vector<uint8_t> kind(r.kind.size());
  for (size_t i = 0; i < kind.size(); ++i) kind[i] = static_cast<uint8_t>(r.kind[i]);
  d["kind"] = Array(kind);
  d["short"] = Array(r.is_short);
  d["input_error"] = r.input_status.ok() ? std::string() : r.input_status.ToString();
  return d;
}

// A finished run, held for its arrays and its JSON Lines.
struct DedupRun {
  DedupResult result;
};
struct ClusterRun {
  ClusterResult result;
};

// One run from Python: options from keyword arguments, the input opened, the GIL released for
// the run, the records' or Ctrl-C's exception raised after it. `run(reader, options, hooks)`.
template <typename Options, typename Run>
auto RunFromPython(const Setters<Options>& setters, const py::object& input,
                   const py::dict& kwargs, const py::object& progress, Run run) {
  Options options;
  Apply(setters, kwargs, &options);
  if (Status s = options.Validate(); !s.ok()) Raise(s);
  const ReaderOptions* reader_options;
  if constexpr (std::is_same_v<Options, ClusterPipelineOptions>) {
    reader_options = &options.dedup.reader;
  } else {
    reader_options = &options.reader;
  }
  std::shared_ptr<PythonRecords> records;
  auto reader = Take(OpenInput(input, *reader_options, &records));
  Interrupts interrupts{nullptr, progress};
  RunHooks hooks = interrupts.Hooks();
  decltype(run(*reader, options, hooks)) result = Status::Internal("not run");
  {
    py::gil_scoped_release release;
    result = run(*reader, options, hooks);
  }
  if (records) records->RaiseIfFailed();
  interrupts.RaiseIfInterrupted();
  return Take(std::move(result));
}

std::shared_ptr<DedupRun> RunDedupFromPython(const py::object& input, const py::dict& kwargs,
                                             const py::object& progress) {
  return std::make_shared<DedupRun>(DedupRun{RunFromPython(
      DedupSetters(), input, kwargs, progress,
      [](JsonlReader& r, const DedupPipelineOptions& o, const RunHooks& h) {
        return Dedup(r, o, h);
      })});
}

std::shared_ptr<ClusterRun> RunClusterFromPython(const py::object& input, const py::dict& kwargs,
                                                 const py::object& progress) {
  return std::make_shared<ClusterRun>(ClusterRun{RunFromPython(
      ClusterSetters(), input, kwargs, progress,
      [](JsonlReader& r, const ClusterPipelineOptions& o, const RunHooks& h) {
        return Cluster(r, o, h);
      })});
}

py::dict RunFingerprintFromPython(const py::object& input, const py::dict& kwargs,
                                  const py::object& progress) {
  FingerprintResult r = RunFromPython(
      DedupSetters(), input, kwargs, progress,
      [](JsonlReader& reader, const DedupPipelineOptions& o, const RunHooks& h) {
        return Fingerprint(reader, o, h);
      });
  const auto n = static_cast<py::ssize_t>(r.ids.size());
  py::dict d;
  d["ids"] = py::cast(r.ids);
  d["errors"] = py::cast(r.errors);
  d["signatures"] = py::array_t<uint32_t>({n, static_cast<py::ssize_t>(r.sketch_bins)},
                                          r.sketches.data());
  d["band_keys"] = py::array_t<uint32_t>({n, static_cast<py::ssize_t>(r.key_columns)},
                                         r.keys.data());
  d["bands"] = r.bands;
  d["text_hash"] = Array(r.text_hash);
  d["short"] = Array(r.is_short);
  d["input_error"] = r.input_status.ok() ? std::string() : r.input_status.ToString();
  return d;
}

py::list StoriesList(const ClusterResult& r) {
  py::list out;
  for (const StorySummary& s : r.stories) {
    py::dict d;
    d["story"] = r.records.ids[s.story];
    d["index"] = s.story;
    d["size"] = s.size;
    d["first_date"] = s.first_date ? py::cast(FormatIsoDate(*s.first_date)) : py::none();
    d["last_date"] = s.last_date ? py::cast(FormatIsoDate(*s.last_date)) : py::none();
    d["title"] = s.title;
    d["top_terms"] = py::cast(s.top_terms);
    out.append(d);
  }
  return out;
}

py::dict ScoresDict(const ClusteringScores& s) {
  py::dict d;
  d["documents"] = s.documents;
  d["gold_clusters"] = s.gold_clusters;
  d["pred_clusters"] = s.pred_clusters;
  d["missing_in_pred"] = s.missing_in_pred;
  d["pair_precision"] = s.pair_p;
  d["pair_recall"] = s.pair_r;
  d["pair_f1"] = s.pair_f1;
  d["bcubed_precision"] = s.bcubed_p;
  d["bcubed_recall"] = s.bcubed_r;
  d["bcubed_f1"] = s.bcubed_f1;
  d["ari"] = s.ari;
  d["nmi"] = s.nmi;
  return d;
}

// The feed, one record at a time: the CLI's answers and merge records, as JSON text.
class PyFeed {
 public:
  PyFeed(const std::string& dir, const py::dict& kwargs) {
    FeedOptions options;
    Apply(FeedSetters(), kwargs, &options);
    Result<std::unique_ptr<Feed>> feed = Status::Internal("not opened");
    {
      py::gil_scoped_release release;
      feed = Feed::Open(dir, options);
    }
    feed_ = Take(std::move(feed));
  }
  // The answer and its merge records, one a line; then a checkpoint (the answer is delivered).
  std::string Process(const std::string& line) {
    Live();
    Result<std::string> answer = Status::Internal("not run");
    {
      py::gil_scoped_release release;
      answer = feed_->Process(line, feed_->answered() + 1);
      if (answer.ok()) {
        if (Status s = feed_->Checkpoint(); !s.ok()) answer = s;
      }
    }
    return Take(std::move(answer));
  }
  std::string Flush() {
    Live();
    Result<std::string> merges = Status::Internal("not run");
    {
      py::gil_scoped_release release;
      merges = feed_->Flush();
    }
    return Take(std::move(merges));
  }
  void Snapshot() {
    Live();
    py::gil_scoped_release release;
    Status s = feed_->Snapshot();
    if (!s.ok()) {
      py::gil_scoped_acquire gil;
      Raise(s);
    }
  }
  void Close() {
    if (!feed_) return;
    Status s;
    {
      py::gil_scoped_release release;
      s = feed_->Close();
      feed_.reset();
    }
    if (!s.ok()) Raise(s);
  }
  uint64_t Answered() {
    Live();
    return feed_->answered();
  }
  py::dict Stats() {
    Live();
    const FeedStats& s = feed_->stats();
    py::dict d;
    d["records"] = s.records;
    d["bad_records"] = s.bad_records;
    d["duplicates"] = s.duplicates;
    d["new_stories"] = s.new_stories;
    d["merges"] = s.merges;
    d["replayed"] = s.replayed;
    d["recovered"] = s.recovered;
    return d;
  }

 private:
  void Live() const {
    if (!feed_) throw py::value_error("the feed is closed");
  }
  std::unique_ptr<Feed> feed_;
};

}  // namespace
}  // namespace samestory::python

PYBIND11_MODULE(_core, m) {
  using namespace samestory;
  using namespace samestory::python;
  m.doc() = "samestory's C++ core; use the `samestory` package, not this module.";

  py::class_<DedupRun, std::shared_ptr<DedupRun>>(m, "DedupRun")
      .def("records", [](const DedupRun& r) { return RecordsDict(r.result); })
      .def("summary", [](const DedupRun& r) { return SummaryDict(r.result.summary); })
      .def("to_jsonl", [](const DedupRun& r) { return py::bytes(ToJsonLines(r.result)); });
  py::class_<ClusterRun, std::shared_ptr<ClusterRun>>(m, "ClusterRun")
      .def("records", [](const ClusterRun& r) {
        py::dict d = RecordsDict(r.result.records);
        d["story"] = Labels(r.result.story, r.result.records);
        return d;
      })
      .def("summary", [](const ClusterRun& r) {
        py::dict d = SummaryDict(r.result.records.summary);
        d["stories"] = r.result.summary.stories;
        d["articles_in_stories"] = r.result.summary.articles_in_stories;
        d["terms"] = r.result.summary.terms;
        d["edges"] = r.result.summary.edges;
        d["vectors"] = r.result.summary.cluster.documents;
        d["largest_component"] = r.result.summary.cluster.largest_component;
        d["index"] = r.result.summary.index;
        d["cluster_seconds"] = r.result.summary.cluster_seconds;
        return d;
      })
      .def("stories", [](const ClusterRun& r) { return StoriesList(r.result); })
      .def("to_jsonl", [](const ClusterRun& r) { return py::bytes(ToJsonLines(r.result)); });

  m.def("dedup", &RunDedupFromPython, py::arg("input"), py::arg("options"),
        py::arg("progress") = py::none());
  m.def("cluster", &RunClusterFromPython, py::arg("input"), py::arg("options"),
        py::arg("progress") = py::none());
  m.def("fingerprint", &RunFingerprintFromPython, py::arg("input"), py::arg("options"),
        py::arg("progress") = py::none());
  m.def("option_names", [](const std::string& mode) {
    std::vector<std::string> names;
    if (mode == "dedup") for (const auto& [k, v] : DedupSetters()) names.push_back(k);
    else if (mode == "cluster") for (const auto& [k, v] : ClusterSetters()) names.push_back(k);
    else if (mode == "feed") for (const auto& [k, v] : FeedSetters()) names.push_back(k);
    else throw py::value_error("mode is dedup, cluster or feed");
    return names;
  });
  m.def("score", [](const std::vector<std::string>& gold, const std::vector<std::string>& pred) {
    return ScoresDict(Take(ScoreClustering(gold, pred)));
  });

  py::class_<PyFeed>(m, "Feed")
      .def(py::init<const std::string&, const py::dict&>())
      .def("process", &PyFeed::Process)
      .def("flush", &PyFeed::Flush)
      .def("snapshot", &PyFeed::Snapshot)
      .def("close", &PyFeed::Close)
      .def("answered", &PyFeed::Answered)
      .def("stats", &PyFeed::Stats);
}

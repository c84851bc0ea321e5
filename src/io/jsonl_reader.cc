// JSON Lines reader: LineReader for bytes, simdjson On-Demand for records.
#include <simdjson.h>
#include <xxhash.h>

#include <string>
#include <unordered_map>

#include "io/line_reader.h"
#include "samestory/reader.h"

namespace samestory {

Status ReaderOptions::Validate() const {
  if (id_field.empty()) return Status::InvalidArgument("id_field must not be empty");
  if (max_record_bytes < 1024 || max_record_bytes > (size_t{1} << 30)) {
    return Status::InvalidArgument("max_record_bytes must be in [1 KiB, 1 GiB]");
  }
  return Status::OK();
}

namespace {

using internal::LineReader;
namespace dom = simdjson::dom;

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

std::string JsonError(simdjson::error_code e) {
  if (e == simdjson::UTF8_ERROR) return "invalid UTF-8";
  return std::string("invalid JSON: ") + simdjson::error_message(e);
}

// Record parsing shared by JsonlReader and RecordParser.
class RecordParserCore {
 public:
  explicit RecordParserCore(const ReaderOptions& options) : options_(options) {}
  const ReaderOptions& options() const { return options_; }

  // Fills *d from one JSON line; sets d->error on a bad record. The DOM API (not On-Demand) is
  // used on purpose: it dispatches at run time to the best kernel (AVX2/AVX-512), while On-Demand
  // is compiled for the build's -march, which for a portable build is the scalar fallback.
  // `padded`: at least simdjson::SIMDJSON_PADDING readable bytes follow `text` (no copy needed).
  void Parse(std::string_view text, Document* d, bool padded) {
    dom::element root;
    auto err = parser_.parse(text.data(), text.size(), /*realloc_if_needed=*/!padded).get(root);
    if (err) return void(d->error = JsonError(err));
    dom::object obj;
    if (root.get_object().get(obj)) return void(d->error = "record is not a JSON object");
    std::string_view date_text;
    bool have_id = false;
    int body_rank = 0;  // 3 text, 2 body, 1 content: the first non-empty in that order wins
    for (dom::key_value_pair field : obj) {
      const std::string_view key = field.key;
      if (key == options_.id_field) {
        if (!ReadId(field.value, d)) return;
        have_id = true;
        continue;
      }
      const int rank = key == "text" ? 3 : key == "body" ? 2 : key == "content" ? 1 : 0;
      std::string* target = nullptr;
      if (key == "title") target = &d->title;
      else if (key == "lang") target = &d->lang;
      else if (key == "source") target = &d->source;
      if (key != "date" && target == nullptr && rank == 0) continue;  // unknown fields allowed
      if (key == "date" && !field.value.is_null() && !field.value.is_string()) {
        // An unusable date costs the record its date, not its place in the output.
        d->warning = "date is not a string; ignored";
        continue;
      }
      std::string_view s;
      if (!ReadOptionalString(field.value, &s, d, key)) return;
      if (key == "date") {
        date_text = s;
      } else if (rank > 0) {
        if (!s.empty() && rank > body_rank) {
          d->text.assign(s);
          body_rank = rank;
        }
      } else {
        target->assign(s);
      }
    }
    if (!have_id) return void(d->error = "missing id (field \"" + options_.id_field + "\")");
    if (d->title.empty() && d->text.empty()) {
      return void(d->error = "empty article: no title and no text");
    }
    if (!date_text.empty()) {
      d->date = ParseIsoDate(date_text);
      if (!d->date) d->warning = "unparseable date \"" + std::string(date_text) + "\" ignored";
    }
  }

  // A string, or null (read as ""). Anything else is a bad record.
  static bool ReadOptionalString(dom::element value, std::string_view* out, Document* d,
                                 std::string_view key) {
    if (value.is_null()) {
      *out = {};
      return true;
    }
    if (value.get_string().get(*out)) {
      d->error = "field \"" + std::string(key) + "\" is not a string";
      return false;
    }
    return true;
  }

  static bool ReadId(dom::element value, Document* d) {
    std::string_view s;
    int64_t i;
    uint64_t u;
    if (!value.get_string().get(s)) {
      d->id.assign(s);
    } else if (!value.get_int64().get(i)) {
      d->id = std::to_string(i);
    } else if (!value.get_uint64().get(u)) {
      d->id = std::to_string(u);
    } else {
      d->error = "id must be a string or an integer";
      return false;
    }
    if (d->id.empty()) return d->error = "empty id", false;
    return true;
  }

  ReaderOptions options_;
  dom::parser parser_;
};

class JsonlReaderImpl final : public JsonlReader {
 public:
  JsonlReaderImpl(std::unique_ptr<LineReader> lines, const ReaderOptions& options)
      : lines_(std::move(lines)), options_(options), parser_(options) {}

  Status ReadBatch(size_t max_docs, std::vector<Document>* docs) override {
    assert(max_docs > 0);
    docs->clear();
    LineReader::Line line;
    while (docs->size() < max_docs && lines_->Next(options_.max_record_bytes, &line)) {
      std::string_view text = line.text;
      // A UTF-8 byte order mark before the first record is an encoding marker, not content.
      if (line.number == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
      if (!line.skipped && IsBlank(text)) continue;
      Document& d = docs->emplace_back();
      d.line = line.number;
      if (line.skipped) {
        d.error = "record too large: " + std::to_string(line.size) + " bytes (limit " +
                  std::to_string(options_.max_record_bytes) + ", see --max-record-bytes)";
      } else {
        parser_.Parse(text, &d, /*padded=*/true);
        if (d.error.empty()) CheckDuplicateId(&d);
      }
      ++stats_.lines;
      if (!d.error.empty()) ++stats_.bad_records;
      if (!d.warning.empty()) ++stats_.warnings;
    }
    stats_.bytes = lines_->bytes();
    return lines_->status();
  }

  const ReaderStats& stats() const override { return stats_; }

 private:
  void CheckDuplicateId(Document* d) {
    if (options_.reject_duplicate_ids) {
      // Ids are remembered by their 64-bit XXH3 hash, 16 bytes an id whatever its length; a false
      // "duplicate" needs a hash collision: about n^2 / 2^65, 3e-6 for ten million ids.
      uint64_t h = XXH3_64bits(d->id.data(), d->id.size());
      auto [it, inserted] = first_line_.try_emplace(h, d->line);
      if (!inserted) {
        d->error = "duplicate id (first seen on line " + std::to_string(it->second) + ")";
      }
    }
  }

  std::unique_ptr<LineReader> lines_;
  ReaderOptions options_;
  RecordParserCore parser_;
  ReaderStats stats_;
  std::unordered_map<uint64_t, uint64_t> first_line_;  // XXH3 of id -> first line
};

}  // namespace

struct RecordParser::Impl {
  explicit Impl(const ReaderOptions& options) : core(options) {}
  RecordParserCore core;
};

RecordParser::RecordParser(const ReaderOptions& options)
    : impl_(std::make_unique<Impl>(options)) {}
RecordParser::~RecordParser() = default;
RecordParser::RecordParser(RecordParser&&) noexcept = default;
RecordParser& RecordParser::operator=(RecordParser&&) noexcept = default;

void RecordParser::Parse(std::string_view line, uint64_t line_no, Document* d) {
  *d = Document();
  d->line = line_no;
  const ReaderOptions& options = impl_->core.options();
  if (line.size() > options.max_record_bytes) {
    d->error = "record too large: " + std::to_string(line.size()) + " bytes (limit " +
               std::to_string(options.max_record_bytes) + ", see --max-record-bytes)";
    return;
  }
  impl_->core.Parse(line, d, /*padded=*/false);
}

Result<std::unique_ptr<JsonlReader>> JsonlReader::Open(std::string_view path,
                                                       const ReaderOptions& options) {
  if (Status s = options.Validate(); !s.ok()) return s;
  auto lines = LineReader::Open(path);
  if (!lines.ok()) return lines.status();
  return std::unique_ptr<JsonlReader>(
      new JsonlReaderImpl(std::move(lines.value()), options));
}

}  // namespace samestory

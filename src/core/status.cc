#include "samestory/status.h"

namespace samestory {

const std::string& Status::message() const {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  const char* name = "Internal";
  switch (state_->code) {
    case Code::kOk: name = "OK"; break;
    case Code::kInvalidArgument: name = "Invalid argument"; break;
    case Code::kIOError: name = "IO error"; break;
    case Code::kCorruption: name = "Corruption"; break;
    case Code::kNotFound: name = "Not found"; break;
    case Code::kInternal: name = "Internal"; break;
    case Code::kCancelled: name = "Cancelled"; break;
  }
  return std::string(name) + ": " + state_->message;
}

}  // namespace samestory

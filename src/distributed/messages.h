// The shuffles' messages: fixed-size values appended to byte strings and read back with a
// cursor (both ends are this build on one architecture), and the owner rank of a hash. Internal.
#ifndef SAMESTORY_DISTRIBUTED_MESSAGES_H_
#define SAMESTORY_DISTRIBUTED_MESSAGES_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "samestory/status.h"

namespace samestory::internal {

// Fixed-size values in and out of messages (both ends are this build on one architecture).
template <typename T>
inline void Put(std::string* out, const T& v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}
inline void PutBytes(std::string* out, std::string_view bytes) {
  Put(out, static_cast<uint32_t>(bytes.size()));
  out->append(bytes);
}

class Cursor {
 public:
  explicit Cursor(std::string_view in) : in_(in) {}
  bool empty() const { return in_.empty(); }
  bool ok() const { return ok_; }
  template <typename T>
  T Get() {
    T v{};
    if (in_.size() < sizeof(T)) {
      ok_ = false;
      in_ = {};
      return v;
    }
    std::memcpy(&v, in_.data(), sizeof(T));
    in_.remove_prefix(sizeof(T));
    return v;
  }
  std::string_view Bytes() {
    const uint32_t n = Get<uint32_t>();
    if (in_.size() < n) {
      ok_ = false;
      in_ = {};
      return {};
    }
    std::string_view out = in_.substr(0, n);
    in_.remove_prefix(n);
    return out;
  }

 private:
  std::string_view in_;
  bool ok_ = true;
};

inline Status Damaged() { return Status::Internal("a rank sent a damaged message"); }

inline uint64_t Mix(uint64_t x) {  // splitmix64's finalizer: owner ranks by hash
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
inline int OwnerOf(uint64_t h, int size) { return static_cast<int>(Mix(h) % static_cast<uint64_t>(size)); }

}  // namespace samestory::internal

#endif  // SAMESTORY_DISTRIBUTED_MESSAGES_H_

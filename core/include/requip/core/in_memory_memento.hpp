#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "requip/core/memento.hpp"

namespace requip {

// A memento that forgets everything when the process ends: the default of a bare Brain and
// a fake for tests. Durable storage lives in requip::memory.
class InMemoryMemento final : public Memento {
 public:
  std::optional<std::string> get(std::string_view space, std::string_view key) const override;
  void put(std::string_view space, std::string_view key, std::string_view value) override;
  bool erase(std::string_view space, std::string_view key) override;
  std::vector<std::string> keys(std::string_view space) const override;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::string, std::less<>> values_;
};

}  // namespace requip

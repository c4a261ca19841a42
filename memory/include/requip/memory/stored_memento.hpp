#pragma once

#include <memory>

#include "requip/core/memento.hpp"

namespace requip::memory {

namespace detail {
class Connection;
}

// The Kokoro's memento kept in the store: what skills remember survives restarts. Values are
// stored byte for byte.
class StoredMemento final : public Memento {
 public:
  explicit StoredMemento(std::shared_ptr<detail::Connection> connection);

  std::optional<std::string> get(std::string_view space, std::string_view key) const override;
  void put(std::string_view space, std::string_view key, std::string_view value) override;
  bool erase(std::string_view space, std::string_view key) override;
  std::vector<std::string> keys(std::string_view space) const override;

 private:
  std::shared_ptr<detail::Connection> connection_;
};

}  // namespace requip::memory

#pragma once

#include <memory>
#include <mutex>
#include <unordered_map>

namespace requip::serve {

// A live client connection the server can ask to wind down.
class Connection {
 public:
  virtual ~Connection() = default;
  // Finish what is in flight, then close. Called from any thread.
  virtual void drain() = 0;
};

// Every open connection, so that a stopping server can drain them all.
class Connections {
 public:
  void add(const std::shared_ptr<Connection>& connection) {
    std::lock_guard lock(mutex_);
    open_[connection.get()] = connection;
  }
  void remove(const Connection* connection) {
    std::lock_guard lock(mutex_);
    open_.erase(connection);
  }
  void drain_all() {
    std::unordered_map<const Connection*, std::weak_ptr<Connection>> open;
    {
      std::lock_guard lock(mutex_);
      open = open_;
    }
    for (const auto& [raw, weak] : open) {
      if (auto connection = weak.lock()) connection->drain();
    }
  }

 private:
  std::mutex mutex_;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> open_;
};

}  // namespace requip::serve

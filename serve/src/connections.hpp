#pragma once

#include <chrono>
#include <condition_variable>
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
    if (open_.empty()) closed_.notify_all();
  }
  // Waits until no connection is open, or `timeout` passes.
  void wait_until_closed(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    closed_.wait_for(lock, timeout, [this] { return open_.empty(); });
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
  std::condition_variable closed_;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> open_;
};

}  // namespace requip::serve

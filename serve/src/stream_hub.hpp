#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace requip::serve {

// Receives what is pushed to one session's WebSocket streams.
class StreamSubscriber {
 public:
  virtual ~StreamSubscriber() = default;
  // Queues a text frame; called from any thread.
  virtual void push(std::shared_ptr<const std::string> message) = 0;
};

// Who listens to which session: turns and reminders of a session are pushed to every stream
// open on it.
class StreamHub {
 public:
  void subscribe(const std::string& session, const std::shared_ptr<StreamSubscriber>& subscriber);
  void unsubscribe(const std::string& session, const StreamSubscriber* subscriber);
  void publish(const std::string& session, std::string message);
  bool watched(const std::string& session) const;
  std::size_t streams() const;

 private:
  struct Entry {
    const StreamSubscriber* address;  // to find the entry while the subscriber is destroyed
    std::weak_ptr<StreamSubscriber> subscriber;
  };

  mutable std::mutex mutex_;
  std::multimap<std::string, Entry> subscribers_;
};

}  // namespace requip::serve

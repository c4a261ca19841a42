#include "stream_hub.hpp"

#include <vector>

namespace requip::serve {

void StreamHub::subscribe(const std::string& session,
                          const std::shared_ptr<StreamSubscriber>& subscriber) {
  std::lock_guard lock(mutex_);
  subscribers_.emplace(session, Entry{subscriber.get(), subscriber});
}

void StreamHub::unsubscribe(const std::string& session, const StreamSubscriber* subscriber) {
  std::lock_guard lock(mutex_);
  auto [first, last] = subscribers_.equal_range(session);
  for (auto at = first; at != last; ++at) {
    if (at->second.address == subscriber) {
      subscribers_.erase(at);
      return;
    }
  }
}

void StreamHub::publish(const std::string& session, std::string message) {
  std::vector<std::shared_ptr<StreamSubscriber>> receivers;
  {
    std::lock_guard lock(mutex_);
    auto [first, last] = subscribers_.equal_range(session);
    for (auto at = first; at != last; ++at) {
      if (auto subscriber = at->second.subscriber.lock())
        receivers.push_back(std::move(subscriber));
    }
  }
  if (receivers.empty()) return;
  const auto shared = std::make_shared<const std::string>(std::move(message));
  for (const auto& receiver : receivers)
    receiver->push(shared);
}

bool StreamHub::watched(const std::string& session) const {
  std::lock_guard lock(mutex_);
  return subscribers_.count(session) > 0;
}

std::size_t StreamHub::streams() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

}  // namespace requip::serve

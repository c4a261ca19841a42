#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

namespace requip::plugins::detail {

// Watches folders for plugin libraries that appear, change or go, on a thread of its own:
// an inotify descriptor read through Asio. Only complete files are reported: a library is
// "written" when the writer closes it (IN_CLOSE_WRITE) or when it is renamed into the folder
// (IN_MOVED_TO), never while half-written.
class FolderWatcher {
 public:
  enum class Change { written, removed };
  // Called on the watcher's thread, for files ending in .so only.
  using Callback = std::function<void(const std::filesystem::path& file, Change change)>;

  // Throws std::runtime_error naming the folder if it cannot be watched.
  FolderWatcher(const std::vector<std::filesystem::path>& folders, Callback callback);
  FolderWatcher(const FolderWatcher&) = delete;
  FolderWatcher& operator=(const FolderWatcher&) = delete;
  ~FolderWatcher();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace requip::plugins::detail

#include "folder_watcher.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>
#include <thread>

#include "requip/core/detail/library_log.hpp"

namespace requip::plugins::detail {

namespace asio = boost::asio;

struct FolderWatcher::State {
  asio::io_context io;
  asio::posix::stream_descriptor stream{io};
  std::map<int, std::filesystem::path> folders;  // by watch descriptor
  Callback callback;
  alignas(inotify_event) std::array<char, 64 * 1024> buffer{};
  std::thread thread;

  void read() {
    stream.async_read_some(asio::buffer(buffer),
                           [this](const boost::system::error_code& error, std::size_t size) {
                             if (error) return;  // cancelled on shutdown
                             dispatch(size);
                             read();
                           });
  }

  void dispatch(std::size_t size) {
    for (std::size_t offset = 0; offset + sizeof(inotify_event) <= size;) {
      inotify_event event;
      std::memcpy(&event, buffer.data() + offset, sizeof(event));
      const char* name = buffer.data() + offset + sizeof(inotify_event);
      offset += sizeof(inotify_event) + event.len;
      auto folder = folders.find(event.wd);
      if (event.len == 0 || folder == folders.end()) continue;
      const std::filesystem::path file = folder->second / name;
      if (file.extension() != ".so") continue;
      const Change change =
          (event.mask & (IN_DELETE | IN_MOVED_FROM)) ? Change::removed : Change::written;
      try {
        callback(file, change);
      } catch (const std::exception& failure) {
        requip::detail::library_log().error("plugin folder watcher: {}: {}", file.string(),
                                            failure.what());
      }
    }
  }
};

FolderWatcher::FolderWatcher(const std::vector<std::filesystem::path>& folders, Callback callback)
    : state_(std::make_unique<State>()) {
  state_->callback = std::move(callback);
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    throw std::runtime_error(std::string("cannot watch plugin folders: inotify_init1: ") +
                             std::strerror(errno));
  }
  state_->stream.assign(fd);  // owns and closes the descriptor from here on
  for (const auto& folder : folders) {
    const int watch = ::inotify_add_watch(fd, folder.c_str(),
                                          IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM);
    if (watch < 0) {
      throw std::runtime_error("cannot watch plugin folder " + folder.string() + ": " +
                               std::strerror(errno) + "; check that it exists and is readable");
    }
    state_->folders.emplace(watch, folder);
  }
  state_->read();
  state_->thread = std::thread([state = state_.get()] { state->io.run(); });
}

FolderWatcher::~FolderWatcher() {
  state_->io.stop();
  if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace requip::plugins::detail

#include "requip/core/log.hpp"

#include <spdlog/sinks/base_sink.h>

#include <cstdio>
#include <memory>
#include <mutex>

#include "requip/core/detail/library_log.hpp"

namespace requip {

namespace {

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return spdlog::level::debug;
    case LogLevel::info:
      return spdlog::level::info;
    case LogLevel::warn:
      return spdlog::level::warn;
    case LogLevel::error:
      return spdlog::level::err;
    case LogLevel::off:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

LogLevel from_spdlog(spdlog::level::level_enum level) {
  if (level <= spdlog::level::debug) return LogLevel::debug;
  if (level == spdlog::level::info) return LogLevel::info;
  if (level == spdlog::level::warn) return LogLevel::warn;
  return LogLevel::error;
}

// Hands each line to the program's sink, or writes it to standard error.
class ForwardingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  void set(LogSink sink) {
    std::lock_guard lock(mutex_);
    sink_ = std::move(sink);
  }

 protected:
  // Called with mutex_ held: one line at a time, as LogSink promises.
  void sink_it_(const spdlog::details::log_msg& message) override {
    if (sink_) {
      sink_(from_spdlog(message.level),
            std::string_view(message.payload.data(), message.payload.size()));
      return;
    }
    spdlog::memory_buf_t formatted;
    formatter_->format(message, formatted);
    std::fwrite(formatted.data(), 1, formatted.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }

 private:
  LogSink sink_;
};

struct LibraryLog {
  std::shared_ptr<ForwardingSink> sink = std::make_shared<ForwardingSink>();
  spdlog::logger logger{"requip", sink};
};

LibraryLog& library() {
  static LibraryLog instance;
  return instance;
}

}  // namespace

spdlog::logger& detail::library_log() {
  return library().logger;
}

void set_log_sink(LogSink sink) {
  library().sink->set(std::move(sink));
}

void set_log_level(LogLevel least) {
  library().logger.set_level(to_spdlog(least));
}

}  // namespace requip

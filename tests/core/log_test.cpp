#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "requip/core/brain.hpp"
#include "requip/core/log.hpp"
#include "scripted_skill.hpp"

using namespace requip;

namespace {

// A brain whose one skill throws in input(): the brain logs the failure as a warning.
struct FailingBrain {
  FailingBrain() {
    auto skill = std::make_shared<test::ScriptedSkill>("brittle");
    skill->on_input = [](const Stimulus&) -> std::optional<Algorithm> {
      throw std::runtime_error("no footing");
    };
    brain.add(skill);
  }
  Brain brain;
};

// Puts the library's defaults back whatever a test set.
struct DefaultLogAfter {
  ~DefaultLogAfter() {
    set_log_sink({});
    set_log_level(LogLevel::info);
  }
};

// Sends file descriptor `fd` to a file for as long as it lives, then reads what was written.
class CapturedFd {
 public:
  CapturedFd(int fd, std::string path) : fd_(fd), path_(std::move(path)), saved_(::dup(fd)) {
    std::fflush(nullptr);
    std::FILE* file = std::fopen(path_.c_str(), "w");
    ::dup2(::fileno(file), fd_);
    std::fclose(file);
  }
  std::string release() {
    std::fflush(nullptr);
    ::dup2(saved_, fd_);
    ::close(saved_);
    std::ifstream in(path_);
    std::stringstream text;
    text << in.rdbuf();
    std::remove(path_.c_str());
    return text.str();
  }

 private:
  int fd_;
  std::string path_;
  int saved_;
};

}  // namespace

TEST_CASE("log: a program's sink receives the library's lines at or above the level it set",
          "[core][log]") {
  DefaultLogAfter restore;
  std::vector<std::pair<LogLevel, std::string>> lines;
  set_log_sink([&lines](LogLevel level, std::string_view line) {
    lines.emplace_back(level, std::string(line));
  });
  FailingBrain failing;

  failing.brain.converse("hello");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].first == LogLevel::warn);
  CHECK(lines[0].second == "skill 'brittle' failed in input: no footing");

  set_log_level(LogLevel::error);
  failing.brain.converse("hello again");
  CHECK(lines.size() == 1);
}

TEST_CASE("log: without a sink, lines go to standard error and standard output stays clean",
          "[core][log]") {
  DefaultLogAfter restore;
  FailingBrain failing;
  const auto stem =
      std::filesystem::temp_directory_path() / ("requip_log_test_" + std::to_string(::getpid()));
  CapturedFd out(STDOUT_FILENO, stem.string() + ".out");
  CapturedFd err(STDERR_FILENO, stem.string() + ".err");
  failing.brain.converse("hello");
  const std::string errors = err.release();
  const std::string output = out.release();

  CHECK(output.empty());
  CHECK_THAT(errors, Catch::Contains("skill 'brittle' failed in input: no footing"));
}

#include "serve_process.hpp"

#include <stdexcept>

#include "subprocess.hpp"

namespace requip::test {

ServeProcess::ServeProcess(const std::vector<std::string>& extra_arguments,
                           const std::filesystem::path& database) {
  const auto db = database.empty() ? home_ / "requip.db" : database;
  std::vector<std::string> argv = {"/usr/bin/env",  "XDG_DATA_HOME=" + home_.path().string(),
                                   requip_binary(), "serve",
                                   "--port",        "0",
                                   "--db",          db.string()};
  argv.insert(argv.end(), extra_arguments.begin(), extra_arguments.end());
  process_ = std::make_unique<ChildProcess>(argv);
  const auto line = process_->read_line();
  const std::string prefix = "requip serve: listening on http://127.0.0.1:";
  if (!line || line->rfind(prefix, 0) != 0) {
    throw std::runtime_error("requip serve did not start: " + line.value_or("(no output)"));
  }
  port_ = static_cast<std::uint16_t>(std::stoi(line->substr(prefix.size())));
}

std::string ServeProcess::rest_of_output() {
  std::string text;
  while (auto line = process_->read_line())
    text += *line + "\n";
  return text;
}

}  // namespace requip::test

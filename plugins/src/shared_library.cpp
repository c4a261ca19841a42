#include "shared_library.hpp"

#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <boost/dll/shared_library.hpp>
#include <string>
#include <system_error>

#include "requip/plugins/plugin_error.hpp"

namespace requip::plugins::detail {

namespace {

std::filesystem::path private_copy(const std::filesystem::path& file) {
  // The counter keeps a name from coming back while a library of that name is still mapped
  // (the loader would hand back the old one): the copy itself is removed once loaded.
  static std::atomic<unsigned long> copies{0};
  std::string name =
      (std::filesystem::temp_directory_path() /
       fmt::format("requip-{}-{}-{}-XXXXXX.so", file.stem().string(), ::getpid(), copies++))
          .string();
  const int fd = ::mkstemps(name.data(), 3);
  if (fd < 0) {
    throw PluginError(file, "cannot create a private copy in " +
                                std::filesystem::temp_directory_path().string() +
                                "; check that the temp folder is writable");
  }
  ::close(fd);
  std::error_code error;
  std::filesystem::copy_file(file, name, std::filesystem::copy_options::overwrite_existing, error);
  if (error) {
    std::filesystem::remove(name, error);
    throw PluginError(file, "cannot be read: " + error.message());
  }
  return name;
}

// Boost wraps the loader's message in its own words and names our private copy; keep only
// what the dynamic loader said ("file too short", "undefined symbol: ...").
std::string loader_reason(std::string message, const std::filesystem::path& copy) {
  const std::string marker = "dlerror system message: ";
  if (auto start = message.find(marker); start != std::string::npos) {
    message = message.substr(start + marker.size());
    if (auto end = message.rfind("):"); end != std::string::npos) message.resize(end);
  }
  if (auto named = message.find(copy.string() + ": "); named != std::string::npos) {
    message.erase(named, copy.string().size() + 2);
  }
  return message;
}

}  // namespace

SharedLibrary::SharedLibrary(const std::filesystem::path& file) : copy_(private_copy(file)) {
  namespace mode = boost::dll::load_mode;
  try {
    library_ = std::make_unique<boost::dll::shared_library>(boost::dll::fs::path(copy_),
                                                            mode::rtld_local | mode::rtld_now);
  } catch (const std::exception& error) {
    std::error_code ignored;
    std::filesystem::remove(copy_, ignored);
    throw PluginError(file, "is not a loadable shared library (" +
                                loader_reason(error.what(), copy_) +
                                "); rebuild it with requip_add_skill_plugin for this machine");
  }
  // Mapped, the copy is no longer needed: removed now, none is left behind by a process
  // that ends without unloading (a plugin host that crashed or was killed).
  std::error_code ignored;
  std::filesystem::remove(copy_, ignored);
}

SharedLibrary::~SharedLibrary() = default;

void* SharedLibrary::symbol(const char* name) const {
  return ::dlsym(library_->native(), name);
}

}  // namespace requip::plugins::detail

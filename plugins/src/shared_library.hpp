#pragma once

#include <filesystem>
#include <memory>

namespace boost::dll {
class shared_library;
}

namespace requip::plugins::detail {

// A plugin library, loaded RTLD_LOCAL from a private copy: the dynamic loader dedups by
// path, so loading the same file name again after it changed would return the old code.
// The copy is removed as soon as it is mapped.
class SharedLibrary {
 public:
  // Throws PluginError naming the file if it cannot be copied or loaded.
  explicit SharedLibrary(const std::filesystem::path& file);
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;
  ~SharedLibrary();

  // The exported symbol's address, or nullptr if the library has none by that name.
  void* symbol(const char* name) const;

 private:
  std::filesystem::path copy_;
  std::unique_ptr<boost::dll::shared_library> library_;
};

}  // namespace requip::plugins::detail

#include "requip/plugins/loaded_plugin.hpp"

#include <fmt/format.h>

#include "descriptor_check.hpp"
#include "requip/plugins/plugin_error.hpp"
#include "requip/plugins/plugin_skill.hpp"
#include "shared_library.hpp"

namespace requip::plugins {

LoadedPlugin::LoadedPlugin(std::shared_ptr<detail::SharedLibrary> library,
                           const requip_plugin_descriptor* descriptor, PluginInfo info)
    : library_(std::move(library)),
      descriptor_(std::make_shared<const requip_plugin_descriptor>(copy_descriptor(*descriptor))),
      info_(std::move(info)) {}

LoadedPlugin load_plugin(const std::filesystem::path& file) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    throw PluginError(file, "no such file; give the path of a plugin's .so");
  }
  auto library = std::make_shared<detail::SharedLibrary>(file);
  auto* entry =
      reinterpret_cast<requip_plugin_entry_fn>(library->symbol(REQUIP_PLUGIN_ENTRY_POINT));
  if (!entry) {
    throw PluginError(file, fmt::format("it exports no {} entry point; export the skill with "
                                        "REQUIP_EXPORT_SKILL",
                                        REQUIP_PLUGIN_ENTRY_POINT));
  }
  const requip_plugin_descriptor* descriptor = nullptr;
  try {  // a C++ plugin written without the SDK might still throw
    descriptor = entry();
  } catch (...) {
    throw PluginError(file, fmt::format("its {} entry point threw; catch exceptions inside it",
                                        REQUIP_PLUGIN_ENTRY_POINT));
  }
  if (!descriptor) {
    throw PluginError(
        file, fmt::format("its {} entry point returned no descriptor", REQUIP_PLUGIN_ENTRY_POINT));
  }
  PluginInfo info = check_descriptor(file, *descriptor);
  return LoadedPlugin(std::move(library), descriptor, std::move(info));
}

}  // namespace requip::plugins

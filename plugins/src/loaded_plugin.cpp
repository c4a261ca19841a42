#include "requip/plugins/loaded_plugin.hpp"

#include <fmt/format.h>

#include "descriptor_check.hpp"
#include "isolated_code.hpp"
#include "plugin_code.hpp"
#include "requip/plugins/plugin_error.hpp"
#include "requip/plugins/plugin_skill.hpp"
#include "shared_library.hpp"

namespace requip::plugins {

LoadedPlugin::LoadedPlugin(std::shared_ptr<const detail::PluginCode> code, PluginInfo info)
    : code_(std::move(code)), info_(std::move(info)) {}

Isolation LoadedPlugin::isolation() const {
  return code_->isolation();
}

const requip_plugin_descriptor& LoadedPlugin::descriptor() const {
  return code_->hooks();
}

LoadedPlugin load_plugin(const std::filesystem::path& file, Isolation isolation,
                         ProcessLimits limits) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    throw PluginError(file, "no such file; give the path of a plugin's .so");
  }
  if (isolation == Isolation::process) {
    auto [code, info] = detail::isolated_code(file, limits);
    return LoadedPlugin(std::move(code), std::move(info));
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
  return LoadedPlugin(detail::in_process_code(std::move(library), *descriptor), std::move(info));
}

}  // namespace requip::plugins

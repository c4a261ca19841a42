#include "requip/plugins/loaded_plugin.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cstddef>
#include <optional>

#include "requip/core/version.hpp"
#include "requip/plugins/plugin_error.hpp"
#include "requip/plugins/plugin_skill.hpp"
#include "shared_library.hpp"

namespace requip::plugins {

namespace {

using Version = std::array<int, 3>;

std::optional<Version> parse_version(std::string_view text) {
  Version version{};
  const char* cursor = text.data();
  const char* end = text.data() + text.size();
  for (std::size_t part = 0; part < version.size(); ++part) {
    auto [next, error] = std::from_chars(cursor, end, version[part]);
    if (error != std::errc() || version[part] < 0) return std::nullopt;
    cursor = next;
    if (part + 1 < version.size()) {
      if (cursor == end || *cursor != '.') return std::nullopt;
      ++cursor;
    }
  }
  if (cursor != end) return std::nullopt;
  return version;
}

// The ABI fields come first so that any descriptor big enough to hold them can be judged.
constexpr std::size_t abi_fields_size =
    offsetof(requip_plugin_descriptor, abi_minor) + sizeof(std::uint16_t);

void check_abi(const std::filesystem::path& file, const requip_plugin_descriptor& d) {
  if (d.struct_size < abi_fields_size) {
    throw PluginError(file, fmt::format("its descriptor is {} bytes, too small to hold an ABI "
                                        "version; rebuild it with requip_add_skill_plugin",
                                        d.struct_size));
  }
  if (d.abi_major != REQUIP_PLUGIN_ABI_MAJOR) {
    throw PluginError(
        file,
        fmt::format("it was built for plugin ABI {}.{}, this host speaks {}.{}; "
                    "rebuild it against this host's SDK",
                    d.abi_major, d.abi_minor, REQUIP_PLUGIN_ABI_MAJOR, REQUIP_PLUGIN_ABI_MINOR));
  }
  if (d.abi_minor > REQUIP_PLUGIN_ABI_MINOR) {
    throw PluginError(file, fmt::format("it was built for plugin ABI {}.{}, newer than this host's "
                                        "{}.{}; upgrade requip or rebuild the plugin",
                                        d.abi_major, d.abi_minor, REQUIP_PLUGIN_ABI_MAJOR,
                                        REQUIP_PLUGIN_ABI_MINOR));
  }
  // Every field of ABI 1.0 must be there; later minors only append.
  if (d.struct_size < sizeof(requip_plugin_descriptor)) {
    throw PluginError(file, fmt::format("its descriptor is {} bytes, ABI {}.{} needs {}; rebuild "
                                        "it with requip_add_skill_plugin",
                                        d.struct_size, d.abi_major, d.abi_minor,
                                        sizeof(requip_plugin_descriptor)));
  }
}

void check_host_version(const std::filesystem::path& file, const char* wanted) {
  const auto needed = parse_version(wanted ? wanted : "");
  if (!needed) {
    throw PluginError(file, fmt::format("its minimum host version '{}' is not major.minor.patch",
                                        wanted ? wanted : ""));
  }
  const Version host{REQUIP_VERSION_MAJOR, REQUIP_VERSION_MINOR, REQUIP_VERSION_PATCH};
  if (host < *needed) {
    throw PluginError(file, fmt::format("it needs requip {} or newer, this is {}; upgrade requip",
                                        wanted, REQUIP_VERSION_STRING));
  }
}

void check_hooks(const std::filesystem::path& file, const requip_plugin_descriptor& d) {
  auto require = [&](bool present, const char* hook) {
    if (!present) throw PluginError(file, fmt::format("its descriptor has no {} hook", hook));
  };
  require(d.on_create != nullptr, "on_create");
  require(d.on_destroy != nullptr, "on_destroy");
  if (d.on_input || d.on_tick) {
    require(d.on_algorithm_step != nullptr, "on_algorithm_step");
    require(d.on_algorithm_destroy != nullptr, "on_algorithm_destroy");
  }
}

PluginInfo describe(const std::filesystem::path& file, const requip_plugin_descriptor& d) {
  if (!d.name || *d.name == '\0') throw PluginError(file, "its descriptor has no skill name");
  if (d.kind != REQUIP_SKILL_REGULAR && d.kind != REQUIP_SKILL_CONTINUOUS) {
    throw PluginError(file, fmt::format("it declares skill kind {}; plugins may be regular ({}) "
                                        "or continuous ({})",
                                        d.kind, REQUIP_SKILL_REGULAR, REQUIP_SKILL_CONTINUOUS));
  }
  PluginInfo info;
  info.file = file;
  info.name = d.name;
  info.version = d.version ? d.version : "";
  info.description = d.description ? d.description : "";
  for (std::uint32_t i = 0; d.examples && i < d.example_count; ++i) {
    if (d.examples[i]) info.examples.emplace_back(d.examples[i]);
  }
  info.min_host_version = d.min_host_version;
  info.kind = d.kind == REQUIP_SKILL_CONTINUOUS ? SkillKind::continuous : SkillKind::regular;
  info.abi_major = d.abi_major;
  info.abi_minor = d.abi_minor;
  return info;
}

}  // namespace

LoadedPlugin::LoadedPlugin(std::shared_ptr<detail::SharedLibrary> library,
                           const requip_plugin_descriptor* descriptor, PluginInfo info)
    : library_(std::move(library)), descriptor_(descriptor), info_(std::move(info)) {}

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
  check_abi(file, *descriptor);
  check_host_version(file, descriptor->min_host_version);
  check_hooks(file, *descriptor);
  PluginInfo info = describe(file, *descriptor);
  return LoadedPlugin(std::move(library), descriptor, std::move(info));
}

}  // namespace requip::plugins

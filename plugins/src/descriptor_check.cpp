#include "descriptor_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <optional>

#include "requip/core/version.hpp"
#include "requip/plugins/plugin_error.hpp"

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
  // Every field of the minor it was built for must be there; later minors only append.
  const std::size_t needed =
      d.abi_minor >= 2 ? sizeof(requip_plugin_descriptor) : REQUIP_PLUGIN_DESCRIPTOR_SIZE_1_0;
  if (d.struct_size < needed) {
    throw PluginError(file, fmt::format("its descriptor is {} bytes, ABI {}.{} needs {}; rebuild "
                                        "it with requip_add_skill_plugin",
                                        d.struct_size, d.abi_major, d.abi_minor, needed));
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
  if (d.on_input || d.on_tick || d.on_follow_up) {
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

requip_plugin_descriptor copy_descriptor(const requip_plugin_descriptor& descriptor) {
  requip_plugin_descriptor copy{};
  // Only what the plugin's minor defines: a field it never had stays zero, a hook NULL.
  const std::size_t known = descriptor.abi_minor >= 2 ? sizeof(requip_plugin_descriptor)
                                                      : REQUIP_PLUGIN_DESCRIPTOR_SIZE_1_0;
  std::memcpy(&copy, &descriptor, std::min<std::size_t>(known, descriptor.struct_size));
  return copy;
}

PluginInfo check_descriptor(const std::filesystem::path& file,
                            const requip_plugin_descriptor& descriptor) {
  check_abi(file, descriptor);
  const requip_plugin_descriptor known = copy_descriptor(descriptor);
  check_host_version(file, known.min_host_version);
  check_hooks(file, known);
  return describe(file, known);
}

}  // namespace requip::plugins

// The checks a plugin's descriptor goes through on load, on any descriptor: ABI version and
// size, host version, hooks, name, kind and examples.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "descriptor_check.hpp"
#include "requip/plugins/plugin_error.hpp"

namespace {

// Stands for every hook the descriptor claims: the checks only look at whether one is set.
requip_plugin_instance* on_create(const requip_host_api*, requip_host_context*, requip_host_text*) {
  return nullptr;
}
void on_destroy(requip_plugin_instance*) {}
requip_status on_input(requip_plugin_instance*, const requip_stimulus*, requip_answer*,
                       requip_host_text*) {
  return REQUIP_STATUS_OK;
}
requip_status on_follow_up(requip_plugin_instance*, requip_string, const requip_stimulus*,
                           requip_answer*, requip_host_text*) {
  return REQUIP_STATUS_OK;
}
requip_status on_step(requip_plugin_algorithm*, requip_host_text*, bool*, requip_step_outcome*,
                      requip_host_text*) {
  return REQUIP_STATUS_OK;
}
void on_algorithm_destroy(requip_plugin_algorithm*) {}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  requip_plugin_descriptor d{};
  d.struct_size =
      input.ConsumeBool() ? sizeof(d) : input.ConsumeIntegralInRange<std::uint32_t>(0, sizeof(d));
  d.abi_major = input.ConsumeIntegral<std::uint16_t>();
  d.abi_minor = input.ConsumeIntegral<std::uint16_t>();
  std::vector<std::string> strings;
  for (int i = 0; i < 4; ++i)
    strings.push_back(input.ConsumeRandomLengthString(64));
  const auto pick = [&](std::size_t i) {
    return input.ConsumeBool() ? strings[i].c_str() : nullptr;
  };
  d.name = pick(0);
  d.version = pick(1);
  d.description = pick(2);
  d.min_host_version = pick(3);
  std::vector<std::string> examples(input.ConsumeIntegralInRange<std::size_t>(0, 4));
  std::vector<const char*> example_pointers;
  for (auto& example : examples) {
    example = input.ConsumeRandomLengthString(32);
    example_pointers.push_back(input.ConsumeBool() ? example.c_str() : nullptr);
  }
  d.examples = example_pointers.data();
  d.example_count = static_cast<std::uint32_t>(example_pointers.size());
  d.kind = static_cast<requip_skill_kind>(input.ConsumeIntegral<int>());
  if (input.ConsumeBool()) d.on_create = on_create;
  if (input.ConsumeBool()) d.on_destroy = on_destroy;
  if (input.ConsumeBool()) d.on_input = on_input;
  if (input.ConsumeBool()) d.on_follow_up = on_follow_up;
  if (input.ConsumeBool()) d.on_algorithm_step = on_step;
  if (input.ConsumeBool()) d.on_algorithm_destroy = on_algorithm_destroy;
  try {
    requip::plugins::check_descriptor("fuzzed.so", d);
  } catch (const requip::plugins::PluginError&) {
  }
  return 0;
}

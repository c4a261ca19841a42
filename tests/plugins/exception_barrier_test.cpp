#include <catch2/catch.hpp>

#include <string>

#include "plugin_fixtures.hpp"
#include "requip/plugins/loaded_plugin.hpp"

// Drives every hook of a plugin whose every hook throws, through its raw descriptor and a
// minimal host, and checks that each one returns a failed status with the reason: nothing
// unwinds into the host.

namespace {

// The host texts of this test are plain strings.
std::string& text(requip_host_text* handle) {
  return *reinterpret_cast<std::string*>(handle);
}
requip_host_text* handle(std::string& value) {
  return reinterpret_cast<requip_host_text*>(&value);
}

requip_host_api minimal_host() {
  requip_host_api api{};
  api.struct_size = sizeof(api);
  api.abi_major = REQUIP_PLUGIN_ABI_MAJOR;
  api.abi_minor = REQUIP_PLUGIN_ABI_MINOR;
  api.host_version = "test";
  api.callback_text_set = [](requip_host_text* target, requip_string value) {
    text(target).assign(value.data, value.size);
  };
  api.callback_emotion_get = [](requip_host_context*, requip_receive_string, void*) {
    return true;
  };
  api.callback_emotion_set = [](requip_host_context*, requip_string) { return true; };
  return api;
}

}  // namespace

TEST_CASE("exception barrier: no exception from any hook escapes into the host",
          "[plugins][barrier]") {
  auto plugin = requip::plugins::load_plugin(requip::test::fixture_plugin("throws_everywhere"));
  const requip_plugin_descriptor& d = plugin.descriptor();
  const requip_host_api host = minimal_host();
  std::string error;

  requip_plugin_instance* instance = d.on_create(&host, nullptr, handle(error));
  REQUIRE(instance != nullptr);

  auto fails_with = [&](requip_status status, const std::string& reason) {
    CHECK(status == REQUIP_STATUS_FAILED);
    CHECK(error == reason);
    error.clear();
  };
  fails_with(d.on_attach(instance, handle(error)), "attach");
  requip_answer answer{};
  fails_with(d.on_tick(instance, &answer, handle(error)), "tick");
  CHECK(answer.algorithm == nullptr);
  std::string state;
  fails_with(d.on_save_state(instance, handle(state), handle(error)), "save");
  fails_with(d.on_restore_state(instance, {"x", 1}, handle(error)), "unknown exception");

  const requip_stimulus stimulus{{"hi", 2}, {nullptr, 0}, {nullptr, 0}};
  REQUIRE(d.on_input(instance, &stimulus, &answer, handle(error)) == REQUIP_STATUS_OK);
  REQUIRE(answer.algorithm != nullptr);
  std::string line;
  bool has_line = false;
  requip_step_outcome outcome = REQUIP_STEP_CONTINUE;
  fails_with(
      d.on_algorithm_step(answer.algorithm, handle(line), &has_line, &outcome, handle(error)),
      "step");
  d.on_algorithm_destroy(answer.algorithm);

  fails_with(d.on_detach(instance, handle(error)), "detach");
  d.on_destroy(instance);
}

#include "agent.hpp"

#include "builtin_skills.hpp"
#include "plugin_folders.hpp"
#include "requip/memory/store.hpp"

namespace requip::cli {

Agent::Agent(const std::filesystem::path& database, const std::string& plugin_folder)
    : store(std::make_shared<memory::Store>(database)),
      brain(store->memento()),
      plugins(brain, plugin_host_options(plugin_folder, true)) {
  for (auto& skill : make_builtin_skills())
    brain.add(std::move(skill));
  plugins.rescan();  // refusals are logged on stderr; the agent goes on without them
}

}  // namespace requip::cli

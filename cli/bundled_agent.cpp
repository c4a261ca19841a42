#include "bundled_agent.hpp"

#include "builtin_skills.hpp"
#include "chat_router.hpp"
#include "plugin_folders.hpp"
#include "requip/memory/store.hpp"
#include "requip/router/router_skill.hpp"

namespace requip::cli {

BundledAgent::BundledAgent(const std::filesystem::path& database, const UserPlugins& user_plugins,
                           bool with_router, BrainOptions options,
                           std::chrono::seconds conversation_expiry)
    : store(std::make_shared<memory::Store>(database)),
      agent(std::make_shared<Agent>(store->memento(), options)),
      plugins(*agent, plugin_host_options(user_plugins, true)) {
  for (auto& skill : make_builtin_skills())
    agent->add(std::move(skill));
  plugins.rescan();  // refusals are logged on stderr; the agent goes on without them
  if (!with_router) return;
  router::RouterSkillOptions router;
  router.resume_within = conversation_expiry;
  agent->add(router::router_factory(make_chat_router_model(store), router));
}

}  // namespace requip::cli

#pragma once

#include <memory>
#include <string>

#include "requip/plugin_abi.h"
#include "requip/plugins/isolation.hpp"

namespace requip::plugins::detail {

class SharedLibrary;

// Where a loaded plugin's hooks run. A PluginSkill calls them through hooks(), the descriptor
// as this host's ABI lays it out (a hook the plugin lacks is NULL), and makes instances with
// create(); whether the code is mapped here or runs in a host process is this object's
// business alone.
class PluginCode {
 public:
  virtual ~PluginCode() = default;

  virtual Isolation isolation() const = 0;
  virtual const requip_plugin_descriptor& hooks() const = 0;
  // A new instance, or NULL with error set. context outlives the instance.
  virtual requip_plugin_instance* create(requip_host_context* context,
                                         requip_host_text* error) const = 0;
  // Set once the code is no longer called at all (a host that crashed too often): why.
  virtual std::string quarantine_reason() const { return {}; }
  // A call into it outlived its turn's deadline: stop it if that can be done.
  virtual void abandon_calls() const {}
};

// A library mapped into this process, its descriptor checked.
std::shared_ptr<const PluginCode> in_process_code(std::shared_ptr<SharedLibrary> library,
                                                  const requip_plugin_descriptor& descriptor);

}  // namespace requip::plugins::detail

#include "descriptor_check.hpp"
#include "host_api.hpp"
#include "plugin_code.hpp"
#include "shared_library.hpp"

namespace requip::plugins::detail {

namespace {

class InProcessCode final : public PluginCode {
 public:
  InProcessCode(std::shared_ptr<SharedLibrary> library, const requip_plugin_descriptor& descriptor)
      : library_(std::move(library)), descriptor_(copy_descriptor(descriptor)) {}

  Isolation isolation() const override { return Isolation::in_process; }
  const requip_plugin_descriptor& hooks() const override { return descriptor_; }
  requip_plugin_instance* create(requip_host_context* context,
                                 requip_host_text* error) const override {
    return descriptor_.on_create(&host_api(), context, error);
  }

 private:
  std::shared_ptr<SharedLibrary> library_;  // mapped while any instance or algorithm lives
  requip_plugin_descriptor descriptor_;
};

}  // namespace

std::shared_ptr<const PluginCode> in_process_code(std::shared_ptr<SharedLibrary> library,
                                                  const requip_plugin_descriptor& descriptor) {
  return std::make_shared<InProcessCode>(std::move(library), descriptor);
}

}  // namespace requip::plugins::detail

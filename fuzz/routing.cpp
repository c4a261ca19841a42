// A routing decision on any text: the classifier, then the featurizer's n-grams and the
// gate's ranking of three trained skills.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "requip/router/message.hpp"
#include "requip/router/router_model.hpp"
#include "small_gate.hpp"

namespace {

requip::router::RouterConfig small_config() {
  requip::router::RouterConfig config;
  config.gate = requip::fuzz::small_gate();
  return config;
}

const requip::router::RouterModel& trained_router() {
  static requip::router::RouterModel router(small_config());
  static const bool trained = [] {
    router.know({{"clock", "1", "tells the time", {"what time is it", "time please", "the hour"}},
                 {"notes", "1", "keeps notes", {"note that milk", "remember this", "my notes"}},
                 {"calculator", "1", "does sums", {"calculate 2+2", "what is 3*4", "sum it"}}});
    return true;
  }();
  (void)trained;
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto& router = trained_router();
  static const auto all = router.mask_for({"clock", "notes", "calculator"});
  static const requip::router::MessageClassifier classifier(router.config().words);
  const auto message = classifier.classify({reinterpret_cast<const char*>(data), size});
  router.rank(message.key, all);
  return 0;
}

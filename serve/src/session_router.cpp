#include "session_router.hpp"

namespace requip::serve {

void SessionRouter::perceive(Turn& turn) {
  if (active_) active_->perceive(turn);
}

}  // namespace requip::serve

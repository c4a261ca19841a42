#pragma once

namespace requip {

// The mark of an error that means "not now" rather than "wrong": something a skill relies on
// (the store's database server, say) cannot be reached for the moment. A library throws it as
// a second base of its own exception type, so that catching std::exception still catches it.
// A turn that meets one is answered as unavailable (HTTP 503 in serve, a `!` line in the
// REPL), and no skill is blamed for it.
class Unavailable {
 public:
  virtual ~Unavailable() = default;
  // One line: what cannot be reached, and that it is worth trying again.
  virtual const char* reason() const noexcept = 0;
};

}  // namespace requip

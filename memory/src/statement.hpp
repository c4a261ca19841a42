#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace requip::memory::detail {

// One prepared statement of a backend, in the SQL both backends speak: parameters are written
// ?1, ?2, ... and a statement that adds a row says RETURNING for what it needs back. A
// statement is compiled once per connection and reused; Query below uses it for one call.
class Statement {
 public:
  virtual ~Statement() = default;

  virtual void bind(int index, std::int64_t value) = 0;
  // Bound as text, so that it compares equal to stored text.
  virtual void bind_text(int index, std::string_view text) = 0;
  // Raw bytes; an empty value stays a value, not NULL.
  virtual void bind_bytes(int index, std::string_view bytes) = 0;

  // Runs the statement on the first call, then moves to the next row; false past the last.
  virtual bool step() = 0;
  // Runs a statement that returns no rows, and returns how many rows it changed.
  virtual std::int64_t run() = 0;

  // Columns of the current row, counted from 0.
  virtual bool is_null(int column) const = 0;
  virtual std::int64_t integer(int column) const = 0;
  virtual std::string text(int column) const = 0;
  virtual std::string bytes(int column) const = 0;

  // Forgets the parameters and the rows, so that no user data stays bound between calls.
  virtual void reset() = 0;
};

}  // namespace requip::memory::detail

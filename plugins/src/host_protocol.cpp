#include "host_protocol.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <string>
#include <vector>

namespace requip::plugins::protocol {

namespace {

// Waits for `fd` to be readable until `deadline`; false when the deadline passed first.
bool readable_by(int fd, std::optional<Clock::time_point> deadline) {
  if (!deadline) return true;  // the read itself waits
  while (true) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd watched{fd, POLLIN, 0};
    const int ready = ::poll(&watched, 1, static_cast<int>(left.count()));
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return true;  // let the read report it
  }
}

ReadEnd read_exactly(int fd, char* into, std::size_t size,
                     std::optional<Clock::time_point> deadline) {
  while (size > 0) {
    if (!readable_by(fd, deadline)) return ReadEnd::timed_out;
    const ssize_t got = ::recv(fd, into, size, 0);
    if (got == 0) return ReadEnd::closed;
    if (got < 0) {
      if (errno == EINTR) continue;
      return ReadEnd::closed;
    }
    into += got;
    size -= static_cast<std::size_t>(got);
  }
  return ReadEnd::read;
}

}  // namespace

bool write_frame(int fd, const Message& message) {
  const std::vector<std::uint8_t> body = Message::to_msgpack(message);
  if (body.size() > max_frame_bytes) return false;
  const auto size = static_cast<std::uint32_t>(body.size());
  const unsigned char header[4] = {
      static_cast<unsigned char>(size), static_cast<unsigned char>(size >> 8),
      static_cast<unsigned char>(size >> 16), static_cast<unsigned char>(size >> 24)};
  iovec parts[2] = {{const_cast<unsigned char*>(header), sizeof header},
                    {const_cast<std::uint8_t*>(body.data()), body.size()}};
  std::size_t left = sizeof header + body.size();
  msghdr out{};
  out.msg_iov = parts;
  out.msg_iovlen = 2;
  while (left > 0) {
    const ssize_t sent =
        ::sendmsg(fd, &out, MSG_NOSIGNAL);  // a dead peer is an answer, not a signal
    if (sent < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    left -= static_cast<std::size_t>(sent);
    // A partial write: skip what went out.
    auto skipped = static_cast<std::size_t>(sent);
    while (out.msg_iovlen > 0 && skipped >= out.msg_iov[0].iov_len) {
      skipped -= out.msg_iov[0].iov_len;
      ++out.msg_iov;
      --out.msg_iovlen;
    }
    if (out.msg_iovlen > 0) {
      out.msg_iov[0].iov_base = static_cast<char*>(out.msg_iov[0].iov_base) + skipped;
      out.msg_iov[0].iov_len -= skipped;
    }
  }
  return true;
}

namespace {

// Polls `fd` without sleeping for up to `spin`; true once it is readable.
bool arrived_within(int fd, std::chrono::microseconds spin) {
  const auto until = Clock::now() + spin;
  do {
    pollfd watched{fd, POLLIN, 0};
    if (::poll(&watched, 1, 0) > 0) return true;
  } while (Clock::now() < until);
  return false;
}

}  // namespace

ReadEnd read_frame(int fd, Message& message, std::optional<Clock::time_point> deadline,
                   std::chrono::microseconds spin) {
  if (spin.count() > 0) arrived_within(fd, spin);
  unsigned char header[4];
  if (auto end = read_exactly(fd, reinterpret_cast<char*>(header), sizeof header, deadline);
      end != ReadEnd::read) {
    return end;
  }
  const std::uint32_t size = header[0] | (header[1] << 8) | (header[2] << 16) |
                             (static_cast<std::uint32_t>(header[3]) << 24);
  if (size > max_frame_bytes) return ReadEnd::malformed;
  std::string body(size, '\0');
  if (auto end = read_exactly(fd, body.data(), size, deadline); end != ReadEnd::read) return end;
  message = Message::from_msgpack(body, true, false);
  return message.is_discarded() || !message.is_object() ? ReadEnd::malformed : ReadEnd::read;
}

}  // namespace requip::plugins::protocol

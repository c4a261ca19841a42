// The HTTP API on a raw request: Beast's request parser, then the endpoints (REST turns, the
// OpenAI chat completions JSON, WebSocket targets), with turns run by an echo skill. Waits
// for each answer, so a turn that never answers is reported as a hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>

#include "api.hpp"
#include "requip/core/skill_factory.hpp"

namespace {

using namespace requip;

class EchoSkill final : public Skill {
 public:
  std::string name() const override { return "echo"; }
  std::optional<Algorithm> input(const Stimulus& stimulus) override {
    return Algorithm::say(stimulus.ear);
  }
};

class Answer final : public serve::Api::Responder {
 public:
  void respond(serve::Response) override { done_.set_value(); }
  void begin_body(serve::Response) override {}
  void body_piece(std::string) override {}
  void end_body() override { done_.set_value(); }
  std::future<void> done() { return done_.get_future(); }

 private:
  std::promise<void> done_;
};

struct Served {
  Served() : conversations(agent()), api(conversations, streams, options) {}
  static std::shared_ptr<Agent> agent() {
    auto made = std::make_shared<Agent>();
    made->add(skill_factory<EchoSkill>());
    return made;
  }
  serve::ServerOptions options;
  serve::StreamHub streams;
  serve::Conversations conversations;
  serve::Api api;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Served served;
  boost::beast::http::request_parser<boost::beast::http::string_body> parser;
  parser.body_limit(served.options.max_body_bytes);
  parser.eager(true);
  boost::beast::error_code error;
  std::size_t used = 0;
  while (!error && !parser.is_done() && used < size)
    used += parser.put(boost::asio::buffer(data + used, size - used), error);
  if (error == boost::beast::http::error::need_more) error = {};
  if (!error && !parser.is_done()) parser.put_eof(error);
  if (error) {
    served.api.error(parser.get(), boost::beast::http::status::bad_request, error.message());
    return 0;
  }
  serve::Api::stream_session(parser.get().target());
  auto answer = std::make_shared<Answer>();
  auto done = answer->done();
  served.api.handle(parser.release(), answer);
  if (done.wait_for(std::chrono::seconds(5)) != std::future_status::ready) std::abort();
  return 0;
}

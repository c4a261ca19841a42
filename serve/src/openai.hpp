#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "requip/serve/conversations.hpp"

namespace requip::serve {

// A POST /v1/chat/completions body as requip reads it: the last user message is the input,
// and `user` (or the X-Requip-Session header) names the session.
struct CompletionRequest {
  std::string session;
  std::string text;
  std::string model;
  bool stream = false;
};

// Throws BadRequest saying what is wrong with the body.
CompletionRequest parse_completion_request(std::string_view body, std::string_view session_header);

// Identifies one completion in the response and in each of its chunks.
struct CompletionId {
  std::string id;            // "chatcmpl-..."
  std::int64_t created = 0;  // Unix seconds
};

// The whole answer as one "chat.completion" object.
std::string completion_json(const CompletionRequest& request, const CompletionId& id,
                            const TurnResult& turn);
// The answer as server-sent events: a role chunk, a chunk per reply line, a final chunk
// with finish_reason "stop", then `data: [DONE]`.
std::string completion_events(const CompletionRequest& request, const CompletionId& id,
                              const TurnResult& turn);

}  // namespace requip::serve

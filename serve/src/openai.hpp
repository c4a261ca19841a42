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
                            const Reply& turn);
// The answer as server-sent events, each sent as it is made: a role chunk, a chunk per line
// as its step runs, then a final chunk with finish_reason "stop" (or, for a turn that did
// not end, an error event) and `data: [DONE]`.
std::string completion_start_event(const CompletionRequest& request, const CompletionId& id);
std::string completion_line_event(const CompletionRequest& request, const CompletionId& id,
                                  std::string_view line, bool first);
std::string completion_end_event(const CompletionRequest& request, const CompletionId& id,
                                 std::string_view error = {});

}  // namespace requip::serve

#include "turn_json.hpp"

#include "json_error.hpp"

namespace requip::serve {

namespace {

nlohmann::json why_json(const Routing& why) {
  auto scores = nlohmann::json::array();
  for (const auto& candidate : why.top)
    scores.push_back({{"skill", candidate.skill}, {"probability", candidate.probability}});
  nlohmann::json mapping = nullptr;
  if (why.mapping) {
    mapping = {{"key", why.mapping->key},
               {"skill", why.mapping->skill},
               {"confirmations", why.mapping->confirmations},
               {"rejections", why.mapping->rejections}};
  }
  return {{"source", why.source},
          {"key", why.key},
          {"skill", why.skill},
          {"scores", scores},
          {"mapping", mapping},
          {"confidence", why.confidence},
          {"declined", why.declined},
          {"feedback", why.feedback},
          {"follow_up",
           why.follow_up.empty() ? nlohmann::json(nullptr) : nlohmann::json(why.follow_up)}};
}

}  // namespace

nlohmann::json turn_json(const Reply& turn) {
  nlohmann::json body = {{"replies", turn.lines},
                         {"skill", turn.skill},
                         {"emotion", turn.emotion},
                         {"why", turn.why ? why_json(*turn.why) : nlohmann::json(nullptr)}};
  if (!turn.notices.empty()) body["notices"] = turn.notices;
  return body;
}

nlohmann::json skills_json(const std::vector<SkillSummary>& skills) {
  auto list = nlohmann::json::array();
  for (const auto& skill : skills) {
    list.push_back({{"name", skill.name},
                    {"version", skill.version},
                    {"kind", skill.kind},
                    {"description", skill.description}});
  }
  return {{"skills", list}};
}

std::string text_of_message(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded()) throw BadRequest("the body is not valid JSON: send {\"text\": \"...\"}");
  if (!json.is_object() || !json.contains("text")) {
    throw BadRequest("the body has no \"text\" field: send {\"text\": \"...\"}");
  }
  if (!json["text"].is_string()) throw BadRequest("\"text\" must be a string");
  return json["text"].get<std::string>();
}

}  // namespace requip::serve

#pragma once

#include <nlohmann/json.hpp>

#include "requip/serve/conversations.hpp"

namespace requip::serve {

// {"replies":[...],"skill":...,"emotion":...,"why":{...}|null}, with "notices" when any.
nlohmann::json turn_json(const Reply& turn);
// {"skills":[{"name","version","kind","description"}]}
nlohmann::json skills_json(const std::vector<SkillSummary>& skills);

// The text of a {"text": "..."} body; throws BadRequest saying what is wrong.
std::string text_of_message(std::string_view body);

}  // namespace requip::serve

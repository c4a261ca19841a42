// How a RouterSkill explains itself: recording each decision and printing it for /why.
#include <fmt/format.h>

#include "requip/router/router_skill.hpp"

namespace requip::router {

namespace {
constexpr std::size_t scores_shown = 3;
}

void RouterSkill::explain(std::string source, const std::string& text, const std::string& key,
                          const std::string& skill, const Ranking* ranking) {
  last_ = RoutingExplanation{text, key, std::move(source),    skill,
                             {},   0,   model_->mapping(key), model_->feedback_for(key)};
  if (ranking) {
    const auto& candidates = ranking->candidates;
    last_.top.assign(candidates.begin(),
                     candidates.begin() +
                         static_cast<std::ptrdiff_t>(std::min(scores_shown, candidates.size())));
    last_.confidence = ranking->confidence;
  }
}

Routing routing_of(const RoutingExplanation& explanation) {
  Routing routing{
      explanation.text,       explanation.key, explanation.source,         explanation.skill, {},
      explanation.confidence, std::nullopt,    explanation.feedback.size()};
  for (const auto& candidate : explanation.top)
    routing.top.push_back({candidate.skill, candidate.probability});
  if (explanation.mapping && !explanation.mapping->skill.empty()) {
    const auto& mapping = *explanation.mapping;
    routing.mapping =
        Routing::Mapping{mapping.key, mapping.skill, static_cast<int>(mapping.confirmations),
                         static_cast<int>(mapping.rejections)};
  }
  return routing;
}

std::vector<std::string> RouterSkill::why() const {
  if (last_.source.empty()) return {"Nothing has been routed yet."};
  std::vector<std::string> lines;
  const std::string chosen = last_.skill.empty() ? "no skill" : last_.skill;
  lines.push_back(fmt::format("\"{}\" went to {} by {}.", last_.text, chosen, last_.source));
  if (!last_.top.empty()) {
    std::string scores;
    for (const auto& candidate : last_.top)
      scores += fmt::format("{}{} {:.3f}", scores.empty() ? "" : ", ", candidate.skill,
                            candidate.probability);
    lines.push_back(fmt::format("gate scores: {}; confidence {:.3f} (out of scope below {:.2f})",
                                scores, last_.confidence, model_->config().out_of_scope_below));
  }
  if (last_.mapping && !last_.mapping->skill.empty()) {
    const auto& mapping = *last_.mapping;
    lines.push_back(fmt::format("mapping \"{}\" -> {} (version {}): {} confirmed, {} rejected",
                                mapping.key, mapping.skill, mapping.skill_version,
                                mapping.confirmations, mapping.rejections));
  } else {
    lines.push_back(fmt::format("no mapping for \"{}\"", last_.key));
  }
  for (const auto& entry : last_.feedback) {
    lines.push_back(fmt::format("feedback: \"{}\" about {} ({}) in session {}", entry.word,
                                entry.skill, entry.positive() ? "confirmed" : "rejected",
                                entry.session));
  }
  return lines;
}

}  // namespace requip::router

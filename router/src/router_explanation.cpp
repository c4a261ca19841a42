// How a RouterSkill explains itself: recording each decision and printing it for /why.
#include <fmt/format.h>

#include "requip/router/router_skill.hpp"

namespace requip::router {

namespace {
constexpr std::size_t scores_shown = 3;
}

void RouterSkill::explain(std::string source, const std::string& text, const std::string& key,
                          const std::string& skill, const Ranking* ranking) {
  last_ = {{text, key, std::move(source), skill, {}, 0, std::nullopt, 0, {}, {}}, {}, {}};
  reread_stored(key);
  Routing& routing = last_.routing;
  if (!ranking) return;
  const auto& candidates = ranking->candidates;
  for (std::size_t i = 0; i < std::min(scores_shown, candidates.size()); ++i)
    routing.top.push_back({candidates[i].skill, candidates[i].probability});
  routing.confidence = ranking->confidence;
}

void RouterSkill::reread_stored(const std::string& key) {
  last_.mapping = model_->mapping(key);
  last_.feedback = model_->feedback_for(key);
  Routing& routing = last_.routing;
  routing.feedback = last_.feedback.size();
  routing.mapping.reset();
  if (last_.mapping && !last_.mapping->skill.empty()) {
    const memory::Mapping& mapping = *last_.mapping;
    routing.mapping =
        Routing::Mapping{mapping.key, mapping.skill, static_cast<int>(mapping.confirmations),
                         static_cast<int>(mapping.rejections)};
  }
}

std::vector<std::string> RouterSkill::why() const {
  const Routing& routing = last_.routing;
  if (routing.source.empty()) return {"Nothing has been routed yet."};
  if (routing.source == "release") {
    return {fmt::format("\"{}\" let go of the equipped skill: each input is routed again.",
                        routing.text)};
  }
  if (routing.source == "follow-up") {
    return {
        fmt::format("\"{}\" went to {} as the answer to its question (a follow-up), before "
                    "any routing.",
                    routing.text, routing.skill)};
  }
  std::vector<std::string> lines;
  if (!routing.follow_up.empty()) {
    lines.push_back(
        fmt::format("{} asked a question and declined \"{}\" as its answer, so it "
                    "was routed as usual:",
                    routing.follow_up, routing.text));
  }
  const std::string chosen = routing.skill.empty() ? "no skill" : routing.skill;
  std::string declined;
  for (const auto& skill : routing.declined)
    declined += fmt::format("{}{}", declined.empty() ? "" : ", ", skill);
  lines.push_back(
      fmt::format("\"{}\" went to {} by {}{}.", routing.text, chosen, routing.source,
                  declined.empty() ? "" : fmt::format(", after {} declined", declined)));
  if (!routing.top.empty()) {
    std::string scores;
    for (const auto& candidate : routing.top)
      scores += fmt::format("{}{} {:.3f}", scores.empty() ? "" : ", ", candidate.skill,
                            candidate.probability);
    lines.push_back(fmt::format("gate scores: {}; confidence {:.3f} (out of scope below {:.2f})",
                                scores, routing.confidence, model_->config().out_of_scope_below));
  }
  if (last_.mapping && !last_.mapping->skill.empty()) {
    const auto& mapping = *last_.mapping;
    lines.push_back(fmt::format("mapping \"{}\" -> {} (version {}): {} confirmed, {} rejected",
                                mapping.key, mapping.skill, mapping.skill_version,
                                mapping.confirmations, mapping.rejections));
  } else {
    lines.push_back(fmt::format("no mapping for \"{}\"", routing.key));
  }
  for (const auto& entry : last_.feedback) {
    lines.push_back(fmt::format(
        "feedback: \"{}\" about {} ({}) in session {}", entry.text, entry.skill,
        entry.verdict == memory::Verdict::confirm ? "confirmed" : "rejected", entry.session));
  }
  return lines;
}

}  // namespace requip::router

#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "requip/core/brain.hpp"

namespace requip::serve {

// Output of a continuous skill (a timer, a reminder) that fell due between turns.
struct PushedOutput {
  std::string session;  // the conversation whose instance made it
  std::string skill;
  std::vector<std::string> lines;
};

struct SkillSummary {
  std::string name;
  std::string version;
  std::string kind;
  std::string description;
};

struct ConversationOptions {
  unsigned threads = 8;  // turn threads: turns of different conversations run in parallel
  std::chrono::milliseconds turn_timeout{10'000};
  std::size_t max_conversations = 100'000;  // beyond it the least recently used is forgotten
};

// Where turns run: by default threads of the Conversations' own. A server passes its I/O
// threads, so that a fast turn is answered on the thread that read it.
struct TurnThreads {
  std::function<void(std::function<void()>)> post;
  std::function<void()> replace_thread;  // one more, for one stuck in a skill
};

// How a turn ended, as the caller of converse() learns it.
enum class TurnEnd {
  answered,   // the Reply is the turn's (its error is set if the input was refused)
  timed_out,  // the turn outlived its deadline; the Reply's error names the skill
  stopped,    // the server stopped before the turn ran
};

// The conversations of one agent, one Brain per session id, each with its own skill
// instances, memory (the session id is the user), emotion and router state. Turns of
// different conversations run in parallel on the turn threads; turns of one conversation
// run in the order they came. No lock is held across a skill's hooks that another
// conversation needs.
class Conversations {
 public:
  using Done = std::function<void(Reply, TurnEnd)>;

  Conversations(std::shared_ptr<Agent> agent, ConversationOptions options = {});
  Conversations(const Conversations&) = delete;
  Conversations& operator=(const Conversations&) = delete;
  ~Conversations();

  // Before the first turn: run turns on these threads instead of threads of our own.
  void run_turns_on(TurnThreads threads);
  // Runs at the start of every turn: where plugin swaps are picked up.
  void on_turn_boundary(std::function<void()> hook);

  // Queues an input of `session` behind its earlier turns. `on_line` gets each line as its
  // step runs; `done` gets the Reply once, from a turn thread, or at the deadline from the
  // watchdog. Thread-safe.
  void converse(const std::string& session, std::string text, Brain::Sink on_line, Done done);
  // The same, waiting for the end.
  Reply converse(const std::string& session, std::string_view text);
  // Runs `visit` on the session's brain in turn, as a turn would run, and waits for it: how
  // a REPL command reaches the conversation's router. False if it timed out or the server
  // stopped first.
  bool visit(const std::string& session, std::function<void(Brain&)> visit);

  // Lets the continuous skills of each conversation not in a turn act; `push` gets what
  // they say, by session.
  void tick(const std::function<void(PushedOutput)>& push);
  // Forgets idle conversations not used since `cutoff` unless `keep` holds them.
  std::size_t expire(std::chrono::steady_clock::time_point cutoff,
                     const std::function<bool(const std::string&)>& keep);

  // Why a turn would refuse `text` (empty, too long, not UTF-8), if it would.
  std::optional<std::string> refusal(std::string_view text) const;

  std::size_t sessions() const;
  // Turns inside a skill now; after stop(), the ones still stuck.
  std::size_t turns_running() const;
  std::vector<SkillSummary> skills() const;
  // Takes no more turns and gives those running up to `grace` to end. Returns the skills
  // that still hold a turn: their threads are left behind, with what they use.
  std::vector<std::string> stop(std::chrono::milliseconds grace);

 private:
  class State;
  // Shared with the turn threads, so that one stuck in a skill never outlives what it uses.
  std::shared_ptr<State> state_;
};

// A session id names a conversation in a URL: 1 to 64 of [A-Za-z0-9_.-].
bool valid_session_id(std::string_view id);

}  // namespace requip::serve

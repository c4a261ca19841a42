#include "requip/serve/conversations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>

#include "requip/core/detail/library_log.hpp"
#include "requip/core/input_check.hpp"
#include "requip/core/unavailable.hpp"
#include "turn_workers.hpp"
#include "watchdog.hpp"

namespace requip::serve {

namespace {
using Clock = std::chrono::steady_clock;
}

bool valid_session_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

class Conversations::State : public std::enable_shared_from_this<State> {
 public:
  State(std::shared_ptr<Agent> agent, ConversationOptions options)
      : agent_(std::move(agent)), options_(options) {}

  using Hooks = std::vector<std::function<void()>>;
  struct Job;
  struct Conversation {
    Conversation(std::shared_ptr<Agent> agent, const std::string& session)
        : session(session), brain(std::move(agent), session) {}

    const std::string session;
    std::mutex mutex;  // queue, running and last_used; never held across a turn
    std::deque<std::shared_ptr<Job>> queue;
    std::shared_ptr<Job> current;  // the turn the brain is in
    bool running = false;          // a turn thread or a tick has the brain
    Clock::time_point last_used = Clock::now();
    Brain brain;  // used only by whoever set `running`
  };
  struct Job {
    std::string text;
    std::function<void(Brain&)> visit;  // instead of a turn
    Brain::Sink on_line;
    Done done;
    std::atomic<bool> settled{false};  // done was called, by the turn or by the watchdog
    std::mutex mutex;  // the callbacks: let go once settled, so a stuck turn holds no client

    // Gives the reply to `done` once, whoever comes first; false if it was already given.
    bool finish(Reply reply, TurnEnd end) {
      std::unique_lock lock(mutex);
      if (settled.exchange(true)) return false;
      Done finished = std::move(done);
      on_line = nullptr;
      lock.unlock();
      finished(std::move(reply), end);
      return true;
    }
    void line(const Output& output) {
      std::lock_guard lock(mutex);
      if (!settled && on_line) on_line(output);  // never after a timeout's answer
    }
    std::atomic<bool> started{false};
    std::uint64_t watch = 0;
    std::weak_ptr<Conversation> conversation;
  };

  void on_turn_boundary(std::function<void()> hook) {
    std::lock_guard lock(mutex_);
    auto hooks = std::make_shared<Hooks>(*boundary_hooks_);
    hooks->push_back(std::move(hook));
    boundary_hooks_ = std::move(hooks);
  }

  void converse(const std::string& session, std::string text, Brain::Sink on_line, Done done) {
    auto job = std::make_shared<Job>();
    job->text = std::move(text);
    job->on_line = std::move(on_line);
    job->done = std::move(done);
    queue(session, std::move(job));
  }

  void visit(const std::string& session, std::function<void(Brain&)> visit, Done done) {
    auto job = std::make_shared<Job>();
    job->visit = std::move(visit);
    job->done = std::move(done);
    queue(session, std::move(job));
  }

  void queue(const std::string& session, std::shared_ptr<Job> job) {
    std::shared_ptr<Conversation> conversation;
    {
      std::lock_guard lock(mutex_);
      if (!stopped_) conversation = find_or_open(session);
    }
    if (!conversation) {
      Reply refused;
      refused.error = "the server is stopping: send the message again later";
      job->done(std::move(refused), TurnEnd::stopped);
      return;
    }
    job->conversation = conversation;
    job->watch = watchdog_.watch(Clock::now() + options_.turn_timeout,
                                 [weak_self = weak_from_this(), weak = std::weak_ptr<Job>(job)] {
                                   auto self = weak_self.lock();
                                   auto expired = weak.lock();
                                   if (self && expired) self->expire(*expired);
                                 });
    bool start = false;
    {
      std::lock_guard lock(conversation->mutex);
      conversation->queue.push_back(std::move(job));
      conversation->last_used = Clock::now();
      start = !std::exchange(conversation->running, true);
    }
    if (start) schedule(conversation);
  }

  void tick(const std::function<void(PushedOutput)>& push) {
    for (const auto& conversation : snapshot()) {
      {
        std::lock_guard lock(conversation->mutex);
        if (conversation->running || !conversation->queue.empty()) continue;
        conversation->running = true;
      }
      const Reply reply = conversation->brain.tick();
      release(conversation, false);  // a tick is not a use: idle conversations still expire
      if (!reply.lines.empty()) push({conversation->session, reply.skill, reply.lines});
    }
  }

  std::size_t expire_idle(Clock::time_point cutoff,
                          const std::function<bool(const std::string&)>& keep) {
    std::vector<std::shared_ptr<Conversation>> expired;  // destroyed outside the lock
    std::lock_guard lock(mutex_);
    for (auto at = conversations_.begin(); at != conversations_.end();) {
      if (idle_since(*at->second, cutoff) && !keep(at->first)) {
        expired.push_back(std::move(at->second));
        at = conversations_.erase(at);
      } else {
        ++at;
      }
    }
    return expired.size();
  }

  std::size_t sessions() const {
    std::lock_guard lock(mutex_);
    return conversations_.size();
  }

  std::size_t turns_running() const {
    std::lock_guard lock(mutex_);
    return turns_running_;
  }

  const std::shared_ptr<Agent>& agent() const { return agent_; }

  void run_turns_on(TurnThreads threads) {
    std::lock_guard lock(mutex_);
    turn_threads_ = std::move(threads);
  }

  std::vector<std::string> stop(std::chrono::milliseconds grace) {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    {
      std::unique_lock lock(mutex_);
      turns_ended_.wait_for(lock, grace, [this] { return turns_running_ == 0; });
    }
    if (own_threads_) own_threads_->stop(std::chrono::milliseconds(0));
    // Whatever did not end is answered now, so that no client waits on a stopped server.
    std::vector<std::string> stuck;
    for (const auto& conversation : snapshot()) {
      std::lock_guard lock(conversation->mutex);
      for (auto& job : conversation->queue)
        settle(*job, "the server stopped before this turn ran: send it again later");
      conversation->queue.clear();
      if (!conversation->current) continue;
      std::string skill = conversation->brain.running();
      settle(*conversation->current,
             fmt::format("the server stopped while skill '{}' held this turn", skill));
      if (std::find(stuck.begin(), stuck.end(), skill) == stuck.end()) stuck.push_back(skill);
    }
    return stuck;
  }

 private:
  std::shared_ptr<Conversation> find_or_open(const std::string& session) {
    auto found = conversations_.find(session);
    if (found != conversations_.end()) return found->second;
    if (conversations_.size() >= options_.max_conversations) evict_least_recent();
    auto opened = std::make_shared<Conversation>(agent_, session);
    conversations_.emplace(session, opened);
    return opened;
  }

  void evict_least_recent() {
    auto oldest = conversations_.end();
    Clock::time_point oldest_use = Clock::time_point::max();
    for (auto at = conversations_.begin(); at != conversations_.end(); ++at) {
      std::lock_guard lock(at->second->mutex);
      if (at->second->running || !at->second->queue.empty()) continue;
      if (at->second->last_used < oldest_use) {
        oldest_use = at->second->last_used;
        oldest = at;
      }
    }
    if (oldest == conversations_.end()) return;  // every one is in a turn: over the bound
    requip::detail::library_log().info(
        "forgot conversation '{}', the least recently used, to stay within {} conversations",
        oldest->first, options_.max_conversations);
    conversations_.erase(oldest);
  }

  static bool idle_since(Conversation& conversation, Clock::time_point cutoff) {
    std::lock_guard lock(conversation.mutex);
    return !conversation.running && conversation.queue.empty() && conversation.last_used < cutoff;
  }

  std::vector<std::shared_ptr<Conversation>> snapshot() const {
    std::vector<std::shared_ptr<Conversation>> all;
    std::lock_guard lock(mutex_);
    all.reserve(conversations_.size());
    for (const auto& [session, conversation] : conversations_)
      all.push_back(conversation);
    return all;
  }

  void schedule(const std::shared_ptr<Conversation>& conversation) {
    threads().post([self = shared_from_this(), conversation] { self->run_next(conversation); });
  }

  // Gives the brain back, the turn in it ended; a turn queued meanwhile is scheduled.
  void release(const std::shared_ptr<Conversation>& conversation, bool used = true) {
    bool more = false;
    {
      std::lock_guard lock(conversation->mutex);
      conversation->current.reset();
      if (used) conversation->last_used = Clock::now();
      more = !conversation->queue.empty();
      conversation->running = more;
    }
    if (more) schedule(conversation);
  }

  static void settle(Job& job, std::string why) {
    Reply reply;
    reply.error = std::move(why);
    job.finish(std::move(reply), TurnEnd::stopped);
  }

  TurnThreads& threads() {
    std::lock_guard lock(mutex_);
    if (!turn_threads_.post) {
      own_threads_ = std::make_unique<detail::TurnWorkers>(options_.threads);
      turn_threads_ = {[workers = own_threads_.get()](std::function<void()> work) {
                         workers->post(std::move(work));
                       },
                       [workers = own_threads_.get()] { workers->replace_thread(); }};
    }
    return turn_threads_;
  }

  void run_next(const std::shared_ptr<Conversation>& conversation) {
    std::shared_ptr<Job> job;
    {
      std::lock_guard lock(conversation->mutex);
      if (conversation->queue.empty()) return;  // answered by stop()
      job = std::move(conversation->queue.front());
      conversation->queue.pop_front();
      conversation->current = job;
    }
    std::shared_ptr<const Hooks> hooks;
    {
      std::lock_guard lock(mutex_);
      ++turns_running_;
      hooks = boundary_hooks_;
    }
    if (!job->settled) run(*conversation, *hooks, job);
    {
      // Ended before it is counted out, so that stop() never takes it for one still stuck.
      std::lock_guard lock(conversation->mutex);
      conversation->current.reset();
    }
    {
      std::lock_guard lock(mutex_);
      if (--turns_running_ == 0) turns_ended_.notify_all();
    }
    // One turn at a time per conversation, then back in line: others get the thread too.
    release(conversation);
  }

  void run(Conversation& conversation, const Hooks& hooks, const std::shared_ptr<Job>& job) {
    for (const auto& hook : hooks)
      hook();
    job->started = true;
    Reply reply;
    try {
      if (job->visit) {
        job->visit(conversation.brain);
      } else {
        reply = conversation.brain.converse(job->text,
                                            [&job](const Output& output) { job->line(output); });
      }
    } catch (const std::exception& failure) {
      // The brain contains what its skills throw; whatever still gets here ends this turn
      // alone: the caller hears of it, and the conversation and the turn thread go on.
      reply = Reply{};
      if (const auto* unavailable = dynamic_cast<const Unavailable*>(&failure)) {
        reply.unavailable = unavailable->reason();
      } else {
        reply.error = failure.what();
      }
    }
    watchdog_.cancel(job->watch);
    job->finish(std::move(reply), TurnEnd::answered);
  }

  void expire(Job& job) {
    if (job.settled) return;
    auto conversation = job.conversation.lock();
    const bool stuck = job.started && conversation;
    const std::string skill = stuck ? conversation->brain.running() : std::string();
    Reply reply;
    reply.error =
        stuck ? fmt::format(
                    "the turn did not finish within {} ms: skill '{}' is still running; try again "
                    "later",
                    options_.turn_timeout.count(), skill.empty() ? "?" : skill)
              : fmt::format(
                    "the turn did not start within {} ms: an earlier turn of this conversation is "
                    "still running",
                    options_.turn_timeout.count());
    const std::string error = reply.error;
    if (!job.finish(std::move(reply), TurnEnd::timed_out)) return;  // it ended meanwhile
    requip::detail::library_log().warn("conversation '{}': {}",
                                       conversation ? conversation->session : "?", error);
    if (!stuck) return;
    if (auto factory = agent_->catalog()->find(skill); factory && factory->report_failure) {
      factory->report_failure(error);
    }
    threads().replace_thread();  // that one is stuck; the other conversations keep theirs
  }

  std::shared_ptr<Agent> agent_;
  ConversationOptions options_;
  mutable std::mutex mutex_;  // the map, the hooks and stopped_; never held across a turn
  std::map<std::string, std::shared_ptr<Conversation>> conversations_;
  // Replaced when a hook is added, never changed: a turn takes the list without copying it.
  std::shared_ptr<const Hooks> boundary_hooks_ = std::make_shared<Hooks>();
  bool stopped_ = false;
  std::condition_variable turns_ended_;
  std::size_t turns_running_ = 0;
  TurnThreads turn_threads_;  // set by a server, else threads of our own
  std::unique_ptr<detail::TurnWorkers> own_threads_;
  detail::Watchdog watchdog_;
};

Conversations::Conversations(std::shared_ptr<Agent> agent, ConversationOptions options)
    : state_(std::make_shared<State>(std::move(agent), options)) {}

Conversations::~Conversations() {
  state_->stop(std::chrono::milliseconds(0));
}

void Conversations::on_turn_boundary(std::function<void()> hook) {
  state_->on_turn_boundary(std::move(hook));
}

void Conversations::converse(const std::string& session, std::string text, Brain::Sink on_line,
                             Done done) {
  state_->converse(session, std::move(text), std::move(on_line), std::move(done));
}

Reply Conversations::converse(const std::string& session, std::string_view text) {
  auto ended = std::make_shared<std::promise<Reply>>();
  auto reply = ended->get_future();
  state_->converse(session, std::string(text), {},
                   [ended](Reply reply, TurnEnd) { ended->set_value(std::move(reply)); });
  return reply.get();
}

bool Conversations::visit(const std::string& session, std::function<void(Brain&)> visit) {
  auto ended = std::make_shared<std::promise<TurnEnd>>();
  auto end = ended->get_future();
  state_->visit(session, std::move(visit), [ended](Reply reply, TurnEnd how) {
    ended->set_value(reply.error.empty() ? how : TurnEnd::stopped);
  });
  return end.get() == TurnEnd::answered;
}

void Conversations::tick(const std::function<void(PushedOutput)>& push) {
  state_->tick(push);
}

std::size_t Conversations::expire(std::chrono::steady_clock::time_point cutoff,
                                  const std::function<bool(const std::string&)>& keep) {
  return state_->expire_idle(cutoff, keep);
}

std::optional<std::string> Conversations::refusal(std::string_view text) const {
  return check_input(text, state_->agent()->options().max_input_bytes);
}

std::size_t Conversations::sessions() const {
  return state_->sessions();
}

std::vector<SkillSummary> Conversations::skills() const {
  std::vector<SkillSummary> summaries;
  for (const auto& skill : state_->agent()->catalog()->skills) {
    summaries.push_back(
        {skill->name, skill->version, std::string(to_string(skill->kind)), skill->description});
  }
  return summaries;
}

void Conversations::run_turns_on(TurnThreads threads) {
  state_->run_turns_on(std::move(threads));
}

std::size_t Conversations::turns_running() const {
  return state_->turns_running();
}

std::vector<std::string> Conversations::stop(std::chrono::milliseconds grace) {
  return state_->stop(grace);
}

}  // namespace requip::serve

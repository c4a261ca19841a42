#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "serve_client.hpp"
#include "serve_process.hpp"
#include "store_location.hpp"

using requip::test::Backend;
using requip::test::postgres_available;
using requip::test::say;
using requip::test::ServeProcess;
using requip::test::StoreLocation;

namespace {

std::string replies_of(const nlohmann::json& turn) {
  std::string text;
  for (const auto& line : turn["replies"])
    text += line.get<std::string>() + "\n";
  return text;
}

// Users take notes on a replica, as fast as it answers, until stopped or the replica is gone.
// Records each note the replica acknowledged, and every status it answered with.
class NoteTakers {
 public:
  NoteTakers(std::uint16_t port, std::string user_prefix, int users) {
    for (int user = 0; user < users; ++user) {
      threads_.emplace_back([this, port, name = user_prefix + std::to_string(user)] {
        for (int note = 0; !stop_; ++note) {
          const std::string text = fmt::format("item {} for {}", note, name);
          requip::test::HttpAnswer answer;
          try {
            answer = requip::test::post_json(port, "/v1/sessions/" + name + "/messages",
                                             {{"text", "take a note " + text}});
          } catch (const std::exception&) {
            return;  // the replica is gone
          }
          std::lock_guard lock(mutex_);
          ++statuses_[answer.status];
          if (answer.status == 200) acknowledged_[name].push_back(text);
        }
      });
    }
  }
  ~NoteTakers() { stop(); }

  void stop() {
    stop_ = true;
    for (auto& thread : threads_)
      if (thread.joinable()) thread.join();
  }
  int answered(int status) {
    std::lock_guard lock(mutex_);
    return statuses_[status];
  }
  std::map<int, int> statuses() {
    std::lock_guard lock(mutex_);
    return statuses_;
  }
  std::map<std::string, std::vector<std::string>> acknowledged() {
    std::lock_guard lock(mutex_);
    return acknowledged_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::map<int, int> statuses_;
  std::map<std::string, std::vector<std::string>> acknowledged_;
  std::vector<std::thread> threads_;
};

void wait_for(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!done() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

// Every acknowledged note is in the user's list, as `port` answers it.
void check_kept(std::uint16_t port, const std::map<std::string, std::vector<std::string>>& notes) {
  for (const auto& [user, texts] : notes) {
    const std::string listed = replies_of(say(port, user, "list my notes"));
    for (const auto& text : texts) {
      INFO(user << " was told their note was taken: " << text);
      CHECK_THAT(listed, Catch::Contains(". " + text + "\n"));
    }
  }
}

}  // namespace

TEST_CASE(
    "serve: on PostgreSQL, turns answer 503 while the database server is down and carry "
    "on when it is back, nothing stored lost",
    "[serve][e2e][postgres]") {
  if (!postgres_available()) return;
  const StoreLocation where(Backend::postgres);
  ServeProcess server({}, where.db());
  const auto port = server.port();
  REQUIRE_THAT(replies_of(say(port, "alice", "take a note buy milk")), Catch::Contains("Noted"));

  where.cluster()->stop();
  const auto down =
      requip::test::post_json(port, "/v1/sessions/alice/messages", {{"text", "list my notes"}});
  CHECK(down.status == 503);
  CHECK_THAT(down.json()["error"]["message"].get<std::string>(), Catch::Contains("postgresql://"));
  // The server itself still answers.
  CHECK(requip::test::http_request(port, "GET", "/healthz").status == 200);

  where.cluster()->start();
  CHECK_THAT(replies_of(say(port, "alice", "list my notes")), Catch::Contains("buy milk"));
  CHECK(server.terminate() == 0);
}

TEST_CASE(
    "serve: two replicas on one PostgreSQL database share each user's notes and what "
    "feedback taught",
    "[serve][e2e][postgres]") {
  if (!postgres_available()) return;
  const StoreLocation where(Backend::postgres);
  ServeProcess first({}, where.db()), second({}, where.db());

  say(first.port(), "alice", "take a note the key is under the mat");
  CHECK_THAT(replies_of(say(second.port(), "alice", "list my notes")),
             Catch::Contains("the key is under the mat"));
  CHECK_THAT(replies_of(say(second.port(), "bob", "list my notes")),
             !Catch::Contains("the key is under the mat"));

  // A skill equipped with "please" and confirmed on one replica is the mapping on the other.
  const std::string skill = say(first.port(), "alice", "please what time is it")["why"]["skill"];
  say(first.port(), "alice", "thanks");
  nlohmann::json why;
  for (int attempt = 0; attempt < 100; ++attempt) {
    why = say(second.port(), "carol", "what time is it")["why"];
    if (why["source"] == "mapping") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(why["source"] == "mapping");
  CHECK(why["skill"] == skill);

  // A conversation goes on across replicas: "wrong" on the second is about the first's answer.
  const std::string rejected = say(first.port(), "dave", "please what time is it")["why"]["skill"];
  const auto requipped = say(second.port(), "dave", "wrong");
  const std::string next = requipped["why"]["skill"];
  CHECK(next != rejected);
  CHECK(requipped["replies"][0] == next + " equipped.");
  // Back on the first, the skill equipped on the second is offered the input first, and the
  // one rejected there is not chosen.
  const auto back = say(first.port(), "dave", "what time is it")["why"];
  CHECK(back["source"] == "equipped");
  const bool offered_first =
      back["skill"] == next || (!back["declined"].empty() && back["declined"][0] == next);
  CHECK(offered_first);
  CHECK(back["skill"] != rejected);

  // A skill's question asked on one replica gets its answer on the other.
  CHECK(replies_of(say(first.port(), "erin", "take a note")) == "What should the note say?\n");
  CHECK_THAT(replies_of(say(second.port(), "erin", "the gate code is 1234")),
             Catch::StartsWith("Noted"));
  CHECK_THAT(replies_of(say(first.port(), "erin", "list my notes")),
             Catch::Contains("1. the gate code is 1234\n"));
}

TEST_CASE("serve: a replica killed under load loses nothing it acknowledged, and the other goes on",
          "[serve][e2e][postgres]") {
  if (!postgres_available()) return;
  const StoreLocation where(Backend::postgres);
  ServeProcess doomed({}, where.db()), survivor({}, where.db());
  NoteTakers on_doomed(doomed.port(), "ann", 3);
  NoteTakers on_survivor(survivor.port(), "ben", 3);
  wait_for([&] { return on_doomed.answered(200) >= 60 && on_survivor.answered(200) >= 20; });
  doomed.crash();
  on_doomed.stop();
  const int before = on_survivor.answered(200);
  wait_for([&] { return on_survivor.answered(200) >= before + 20; });
  on_survivor.stop();

  CHECK(on_doomed.answered(200) >= 60);
  CHECK(on_survivor.statuses() == std::map<int, int>{{200, on_survivor.answered(200)}});
  CHECK(on_survivor.answered(200) >= before + 20);
  // The survivor serves the dead replica's users too, with every note they were told was kept.
  check_kept(survivor.port(), on_doomed.acknowledged());
  check_kept(survivor.port(), on_survivor.acknowledged());
  CHECK(survivor.terminate() == 0);
}

TEST_CASE(
    "serve: PostgreSQL restarted under load: 503s while it is down, service after, nothing "
    "acknowledged lost",
    "[serve][e2e][postgres]") {
  if (!postgres_available()) return;
  const StoreLocation where(Backend::postgres);
  ServeProcess server({}, where.db());
  NoteTakers users(server.port(), "cat", 4);
  wait_for([&] { return users.answered(200) >= 40; });
  where.cluster()->stop();
  wait_for([&] { return users.answered(503) >= 20; });
  where.cluster()->start();
  const int before = users.answered(200);
  wait_for([&] { return users.answered(200) >= before + 40; });
  users.stop();

  const auto statuses = users.statuses();
  CHECK(statuses.at(503) >= 20);
  CHECK(users.answered(200) >= before + 40);
  std::set<int> seen;
  for (const auto& [status, count] : statuses)
    seen.insert(status);
  CHECK(seen == std::set<int>{200, 503});
  check_kept(server.port(), users.acknowledged());
  CHECK(server.terminate() == 0);
}

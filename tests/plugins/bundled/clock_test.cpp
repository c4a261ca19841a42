#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <regex>
#include <thread>

#include "bundled_plugin.hpp"
#include "when.hpp"

using requip::Brain;
using requip::test::answer;
using requip::test::bundled_skill;

namespace {

std::tm local_now() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return local;
}

std::string local_text(const char* format, const std::tm& local) {
  char text[64];
  return std::string(text, std::strftime(text, sizeof text, format, &local));
}

// The seconds an answer's "(in 9 h 12 min)" stands for.
long seconds_in(const std::string& answer) {
  static const std::regex in(R"(\(in (?:(\d+) h)? ?(?:(\d+) min)? ?(?:(\d+) s)?\))");
  std::smatch match;
  REQUIRE(std::regex_search(answer, match, in));
  auto part = [&](int i) { return match[i].matched ? std::stol(match[i]) : 0L; };
  return part(1) * 3600 + part(2) * 60 + part(3);
}

// Seconds from now until the local clock next shows hour:minute.
long seconds_until(int hour, int minute) {
  const std::tm now = local_now();
  const long left =
      (hour * 3600 + minute * 60) - (now.tm_hour * 3600 + now.tm_min * 60 + now.tm_sec);
  return left > 0 ? left : left + 86400;
}

// The local clock's face some minutes from now: "10:42".
std::string face_in(int minutes) {
  std::tm later = local_now();
  later.tm_min += minutes;
  later.tm_isdst = -1;
  std::mktime(&later);
  return local_text("%H:%M", later);
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_CASE("clock plugin: tells the time and the date", "[plugins][clock]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(bundled_skill("clock", brain, isolation));
  for (const char* asked : {"what time is it", "what's the time", "tell me the time"}) {
    CAPTURE(asked);
    CHECK_THAT(answer(brain, asked)[0], Catch::Matches("It is \\d\\d:\\d\\d\\."));
  }
  const std::string weekday = local_text("%A", local_now());
  for (const char* asked : {"what's the date today", "what is today's date", "what day is it",
                            "which day of the week is it"}) {
    CAPTURE(asked);
    CHECK_THAT(answer(brain, asked)[0],
               Catch::StartsWith("Today is " + weekday + ", ") && Catch::EndsWith("."));
  }
  CHECK(answer(brain, "have a nice day").empty());  // not a question about the date
}

TEST_CASE("clock plugin: a timer takes its duration in digits or words, before or after 'timer'",
          "[plugins][clock]") {
  REQUIP_EACH_ISOLATION(isolation);
  const std::vector<std::pair<std::string, std::string>> said{
      {"set a timer for 5 minutes", "Timer set for 5 minutes."},
      {"start a 30 second timer", "Timer set for 30 seconds."},
      {"30-second timer", "Timer set for 30 seconds."},
      {"10 minute timer", "Timer set for 10 minutes."},
      {"timer for two minutes", "Timer set for 2 minutes."},
      {"set a timer for an hour", "Timer set for 1 hour."},
      {"set a timer for 1 hour and 30 minutes", "Timer set for 1 hour and 30 minutes."},
      {"Set a timer for 1h30.", "Timer set for 1 hour and 30 minutes."},
      {"half an hour timer", "Timer set for 30 minutes."},
      {"timer for an hour and a half", "Timer set for 1 hour and 30 minutes."},
      {"set a timer for twenty five secs", "Timer set for 25 seconds."},
      {"set a timer for 2 hrs 5 mins", "Timer set for 2 hours and 5 minutes."},
  };
  for (const auto& [asked, answered] : said) {
    Brain brain;
    brain.add(bundled_skill("clock", brain, isolation));
    CHECK(answer(brain, asked) == std::vector<std::string>{answered});
  }
}

TEST_CASE("clock plugin: a timer without a duration asks for how long, and the answer sets it",
          "[plugins][clock][follow-up]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(bundled_skill("clock", brain, isolation));
  CHECK(answer(brain, "set a timer") == std::vector<std::string>{"For how long?"});
  SECTION("a duration answers the question") {
    CHECK(answer(brain, "ten minutes") == std::vector<std::string>{"Timer set for 10 minutes."});
    CHECK_THAT(answer(brain, "list my timers")[0], Catch::StartsWith("1. timer (10 minutes)"));
  }
  SECTION("anything else is declined and heard as usual") {
    CHECK(answer(brain, "set a timer please") == std::vector<std::string>{"For how long?"});
    CHECK_THAT(answer(brain, "list my timers")[0], Catch::StartsWith("No timers"));
  }
}

TEST_CASE("clock plugin: a reminder arrives through a tick once it is due", "[plugins][clock]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(bundled_skill("clock", brain, isolation));
  CHECK(answer(brain, "remind me in 1 second to stretch") ==
        std::vector<std::string>{"I will remind you in 1 second: stretch."});
  CHECK(brain.tick().lines.empty());  // not yet due
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CHECK(brain.tick().lines == std::vector<std::string>{"Reminder: stretch"});
  CHECK(brain.tick().lines.empty());  // said once
}

TEST_CASE("clock plugin: a reminder's task may come before or after its time", "[plugins][clock]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(bundled_skill("clock", brain, isolation));
  CHECK(answer(brain, "remind me to stretch in 10 minutes") ==
        std::vector<std::string>{"I will remind you in 10 minutes: stretch."});
  CHECK(answer(brain, "remind me in 10 minutes to stretch") ==
        std::vector<std::string>{"I will remind you in 10 minutes: stretch."});
  CHECK(answer(brain, "can you remind me to take 2 pills in half an hour?") ==
        std::vector<std::string>{"I will remind you in 30 minutes: take 2 pills."});

  const std::string at_five = answer(brain, "remind me at 5pm to call mum")[0];
  CHECK_THAT(at_five, Catch::StartsWith("I will remind you at 17:00 (in ") &&
                          Catch::EndsWith("): call mum."));
  CHECK(std::abs(seconds_in(at_five) - seconds_until(17, 0)) <= 90);
  const std::string at_half_past = answer(brain, "Remind me to call Mum at 17:30.")[0];
  CHECK_THAT(at_half_past, Catch::StartsWith("I will remind you at 17:30 (in ") &&
                               Catch::EndsWith("): call Mum."));
  CHECK_THAT(answer(brain, "remind me to call mum")[0], Catch::StartsWith("When? "));
}

TEST_CASE("clock plugin: an alarm rings at the next time the clock shows, and says when that is",
          "[plugins][clock]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(bundled_skill("clock", brain, isolation));
  const std::vector<std::tuple<std::string, int, int>> said{
      {"set an alarm for 7am", 7, 0},
      {"set an alarm for 7:30 pm", 19, 30},
      {"wake me at 6:30", 6, 30},
      {"wake me up at 6 am", 6, 0},
      {"alarm at 19:00", 19, 0},
      {"set an alarm for noon", 12, 0},
      {"set an alarm for half past six in the evening", 18, 30},
  };
  for (const auto& [asked, hour, minute] : said) {
    CAPTURE(asked);
    const std::string face = requip::when::clock_face(hour, minute);
    const std::string answered = answer(brain, asked)[0];
    CHECK_THAT(answered, Catch::StartsWith("Alarm set for " + face + " (in "));
    CHECK(std::abs(seconds_in(answered) - seconds_until(hour, minute)) <= 90);
  }
  // A time three and a half hours ahead is not confused with one a day away.
  const std::string answered = answer(brain, "set an alarm for " + face_in(210))[0];
  CHECK(std::abs(seconds_in(answered) - 210 * 60) <= 90);
  CHECK_THAT(answer(brain, "set an alarm")[0], Catch::StartsWith("For when? "));
}

TEST_CASE("clock plugin: a due alarm says its time through a tick", "[plugins][clock]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(bundled_skill("clock", brain, isolation));
  const std::string set = answer(brain, "wake me up in 1 second")[0];
  std::smatch face;
  REQUIRE(std::regex_match(set, face, std::regex(R"(Alarm set for (\d\d:\d\d) \(in 1 s\)\.)")));
  CHECK(brain.tick().lines.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CHECK(brain.tick().lines == std::vector<std::string>{"Alarm: " + face[1].str() + "."});
}

TEST_CASE("clock plugin: the list numbers what is pending with its kind, time left and message",
          "[plugins][clock]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(bundled_skill("clock", brain, isolation));
  CHECK(answer(brain, "list my timers") ==
        std::vector<std::string>{"No timers, alarms or reminders are pending."});
  answer(brain, "remind me in 10 minutes to stretch");
  answer(brain, "set a timer for 5 minutes");
  const std::string face = face_in(210);  // after the others, whatever the time of day
  answer(brain, "set an alarm for " + face);
  for (const char* asked : {"list my timers", "what timers do I have", "show my alarms",
                            "list my reminders", "what reminders do I have"}) {
    CAPTURE(asked);
    const auto listed = answer(brain, asked);
    REQUIRE(listed.size() == 3);  // in the order they fall due
    CHECK_THAT(listed[0], Catch::Matches(R"(1\. timer \(5 minutes\), (4 min 5\d s|5 min) left)"));
    CHECK_THAT(listed[1], Catch::Matches(R"(2\. reminder \(stretch\), (9 min 5\d s|10 min) left)"));
    CHECK_THAT(listed[2], Catch::Matches("3\\. alarm \\(" + face + "\\), 3 h (29|30|31) min left"));
  }
}

TEST_CASE("clock plugin: cancelling says what was cancelled, by kind, by number or all at once",
          "[plugins][clock]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(bundled_skill("clock", brain, isolation));
  CHECK(answer(brain, "cancel the timer") ==
        std::vector<std::string>{"There is nothing to cancel."});
  answer(brain, "set a timer for 5 minutes");
  answer(brain, "set a timer for 10 minutes");
  answer(brain, "remind me in 20 minutes to stretch");
  const std::string face = face_in(210);
  answer(brain, "set an alarm for " + face);

  const auto which = answer(brain, "cancel the timer");
  REQUIRE(which.size() == 3);  // the question and the two timers
  CHECK_THAT(which[0], Catch::StartsWith("Which one? "));
  CHECK_THAT(which[2], Catch::StartsWith("2. timer (10 minutes)"));
  CHECK(answer(brain, "cancel alarm 1") ==
        std::vector<std::string>{"Number 1 is a timer, not an alarm."});
  CHECK_THAT(answer(brain, "cancel timer 9")[0], Catch::StartsWith("There is no number 9"));
  CHECK(answer(brain, "cancel timer 2") ==
        std::vector<std::string>{"Cancelled timer (10 minutes)."});
  CHECK(answer(brain, "stop the timer") ==
        std::vector<std::string>{"Cancelled timer (5 minutes)."});
  CHECK(answer(brain, "stop the timer") ==
        std::vector<std::string>{"There is no timer to cancel."});
  CHECK(answer(brain, "cancel my alarm") ==
        std::vector<std::string>{"Cancelled alarm (" + face + ")."});
  CHECK(answer(brain, "delete my reminders") ==
        std::vector<std::string>{"Cancelled reminder (stretch)."});

  answer(brain, "set a timer for 5 minutes");
  answer(brain, "set a timer for 10 minutes");
  answer(brain, "set a timer for 15 minutes");
  CHECK(answer(brain, "cancel the 10 minute timer") ==
        std::vector<std::string>{"Cancelled timer (10 minutes)."});
  CHECK(answer(brain, "cancel all timers") ==
        std::vector<std::string>{"Cancelled timer (5 minutes) and timer (15 minutes)."});
  CHECK_THAT(answer(brain, "list my timers")[0], Catch::StartsWith("No timers"));
}

TEST_CASE("clock plugin: pending items are handed over to a replacement", "[plugins][clock]") {
  REQUIP_EACH_ISOLATION(isolation);
  Brain brain;
  brain.add(bundled_skill("clock", brain, isolation));
  CHECK(answer(brain, "set a timer for 5 minutes") ==
        std::vector<std::string>{"Timer set for 5 minutes."});
  answer(brain, "remind me in 10 minutes to call Mum");
  const std::string face = face_in(210);
  answer(brain, "set an alarm for " + face);
  brain.add(
      bundled_skill("clock", brain, isolation));  // a live swap: state goes through save/restore
  const auto listed = answer(brain, "list my timers");
  REQUIRE(listed.size() == 3);
  CHECK_THAT(listed[0], Catch::StartsWith("1. timer (5 minutes), "));
  CHECK_THAT(listed[1], Catch::StartsWith("2. reminder (call Mum), "));
  CHECK_THAT(listed[2], Catch::StartsWith("3. alarm (" + face + "), "));
}

TEST_CASE("clock plugin: takes over the state version 1.0.0 handed over", "[plugins][clock]") {
  REQUIP_EACH_ISOLATION(isolation);
  // 1.0.0 saved "<due_ms>\t<what to say when due>" per item, without a kind.
  Brain brain;
  auto clock = bundled_skill("clock", brain, isolation);
  const std::int64_t now = now_ms();
  clock->restore_state(std::to_string(now + 300'000) + "\tTimer done: 5 minutes.\n" +
                       std::to_string(now - 1) + "\tReminder: stretch\n");
  brain.add(clock);
  CHECK(brain.tick().lines == std::vector<std::string>{"Reminder: stretch"});
  const auto listed = answer(brain, "what timers do I have");
  REQUIRE(listed.size() == 1);
  CHECK_THAT(listed[0], Catch::StartsWith("1. timer (5 minutes), "));
}

TEST_CASE("clock when: durations add up their parts, in digits or words", "[plugins][clock]") {
  using requip::when::find_duration;
  using requip::when::words_of;
  auto seconds = [](const char* text) {
    const auto duration = find_duration(words_of(text));
    return duration ? duration->seconds : 0.0;
  };
  CHECK(seconds("in 5min") == 300);
  CHECK(seconds("two and a half minutes") == 150);
  CHECK(seconds("a couple of hours") == 7200);
  CHECK(seconds("a quarter of an hour") == 900);
  CHECK(seconds("1 hour 20") == 4800);
  CHECK(seconds("1 day and 2 hours") == 93600);
  CHECK(seconds("take 2 pills") == 0);
  // The span takes the preposition and "from now" so that the rest is the task.
  const auto duration = find_duration(words_of("remind me to stretch in 10 minutes from now"));
  REQUIRE(duration);
  CHECK(duration->span.from == 4);
  CHECK(duration->span.to == 9);
}

TEST_CASE("clock when: times of day with am/pm, words, or a 24-hour clock", "[plugins][clock]") {
  using requip::when::find_time_of_day;
  using requip::when::words_of;
  auto face = [](const char* text) {
    const auto time = find_time_of_day(words_of(text));
    return time ? requip::when::clock_face(time->hour, time->minute) : std::string("none");
  };
  CHECK(face("at 12 am") == "00:00");
  CHECK(face("at 12pm") == "12:00");
  CHECK(face("quarter to 8") == "07:45");
  CHECK(face("wake me at seven thirty") == "07:30");
  CHECK(face("at 10 at night") == "22:00");
  CHECK(face("midnight") == "00:00");
  CHECK(face("take 2 pills") == "none");  // a bare number needs "at"
  CHECK(face("in 10 minutes") == "none");
  CHECK(find_time_of_day(words_of("tomorrow at 9"))->tomorrow);

  const std::time_t now = std::time(nullptr);
  const std::time_t next = requip::when::next_occurrence(now, *find_time_of_day(words_of("at 9")));
  CHECK(next > now);
  CHECK(next - now <= 86400);
  std::tm local{};
  localtime_r(&next, &local);
  CHECK(local.tm_hour == 9);
  CHECK(local.tm_min == 0);
}

TEST_CASE("clock when: how long until something, for people", "[plugins][clock]") {
  using requip::when::short_duration;
  using requip::when::spoken_duration;
  CHECK(short_duration(45) == "45 s");
  CHECK(short_duration(299) == "4 min 59 s");
  CHECK(short_duration(33'100) == "9 h 12 min");  // rounded up to the minute
  CHECK(spoken_duration(1) == "1 second");
  CHECK(spoken_duration(93'660) == "1 day, 2 hours and 1 minute");
}

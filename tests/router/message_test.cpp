#include <catch2/catch.hpp>

#include "requip/router/message.hpp"

using namespace requip::router;
using requip::memory::Verdict;

TEST_CASE("message: the trigger as prefix or suffix is a request, and the key is the rest",
          "[router][message]") {
  MessageClassifier classifier;
  for (const char* text : {"please set an alarm", "Set an alarm, please!", "PLEASE set an alarm"}) {
    const Message message = classifier.classify(text);
    CHECK(message.kind == MessageKind::request);
    CHECK(message.key == "set an alarm");
  }
  CHECK(classifier.classify("set a pleasant alarm").kind == MessageKind::plain);
  CHECK(classifier.classify("please").kind == MessageKind::plain);
}

TEST_CASE("message: feedback words carry their verdict", "[router][message]") {
  MessageClassifier classifier;
  CHECK(classifier.classify("Thanks!").verdict == Verdict::confirm);
  CHECK(classifier.classify("good").verdict == Verdict::confirm);
  CHECK(classifier.classify("lame").verdict == Verdict::minor_complaint);
  CHECK(classifier.classify("wrong.").verdict == Verdict::major_complaint);
  CHECK(classifier.classify("wrong").kind == MessageKind::feedback);
  CHECK(classifier.classify("good morning").kind == MessageKind::plain);
}

TEST_CASE("message: a release phrase, the whole message, lets go of the equipped skill",
          "[router][message]") {
  MessageClassifier classifier;
  CHECK(classifier.classify("Never mind.").kind == MessageKind::release);
  CHECK(classifier.classify("unequip").kind == MessageKind::release);
  CHECK(classifier.classify("never mind the weather").kind == MessageKind::plain);
  FeedbackWords words;
  words.release = {"Forget It!"};
  CHECK(MessageClassifier(words).classify("forget it").kind == MessageKind::release);
  CHECK(MessageClassifier(words).classify("never mind").kind == MessageKind::plain);
}

TEST_CASE("message: the words are configurable", "[router][message]") {
  FeedbackWords words;
  words.trigger = "bitte";
  words.goals = {"danke"};
  words.major = {"falsch"};
  MessageClassifier classifier(words);
  CHECK(classifier.classify("bitte wecker stellen").key == "wecker stellen");
  CHECK(classifier.classify("danke").verdict == Verdict::confirm);
  CHECK(classifier.classify("falsch").verdict == Verdict::major_complaint);
  CHECK(classifier.classify("thanks").kind == MessageKind::plain);
  words.trigger = "two words";
  CHECK_THROWS_WITH(MessageClassifier(words), Catch::Contains("one word"));
}

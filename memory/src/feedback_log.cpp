#include "requip/memory/feedback_log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "connection.hpp"

namespace requip::memory {

using detail::Connection;
using detail::Query;

namespace {

constexpr std::array<std::pair<Verdict, std::string_view>, 3> verdict_names = {{
    {Verdict::confirm, "confirm"},
    {Verdict::minor_complaint, "minor_complaint"},
    {Verdict::major_complaint, "major_complaint"},
}};

// Rows of (id, session, turn, key, text, skill, verdict, time_ms), in the order read.
std::vector<FeedbackEntry> read_entries(Query& query) {
  std::vector<FeedbackEntry> entries;
  while (query->step()) {
    FeedbackEntry& entry = entries.emplace_back();
    entry.id = query->integer(0);
    entry.session = query->text(1);
    entry.turn = query->integer(2);
    entry.key = query->text(3);
    entry.text = query->text(4);
    entry.skill = query->text(5);
    entry.verdict = verdict_from_string(query->text(6));
    entry.time = detail::from_millis(query->integer(7));
  }
  return entries;
}

// Rows read newest first, returned oldest first.
std::vector<FeedbackEntry> read_newest_first(Query& query) {
  auto entries = read_entries(query);
  std::reverse(entries.begin(), entries.end());
  return entries;
}

std::int64_t as_limit(std::size_t limit) {
  return static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX));
}

}  // namespace

std::string_view to_string(Verdict verdict) {
  for (const auto& [value, name] : verdict_names) {
    if (value == verdict) return name;
  }
  return "unknown";
}

Verdict verdict_from_string(std::string_view name) {
  for (const auto& [value, known] : verdict_names) {
    if (known == name) return value;
  }
  throw std::invalid_argument(fmt::format(
      "unknown verdict '{}': expected confirm, minor_complaint or major_complaint", name));
}

FeedbackLog::FeedbackLog(std::shared_ptr<Connection> connection)
    : connection_(std::move(connection)) {}

std::int64_t FeedbackLog::append(const FeedbackEntry& entry) {
  return connection_->run([&](Connection& db) {
    // Writers take turns (see Connection::begin): entries commit in the order of their ids,
    // so a reader that has seen an id has seen every smaller one.
    detail::Transaction transaction(db, Connection::TransactionKind::write);
    Query query(db,
                "INSERT INTO feedback (session, turn, key, text, skill, verdict, time_ms) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
    query->bind_text(1, entry.session);
    query->bind(2, entry.turn);
    query->bind_text(3, entry.key);
    query->bind_text(4, entry.text);
    query->bind_text(5, entry.skill);
    query->bind_text(6, to_string(entry.verdict));
    query->bind(7, detail::now_millis());
    query->step();
    const std::int64_t id = query->integer(0);
    query->step();  // runs the statement to completion
    transaction.commit();
    db.announce_change();
    return id;
  });
}

std::vector<FeedbackEntry> FeedbackLog::for_key(std::string_view key, std::size_t limit) const {
  return connection_->run([&](Connection& db) {
    Query query(db,
                "SELECT id, session, turn, key, text, skill, verdict, time_ms FROM feedback "
                "WHERE key = ?1 ORDER BY id DESC LIMIT ?2");
    query->bind_text(1, key);
    query->bind(2, as_limit(limit));
    return read_newest_first(query);
  });
}

std::vector<FeedbackEntry> FeedbackLog::latest(std::size_t limit) const {
  return connection_->run([&](Connection& db) {
    Query query(db,
                "SELECT id, session, turn, key, text, skill, verdict, time_ms FROM feedback "
                "ORDER BY id DESC LIMIT ?1");
    query->bind(1, as_limit(limit));
    return read_newest_first(query);
  });
}

std::vector<FeedbackEntry> FeedbackLog::after(std::int64_t id, std::size_t limit) const {
  return connection_->run([&](Connection& db) {
    Query query(db,
                "SELECT id, session, turn, key, text, skill, verdict, time_ms FROM feedback "
                "WHERE id > ?1 ORDER BY id LIMIT ?2");
    query->bind(1, id);
    query->bind(2, as_limit(limit));
    return read_entries(query);
  });
}

std::int64_t FeedbackLog::outside_writes() const {
  return connection_->run([](Connection& db) { return db.data_version(); });
}

std::int64_t FeedbackLog::count() const {
  return connection_->run([&](Connection& db) {
    Query query(db, "SELECT count(*) FROM feedback");
    query->step();
    return query->integer(0);
  });
}

}  // namespace requip::memory

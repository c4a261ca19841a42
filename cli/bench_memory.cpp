#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "bench.hpp"
#include "requip/memory/store.hpp"
#include "scratch_folder.hpp"
#include "shared_options.hpp"

namespace requip::cli {

namespace {

constexpr int distinct_keys = 10'000;

// A scratch folder for the benchmark's databases, removed afterwards: the user's own database
// is never touched.
struct Rates {
  double upserts_per_s;
  double reads_per_s;
  double cold_reads_per_s;          // each key's first lookup: an SQLite read every time
  double shared_upserts_per_s = 0;  // by several stores at once, as replicas write
};

struct MemoryBenchOptions {
  bool json = false;
  bool durable = false;
  int upserts = 40'000;
  int reads = 400'000;
  std::string dir = std::filesystem::temp_directory_path().string();
  std::string postgres;  // a postgresql:// URI to measure beside SQLite, if given
  int replicas = 4;      // stores writing to it at once, for the second upsert figure
};

struct Workload {
  std::vector<std::string> keys;  // upserted in order, cycling over distinct_keys
  std::vector<std::string> skills;
  std::vector<std::size_t> read_order;  // random key indexes, fixed seed
};

Workload make_workload(int upserts, int reads) {
  Workload work;
  for (int i = 0; i < distinct_keys; ++i)
    work.keys.push_back(fmt::format("what is the weather like in city number {}", i));
  for (int i = 0; i < 16; ++i)
    work.skills.push_back(fmt::format("skill{}", i));
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> pick(0, distinct_keys - 1);
  work.read_order.resize(static_cast<std::size_t>(reads));
  for (auto& index : work.read_order)
    index = pick(random);
  work.keys.resize(static_cast<std::size_t>(std::min(upserts, distinct_keys)));
  return work;
}

// Upserts/s of `stores` stores on one database, each on its own thread and connection: what
// replicas write together. One store's commits wait for the disk one at a time; the server
// flushes several replicas' commits together.
double measure_shared_upserts(const std::filesystem::path& file, int stores, int upserts,
                              const Workload& work) {
  std::vector<std::unique_ptr<memory::Store>> opened;
  for (int s = 0; s < stores; ++s)
    opened.push_back(std::make_unique<memory::Store>(file));
  const double seconds = seconds_in([&] {
    std::vector<std::thread> writers;
    for (int s = 0; s < stores; ++s) {
      writers.emplace_back([&, s] {
        auto& mappings = opened[static_cast<std::size_t>(s)]->mappings();
        for (int i = s; i < upserts; i += stores) {
          const auto n = static_cast<std::size_t>(i);
          mappings.upsert(work.keys[n % work.keys.size()], work.skills[n % work.skills.size()],
                          "1.0");
        }
      });
    }
    for (auto& writer : writers)
      writer.join();
  });
  return upserts / seconds;
}

Rates measure_store(const std::filesystem::path& file, memory::Durability durability, int upserts,
                    const Workload& work, int shared_stores = 0) {
  // The keys it wrote are removed afterwards, for a database that is not a scratch file.
  struct Cleanup {
    const std::filesystem::path& file;
    const Workload& work;
    ~Cleanup() {
      memory::Store store(file);
      for (const auto& key : work.keys)
        store.mappings().forget(key);
    }
  } cleanup{file, work};
  memory::StoreOptions options;
  options.durability = durability;
  memory::Store store(file, options);
  auto& mappings = store.mappings();
  const double write_s = seconds_in([&] {
    for (int i = 0; i < upserts; ++i) {
      const auto n = static_cast<std::size_t>(i);
      mappings.upsert(work.keys[n % work.keys.size()], work.skills[n % work.skills.size()], "1.0");
    }
  });
  std::size_t found = 0;
  const double read_s = seconds_in([&] {
    for (auto index : work.read_order)
      found += mappings.find(work.keys[index % work.keys.size()]).has_value();
  });
  memory::Store fresh(file, options);  // a cache of its own, still empty
  const double cold_s = seconds_in([&] {
    for (const auto& key : work.keys)
      found += fresh.mappings().find(key).has_value();
  });
  if (found != work.read_order.size() + work.keys.size()) {
    throw std::runtime_error("benchmark reads missed keys");
  }
  return {upserts / write_s, static_cast<double>(work.read_order.size()) / read_s,
          static_cast<double>(work.keys.size()) / cold_s,
          shared_stores > 1 ? measure_shared_upserts(file, shared_stores, upserts, work) : 0};
}

// The same work on a bare two-column table through SQLiteCpp, with the same pragmas: what
// SQLite itself costs, without the store's schema, locking and error handling.
Rates measure_raw(const std::filesystem::path& file, memory::Durability durability, int upserts,
                  const Workload& work) {
  SQLite::Database db(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(durability == memory::Durability::full ? "PRAGMA synchronous = FULL"
                                                 : "PRAGMA synchronous = NORMAL");
  db.exec(
      "CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, time INTEGER NOT NULL) "
      "WITHOUT ROWID");
  // Like the store, every upsert changes the row (the time), so every commit writes a page.
  SQLite::Statement write(db,
                          "INSERT INTO kv VALUES (?1, ?2, ?3) ON CONFLICT (key) DO UPDATE SET "
                          "value = excluded.value, time = excluded.time");
  SQLite::Statement read(db, "SELECT value FROM kv WHERE key = ?1");
  const double write_s = seconds_in([&] {
    for (int i = 0; i < upserts; ++i) {
      const auto n = static_cast<std::size_t>(i);
      write.bind(1, work.keys[n % work.keys.size()]);
      write.bind(2, work.skills[n % work.skills.size()]);
      write.bind(3, static_cast<std::int64_t>(i));
      write.exec();
      write.reset();
    }
  });
  std::size_t found = 0;
  const double read_s = seconds_in([&] {
    for (auto index : work.read_order) {
      read.bind(1, work.keys[index % work.keys.size()]);
      found += read.executeStep();
      read.reset();
    }
  });
  if (found != work.read_order.size()) throw std::runtime_error("baseline reads missed keys");
  const double reads_per_s = static_cast<double>(work.read_order.size()) / read_s;
  return {upserts / write_s, reads_per_s, reads_per_s};
}

}  // namespace

void add_bench_memory(CLI::App& bench) {
  auto* command = bench.add_subcommand(
      "memory",
      "mapping upserts/s (one transaction each) and point reads/s of the SQLite store, and of "
      "a PostgreSQL one with --db");
  auto options = std::make_shared<MemoryBenchOptions>();
  add_shared_option(*command, SharedOption::json, options->json);
  // Not the shared --db: that one defaults to the user's own database, which a benchmark must
  // not write to unasked.
  command->add_option("--db", options->postgres,
                      "also measure the store on this postgresql:// database (the bench writes "
                      "its mappings there, then removes them)");
  command
      ->add_option("--replicas", options->replicas,
                   "with --db, also time this many stores upserting at once, each on its own "
                   "connection, as replicas do (1: not)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_flag("--durable", options->durable,
                    "synchronous=FULL: fsync every commit (default: WAL + synchronous=NORMAL)");
  command->add_option("--upserts", options->upserts, "upserts to time")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--reads", options->reads, "point reads to time")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--dir", options->dir,
                   "where the scratch databases go (the disk is measured too)")
      ->capture_default_str();
  command->callback([options] {
    const auto durability =
        options->durable ? memory::Durability::full : memory::Durability::normal;
    const Workload work = make_workload(options->upserts, options->reads);
    ScratchFolder scratch(options->dir);
    const Rates store =
        measure_store(scratch.path() / "store.db", durability, options->upserts, work);
    const Rates raw = measure_raw(scratch.path() / "raw.db", durability, options->upserts, work);
    std::optional<Rates> postgres;
    if (!options->postgres.empty())
      postgres =
          measure_store(options->postgres, durability, options->upserts, work, options->replicas);
    if (options->json) {
      nlohmann::json figures{{"upserts_per_s", store.upserts_per_s},
                             {"reads_per_s", store.reads_per_s}};
      if (postgres) {
        figures["postgres_upserts_per_s"] = postgres->upserts_per_s;
        figures["postgres_reads_per_s"] = postgres->reads_per_s;
        figures["postgres_cold_reads_per_s"] = postgres->cold_reads_per_s;
        figures["postgres_replicas"] = options->replicas;
        figures["postgres_replica_upserts_per_s"] = postgres->shared_upserts_per_s;
      }
      fmt::print("{}\n", figures.dump());
      return;
    }
    fmt::print("memory: WAL, synchronous={}, {} upserts over {} keys, {} point reads, one thread\n",
               options->durable ? "FULL" : "NORMAL", options->upserts, work.keys.size(),
               options->reads);
    fmt::print("  upserts/s          {:>12.0f}  ({:.2f}x bare SQLite's {:.0f}, same run)\n",
               store.upserts_per_s, store.upserts_per_s / raw.upserts_per_s, raw.upserts_per_s);
    fmt::print("  reads/s            {:>12.0f}  ({:.2f}x bare SQLite's {:.0f}, same run)\n",
               store.reads_per_s, store.reads_per_s / raw.reads_per_s, raw.reads_per_s);
    fmt::print("  cold reads/s       {:>12.0f}  ({:.2f}x; first lookup of each key, not cached)\n",
               store.cold_reads_per_s, store.cold_reads_per_s / raw.reads_per_s);
    if (!postgres) return;
    fmt::print("PostgreSQL store at {}, same work:\n", options->postgres);
    fmt::print("  upserts/s          {:>12.0f}  ({:.2f}x the SQLite store's, same run)\n",
               postgres->upserts_per_s, postgres->upserts_per_s / store.upserts_per_s);
    fmt::print("  reads/s            {:>12.0f}  ({:.2f}x)\n", postgres->reads_per_s,
               postgres->reads_per_s / store.reads_per_s);
    fmt::print("  cold reads/s       {:>12.0f}  ({:.2f}x; each a round trip to the server)\n",
               postgres->cold_reads_per_s, postgres->cold_reads_per_s / store.cold_reads_per_s);
    if (options->replicas > 1) {
      fmt::print("  upserts/s, {} stores at once {:>8.0f}  ({:.2f}x one store's)\n",
                 options->replicas, postgres->shared_upserts_per_s,
                 postgres->shared_upserts_per_s / postgres->upserts_per_s);
    }
  });
}

}  // namespace requip::cli

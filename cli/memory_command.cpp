#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <stdexcept>

#include "commands.hpp"
#include "options.hpp"
#include "requip/memory/store.hpp"
#include "shared_options.hpp"

namespace requip::cli {

namespace {

struct ExportOptions {
  bool json = false;
  bool blob_bytes = false;
};

// The memory commands inspect a database; they never create an empty one by mistake.
memory::Store open_existing(const GlobalOptions& options) {
  memory::StoreOptions store_options;
  store_options.create_if_missing = false;
  return memory::Store(options.database(), store_options);
}

void print_stats(const memory::StoreStats& stats) {
  fmt::print("database   {}\n", stats.file.string());
  fmt::print("schema     version {}, journal {}, synchronous {}\n", stats.schema_version,
             stats.journal_mode, stats.synchronous);
  fmt::print("size       {} bytes\n", stats.file_bytes);
  fmt::print("memento    {} values in {} namespaces\n", stats.memento_values, stats.memento_spaces);
  fmt::print("mappings   {}\n", stats.mappings);
  fmt::print("feedback   {} entries\n", stats.feedback_entries);
  fmt::print("blobs      {} names, {} versions, {} bytes\n", stats.blob_names, stats.blob_versions,
             stats.blob_bytes);
  fmt::print("check      {}\n", stats.quick_check);
}

}  // namespace

void add_memory_command(CLI::App& app, const GlobalOptions& options) {
  auto* memory = app.add_subcommand("memory", "inspect, back up and export the database (--db)");
  memory->require_subcommand(1);

  memory->add_subcommand("stats", "what the database holds, and a quick integrity check")
      ->callback([&options] { print_stats(open_existing(options).stats()); });

  auto* backup = memory->add_subcommand(
      "backup", "copy the live database to a new file (SQLite online backup; safe while in use)");
  auto destination = std::make_shared<std::string>();
  backup->add_option("FILE", *destination, "the new file; an existing one is never overwritten")
      ->required();
  backup->callback([&options, destination] {
    auto store = open_existing(options);
    const bool show_progress = ::isatty(STDERR_FILENO) == 1;
    store.backup(*destination, [show_progress](int copied, int total) {
      if (show_progress) fmt::print(stderr, "\rbackup: {}/{} pages", copied, total);
    });
    if (show_progress) fmt::print(stderr, "\n");
    fmt::print("backed up {} to {}\n", store.file().string(), *destination);
  });

  auto* dump = memory->add_subcommand("export", "print everything stored, for people to read");
  auto export_options = std::make_shared<ExportOptions>();
  add_shared_option(*dump, SharedOption::json, export_options->json);
  dump->add_flag("--blob-bytes", export_options->blob_bytes,
                 "include blob contents, base64-encoded");
  dump->callback([&options, export_options] {
    // Indented JSON is the only format so far; asking for it by name leaves room for others.
    if (!export_options->json) {
      throw std::runtime_error(fmt::format("memory export: choose a format: {}",
                                           shared_option_name(SharedOption::json)));
    }
    fmt::print("{}\n", open_existing(options).export_json(export_options->blob_bytes));
  });
}

}  // namespace requip::cli

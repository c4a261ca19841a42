#include "requip/router/labeled_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>

namespace requip::router {

namespace {

[[noreturn]] void fail(const std::filesystem::path& file, std::size_t line, std::string what) {
  throw std::runtime_error(fmt::format("{}:{}: {}", file.string(), line, what));
}

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

}  // namespace

std::vector<std::string> LabeledData::labels() const {
  std::set<std::string> unique;
  for (const auto& row : rows)
    unique.insert(row.label);
  return {unique.begin(), unique.end()};
}

std::map<std::string, std::vector<std::string>> LabeledData::examples_by_label() const {
  std::map<std::string, std::vector<std::string>> result;
  for (const auto& row : rows)
    result[row.label].push_back(row.text);
  return result;
}

LabeledData load_labeled_tsv(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    throw std::runtime_error(
        fmt::format("{}: cannot open it; give a readable text<TAB>label file", file.string()));
  }
  LabeledData data{file, {}};
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto tab = line.find('\t');
    const bool two_fields =
        tab != std::string::npos && line.find('\t', tab + 1) == std::string::npos;
    if (number == 1) {
      if (!two_fields) fail(file, 1, "expected a header row 'text<TAB>label'; add one");
      continue;
    }
    if (blank(line)) continue;
    if (!two_fields) {
      fail(file, number, "expected 'text<TAB>label' with exactly one tab; fix or remove the row");
    }
    std::string text = line.substr(0, tab), label = line.substr(tab + 1);
    if (blank(text)) fail(file, number, "the text is empty; write the utterance before the tab");
    if (blank(label)) fail(file, number, "the label is empty; write the skill after the tab");
    data.rows.push_back({std::move(text), std::move(label), number});
  }
  if (number == 0) fail(file, 1, "the file is empty; add a header row and text<TAB>label rows");
  if (data.rows.empty()) {
    fail(file, number, "no labeled rows under the header, so no labels; add text<TAB>label rows");
  }
  return data;
}

void require_examples_for(const LabeledData& test, const LabeledData& train) {
  const auto known = train.examples_by_label();
  for (const auto& row : test.rows) {
    if (!known.count(row.label)) {
      fail(test.file, row.line,
           fmt::format("label '{}' has no examples in {}; add training rows for it", row.label,
                       train.file.string()));
    }
  }
}

EvaluationSplit hold_out_labels(EvaluationSplit split, std::size_t count, std::uint64_t seed) {
  auto labels = split.train.labels();
  if (count >= labels.size()) {
    throw std::invalid_argument(fmt::format("cannot hold out {} of the {} labels of {}", count,
                                            labels.size(), split.train.file.string()));
  }
  std::shuffle(labels.begin(), labels.end(), std::mt19937_64(seed));
  const std::set<std::string> held(labels.begin(), labels.begin() + static_cast<long>(count));
  const auto is_held = [&](const LabeledText& row) { return held.count(row.label) > 0; };
  std::erase_if(split.train.rows, is_held);
  std::copy_if(split.test.rows.begin(), split.test.rows.end(),
               std::back_inserter(split.out_of_scope), is_held);
  std::erase_if(split.test.rows, is_held);
  return split;
}

}  // namespace requip::router

#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace requip::router {

struct LabeledText {
  std::string text;
  std::string label;
  std::size_t line = 0;  // in the file it came from, for error messages
};

// Rows of a `text<TAB>label` file. Each label is a skill; its rows are its examples.
struct LabeledData {
  std::filesystem::path file;
  std::vector<LabeledText> rows;

  // Sorted, unique.
  std::vector<std::string> labels() const;
  std::map<std::string, std::vector<std::string>> examples_by_label() const;
};

// Reads a TSV file with a header row. Throws std::runtime_error with one line naming the file,
// the line and the fix: a row that is not `text<TAB>label`, or a file with no rows.
LabeledData load_labeled_tsv(const std::filesystem::path& file);

// Throws if a label of `test` has no examples in `train`, naming the first such row.
void require_examples_for(const LabeledData& test, const LabeledData& train);

// What an evaluation learns from and what it routes: rows of labels the training knows, and
// rows no skill should take, whose labels are ignored.
struct EvaluationSplit {
  LabeledData train;
  LabeledData test;
  std::vector<LabeledText> out_of_scope;
};

// Holds `count` of the training labels (chosen by `seed`) out: their training rows go, and
// their test rows become out of scope, so that a set without out-of-scope rows can measure how
// the router treats input none of its skills knows. Throws std::invalid_argument unless at
// least one label stays.
EvaluationSplit hold_out_labels(EvaluationSplit split, std::size_t count, std::uint64_t seed);

}  // namespace requip::router

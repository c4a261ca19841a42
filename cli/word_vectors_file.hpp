#pragma once

#include <memory>
#include <string>

#include "requip/router/word_vectors.hpp"

namespace requip::cli {

// The word vectors a command's router reads, by the value of its --word-vectors: a file,
// "none", or empty for the vendored data/word_vectors.bin. Throws a one-line error naming the
// file and the fix when it is missing or damaged.
std::shared_ptr<const router::WordVectors> word_vectors_from(const std::string& choice);

// The vendored word vectors, read once per process; none, with one warning, when they are
// missing or damaged: chat's and serve's router then routes on its n-grams alone rather than
// refuse to start.
std::shared_ptr<const router::WordVectors> vendored_word_vectors_or_none();

}  // namespace requip::cli

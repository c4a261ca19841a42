#pragma once

// The poet's verse writer: the part of the poet that runs the tinymoe model, in a library of
// its own that the poet loads at its first poem. LibTorch, which the model needs, takes most
// of a second and some 150 MB to load; a program that never asks for a poem never pays it.
// A C interface, so that the two libraries need agree on nothing else.

#include <cstddef>
#include <cstdint>

extern "C" {

typedef void (*requip_verse_receive)(void* user, const char* text, std::size_t size);

// Writes verse with the model in `model_file` (loaded once per file and change, then shared),
// prompted with the characters of `subject` the model knows, at the sampling `seed`. Returns
// 1 and passes the prompt followed by the verse to `receive`, or returns 0 and passes a
// one-line reason.
typedef int (*requip_write_verse_fn)(const char* model_file, const char* subject,
                                     std::uint64_t seed, requip_verse_receive receive, void* user);
}

#define REQUIP_WRITE_VERSE_SYMBOL "requip_write_verse"

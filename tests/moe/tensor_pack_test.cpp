#include <torch/serialize.h>

#include <cstring>
#include <sstream>

#include "requip/moe/tensor_pack.hpp"

// Last: torch brings glog, whose CHECK macro must not shadow Catch's.
#include <catch2/catch.hpp>

using namespace requip::moe;

namespace {

std::vector<NamedTensor> every_kind() {
  return {{"weights", torch::arange(6, torch::kFloat32).reshape({2, 3})},
          {"documents", torch::tensor({12.5}, torch::kFloat64)},
          {"rows", torch::tensor({3, 1, 4, 1}, torch::kInt64)},
          {"config", torch::tensor({'{', '}'}, torch::kUInt8)},
          {"mask", torch::tensor({true, false})},
          {"shipped weights", torch::tensor({0.5, -2.0}).to(torch::kFloat16)},
          {"brain-float weights", torch::tensor({0.25, 3.0}).to(torch::kBFloat16)},
          {"nothing yet", torch::empty({0, 5}, torch::kFloat32)}};
}

std::string unpack_error(const std::string& bytes) {
  try {
    unpack_tensors(bytes);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("tensor pack: a round trip keeps names, types, shapes and values", "[moe][pack]") {
  const auto written = every_kind();
  const auto read = unpack_tensors(pack_tensors(written));
  REQUIRE(read.size() == written.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    INFO(written[i].name);
    CHECK(read[i].name == written[i].name);
    CHECK(read[i].tensor.scalar_type() == written[i].tensor.scalar_type());
    CHECK(torch::equal(read[i].tensor, written[i].tensor));
  }
  CHECK(unpack_tensors(pack_tensors({})).empty());
}

TEST_CASE("tensor pack: damaged bytes are refused with what is wrong, never read past",
          "[moe][pack]") {
  const std::string bytes = pack_tensors(every_kind());

  SECTION("every truncation") {
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      INFO(size);
      CHECK_THROWS_AS(unpack_tensors(bytes.substr(0, size)), std::runtime_error);
    }
  }
  SECTION("another format") {
    CHECK_THAT(unpack_error("not a pack at all"), Catch::Contains("do not start with RQTPACK1"));
  }
  SECTION("a size that claims more elements than the bytes hold") {
    // The first tensor's first size sits after the magic, the count, the name and its type.
    std::string patched = bytes;
    const std::size_t first_size = 8 + 4 + 2 + std::strlen("weights") + 2;
    const std::int64_t huge = std::int64_t{1} << 40;
    std::memcpy(patched.data() + first_size, &huge, sizeof(huge));
    CHECK_THAT(unpack_error(patched), Catch::Contains("'weights' claims more elements"));
  }
  SECTION("an unknown element type") {
    std::string patched = bytes;
    patched[8 + 4 + 2 + std::strlen("weights")] = 9;
    CHECK_THAT(unpack_error(patched), Catch::Contains("'weights' has unknown element type 9"));
  }
  SECTION("bytes after the last tensor") {
    CHECK_THAT(unpack_error(bytes + "x"), Catch::Contains("1 bytes after the last array"));
  }
}

TEST_CASE("tensor pack: a LibTorch archive is told apart from a pack", "[moe][pack]") {
  std::ostringstream archive;
  torch::save(std::vector<torch::Tensor>{torch::ones({2})}, archive);
  CHECK(is_torch_archive(archive.str()));
  CHECK_FALSE(is_torch_archive(pack_tensors(every_kind())));
  CHECK_FALSE(is_torch_archive(""));
}

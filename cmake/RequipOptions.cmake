# Build options and the compile flags every target of ours shares.

option(REQUIP_BUILD_TESTS "Build the Catch2 test suite" ON)
option(REQUIP_SANITIZE "Build with -fsanitize=address,undefined" OFF)
option(REQUIP_FUZZ "Build the libFuzzer targets in fuzz/ (clang; implies REQUIP_SANITIZE)" OFF)

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

find_program(REQUIP_CCACHE ccache)
if(REQUIP_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER ${REQUIP_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${REQUIP_CCACHE})
endif()

if(REQUIP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "REQUIP_FUZZ needs clang (libFuzzer): configure with "
                        "CC=clang CXX=clang++, as script/fuzz does")
  endif()
  set(REQUIP_SANITIZE ON)
  # Coverage for libFuzzer in every object; the targets link libFuzzer's main themselves.
  add_compile_options(-fsanitize=fuzzer-no-link)
  # LibTorch 1.13's headers do not compile under clang in C++20 with libstdc++ 12, whose
  # std::vector is constexpr there: a vector of c10::IValue is instantiated while IValue is
  # still incomplete. libstdc++ 11's headers predate that (package libstdc++-11-dev); the
  # library linked stays the same, whose ABI both share.
  set(REQUIP_OLDER_LIBSTDCXX /usr/include/c++/11)
  if(NOT EXISTS ${REQUIP_OLDER_LIBSTDCXX})
    message(FATAL_ERROR "REQUIP_FUZZ needs libstdc++ 11's headers: apt-get install libstdc++-11-dev")
  endif()
  add_compile_options(
    $<$<COMPILE_LANGUAGE:CXX>:-nostdinc++>
    $<$<COMPILE_LANGUAGE:CXX>:-isystem${REQUIP_OLDER_LIBSTDCXX}>
    $<$<COMPILE_LANGUAGE:CXX>:-isystem/usr/include/x86_64-linux-gnu/c++/11>
    $<$<COMPILE_LANGUAGE:CXX>:-isystem${REQUIP_OLDER_LIBSTDCXX}/backward>)
endif()

if(REQUIP_SANITIZE)
  # Applied globally so that every object, test and plugin shares one runtime.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Our own code is warning-free; third-party headers come in as SYSTEM includes.
function(requip_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  if(REQUIP_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 with -fsanitize=address reports maybe-uninitialized inside optionals of system
    # headers (c10::optional<at::Generator>, Beast's parser's boost::optional) once they are
    # inlined into our code: false positives that -isystem cannot silence.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  if(REQUIP_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # Sanitized, clang cannot vectorize the loops we mark `omp simd`: speed, not a fault.
    target_compile_options(${target} PRIVATE -Wno-pass-failed)
  endif()
endfunction()

# requip_add_module(<name> sources...): the library requip_<name>, known as requip::<name>,
# with its public headers in <name>/include and our warning flags.
function(requip_add_module name)
  add_library(requip_${name} ${ARGN})
  add_library(requip::${name} ALIAS requip_${name})
  set_target_properties(requip_${name} PROPERTIES EXPORT_NAME ${name} POSITION_INDEPENDENT_CODE ON)
  target_include_directories(requip_${name} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  requip_target_defaults(requip_${name})
endfunction()

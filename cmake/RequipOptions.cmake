# Build options and the compile flags every target of ours shares.

option(REQUIP_BUILD_TESTS "Build the Catch2 test suite" ON)
option(REQUIP_SANITIZE "Build with -fsanitize=address,undefined" OFF)

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

find_program(REQUIP_CCACHE ccache)
if(REQUIP_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER ${REQUIP_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${REQUIP_CCACHE})
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
  if(REQUIP_SANITIZE)
    # GCC 12 with -fsanitize=address reports maybe-uninitialized inside optionals of system
    # headers (c10::optional<at::Generator>, Beast's parser's boost::optional) once they are
    # inlined into our code: false positives that -isystem cannot silence.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
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

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
endfunction()

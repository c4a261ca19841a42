# LibTorch's headers are most of the compile time of every source that includes them (about
# 10 of 18 s here), so they are parsed once, into requip::moe's precompiled header, and the
# other targets that see torch reuse it.

set(REQUIP_TORCH_HEADERS <torch/types.h> <torch/nn/module.h> <torch/nn/pimpl.h> <torch/utils.h>
                         <torch/autograd.h> <ATen/Parallel.h>)

# requip_reuse_torch_headers(<target> [ONLY <source>...]): <target>'s sources, or only those
# listed, compile against requip::moe's precompiled LibTorch headers. Loading them costs about
# 3 s, a loss in a source that does not include torch.
function(requip_reuse_torch_headers target)
  cmake_parse_arguments(ARG "" "" "ONLY" ${ARGN})
  target_precompile_headers(${target} REUSE_FROM requip_moe)
  # GCC refuses a precompiled header built with another -fpic/-fpie setting than its user's,
  # and requip::moe is a position-independent library.
  target_compile_options(${target} PRIVATE -fPIC)
  # GCC also needs every macro the header was compiled with, and requip::moe's include fmt's.
  target_link_libraries(${target} PRIVATE fmt::fmt)
  if(ARG_ONLY)
    get_target_property(sources ${target} SOURCES)
    list(REMOVE_ITEM sources ${ARG_ONLY})
    set_source_files_properties(${sources} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
  endif()
endfunction()

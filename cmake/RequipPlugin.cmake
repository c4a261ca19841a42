# requip_add_skill_plugin(<name> <source>...): a skill plugin, built as a MODULE library
# named <name>.so that the requip host loads with RTLD_LOCAL. Used by the bundled plugins
# and, through find_package(Requip), by plugin authors.
#
# Hidden visibility leaves the entry point as the only exported symbol; -fno-gnu-unique
# keeps a GCC-built library unloadable (clang emits no unique symbols), so that a hot reload
# really replaces its code; the static parts of requip it links stay private to it. Under
# clang's sanitizers the runtime lives in the program, not in a library the plugin links, so
# its symbols are left for the loader to resolve.
function(requip_add_skill_plugin name)
  if(NOT ARGN)
    message(FATAL_ERROR "requip_add_skill_plugin(${name}) needs at least one source file")
  endif()
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE requip::plugin_sdk)
  target_compile_features(${name} PRIVATE cxx_std_20)
  target_compile_options(${name} PRIVATE -fvisibility=hidden
                                         $<$<COMPILE_LANGUAGE:CXX>:-fvisibility-inlines-hidden>
                                         $<$<CXX_COMPILER_ID:GNU>:-fno-gnu-unique>)
  set(sanitized_by_clang $<AND:$<CXX_COMPILER_ID:Clang>,$<BOOL:${REQUIP_SANITIZE}>>)
  target_link_options(${name} PRIVATE -Wl,--exclude-libs,ALL
                                      $<$<NOT:${sanitized_by_clang}>:-Wl,--no-undefined>)
  set_target_properties(${name} PROPERTIES PREFIX "" C_VISIBILITY_PRESET hidden
                                           CXX_VISIBILITY_PRESET hidden)
endfunction()

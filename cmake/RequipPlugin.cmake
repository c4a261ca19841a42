# requip_add_skill_plugin(<name> <source>...): a skill plugin, built as a MODULE library
# named <name>.so that the requip host loads with RTLD_LOCAL. Used by the bundled plugins
# and, through find_package(Requip), by plugin authors.
#
# Hidden visibility leaves the entry point as the only exported symbol; -fno-gnu-unique
# keeps the library unloadable, so that a hot reload really replaces its code; the static
# parts of requip it links stay private to it.
function(requip_add_skill_plugin name)
  if(NOT ARGN)
    message(FATAL_ERROR "requip_add_skill_plugin(${name}) needs at least one source file")
  endif()
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE requip::plugin_sdk)
  target_compile_features(${name} PRIVATE cxx_std_20)
  target_compile_options(${name} PRIVATE -fvisibility=hidden
                                         $<$<COMPILE_LANGUAGE:CXX>:-fvisibility-inlines-hidden -fno-gnu-unique>)
  target_link_options(${name} PRIVATE -Wl,--exclude-libs,ALL -Wl,--no-undefined)
  set_target_properties(${name} PROPERTIES PREFIX "" C_VISIBILITY_PRESET hidden
                                           CXX_VISIBILITY_PRESET hidden)
endfunction()

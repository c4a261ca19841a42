# `cmake --install` puts the headers, requip::core, the plugin SDK, requip::plugins, the
# requip binary with its bundled plugins and the poet's model, and a find_package(Requip)
# config that also provides requip_add_skill_plugin(). The libraries a bot embeds (memory,
# router, serve; SQLite) form the `router` component, and the MoE language model (LibTorch)
# the `moe` component, so that plugin authors build without either and bots without LibTorch.

include(CMakePackageConfigHelpers)

set(REQUIP_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Requip)

install(TARGETS requip_core requip_plugin_sdk requip_plugins EXPORT RequipTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS requip_memory requip_router requip_serve EXPORT RequipRouterTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS requip_moe EXPORT RequipMoeTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY core/include/ plugins/include/ memory/include/ moe/include/ router/include/
  serve/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/core/include/requip/core/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/requip/core)
install(EXPORT RequipTargets NAMESPACE requip:: DESTINATION ${REQUIP_INSTALL_CMAKEDIR})
install(EXPORT RequipRouterTargets NAMESPACE requip:: DESTINATION ${REQUIP_INSTALL_CMAKEDIR})
install(EXPORT RequipMoeTargets NAMESPACE requip:: DESTINATION ${REQUIP_INSTALL_CMAKEDIR})

configure_package_config_file(cmake/RequipConfig.cmake.in
  ${PROJECT_BINARY_DIR}/RequipConfig.cmake INSTALL_DESTINATION ${REQUIP_INSTALL_CMAKEDIR})
# The plugin ABI is checked at load time; the C++ SDK follows the minor version.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/RequipConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/RequipConfig.cmake
  ${PROJECT_BINARY_DIR}/RequipConfigVersion.cmake
  cmake/RequipPlugin.cmake
  DESTINATION ${REQUIP_INSTALL_CMAKEDIR})

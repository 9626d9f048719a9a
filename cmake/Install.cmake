# `cmake --install` lays the libraries out as a CMake package, so that a
# program embedding the stack writes find_package(tcpmc) and links
# tcpmc::net (or tcpmc::core, tcpmc::verify, ...), the same target names as
# inside this build. examples/echo_pair is such a program; the test
# install.find_package builds it against a fresh installation.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# tcpmc_warnings is exported only because the static libraries name it as a
# private (link-only) dependency; its flags never reach a consumer.
set(tcpmc_installed_libraries
    tcpmc_model tcpmc_wire tcpmc_core tcpmc_net tcpmc_verify tcpmc_verify_instances tcpmc_graphs
    tcpmc_warnings)
foreach(library IN LISTS tcpmc_installed_libraries)
  string(REPLACE "tcpmc_" "" exported_name ${library})
  set_target_properties(${library} PROPERTIES EXPORT_NAME ${exported_name})
endforeach()

install(TARGETS ${tcpmc_installed_libraries}
        EXPORT tcpmcTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS tcpmc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY model/include/ impl/wire/include/ impl/core/include/ impl/net/include/
                  verify/include/ graphs/include/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(tcpmc_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/tcpmc)
install(EXPORT tcpmcTargets NAMESPACE tcpmc:: DESTINATION ${tcpmc_cmake_dir})
configure_package_config_file(cmake/tcpmcConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/tcpmcConfig.cmake
                              INSTALL_DESTINATION ${tcpmc_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tcpmcConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/tcpmcConfig.cmake
              ${PROJECT_BINARY_DIR}/tcpmcConfigVersion.cmake
        DESTINATION ${tcpmc_cmake_dir})

# RtkInstall.cmake - install rules and package files for users of rtk.
#
# Included once at the end of the root CMakeLists.txt, after every target
# exists. It installs:
#   lib/         librtk.so (rtk::rtk), librtk.a (rtk::rtk_static),
#                librtk-tp.so (rtk::tp, the LTTng-UST provider; RTK_TRACING=ON)
#   include/rtk/ the public headers (rtk.h and what it includes)
#   (rt-trace installs itself to bin/ from tools/CMakeLists.txt)
#   lib/cmake/rtk/  rtkConfig.cmake, rtkConfigVersion.cmake, rtkTargets*.cmake
#                   -> find_package(rtk) gives rtk::rtk, rtk::rtk_static, rtk::tp
#                   rtkTraceTest.cmake, rtkTraceTestRun.cmake, rtkTraceTestQuote.cmake
#                   -> rtk_add_trace_test(), rtk_add_trace_compare_test()
#                      (docs/cmake-trace-tests.md)
#   lib/pkgconfig/  rtk.pc (and rtk-tp.pc with tracing)
# Cost: configure-time only; nothing here affects how the targets are built.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(RTK_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/rtk" CACHE STRING
    "Where rtkConfig.cmake is installed (relative to the prefix)")
set(_rtk_in "${PROJECT_SOURCE_DIR}/cmake")
set(_rtk_gen "${PROJECT_BINARY_DIR}/rtk-package")

# --- libraries -------------------------------------------------------------
set(_rtk_targets rtk rtk_static)
if(TARGET rtk_tp)
  # Users see the provider as rtk::tp, the same name the build tree uses.
  set_target_properties(rtk_tp PROPERTIES EXPORT_NAME tp)
  list(APPEND _rtk_targets rtk_tp)
  set(RTK_HAS_TP ON)
else()
  set(RTK_HAS_TP OFF)
endif()

install(TARGETS ${_rtk_targets} EXPORT rtkTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    COMPONENT runtime NAMELINK_COMPONENT devel
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT devel)

install(DIRECTORY "${PROJECT_SOURCE_DIR}/runtime/include/rtk"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT devel
  FILES_MATCHING PATTERN "*.h")

# --- CMake package: find_package(rtk) ----------------------------------------
install(EXPORT rtkTargets NAMESPACE rtk:: FILE rtkTargets.cmake
  DESTINATION ${RTK_INSTALL_CMAKEDIR} COMPONENT devel)
# RTK_PACKAGE_BINDIR: where rt-trace is installed, for rtkTraceTest.cmake's
# default RT_TRACE (made relative to the package by PATH_VARS).
set(RTK_PACKAGE_BINDIR "${CMAKE_INSTALL_BINDIR}")
configure_package_config_file("${_rtk_in}/rtkConfig.cmake.in"
  "${_rtk_gen}/rtkConfig.cmake"
  INSTALL_DESTINATION ${RTK_INSTALL_CMAKEDIR}
  PATH_VARS RTK_PACKAGE_BINDIR)
# 0.x: minor versions may break the API, so only the same minor matches.
write_basic_package_version_file("${_rtk_gen}/rtkConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES "${_rtk_gen}/rtkConfig.cmake" "${_rtk_gen}/rtkConfigVersion.cmake"
  "${_rtk_in}/rtkTraceTest.cmake" "${_rtk_in}/rtkTraceTestRun.cmake"
  "${_rtk_in}/rtkTraceTestQuote.cmake"
  DESTINATION ${RTK_INSTALL_CMAKEDIR} COMPONENT devel)

# --- pkg-config: rtk.pc, rtk-tp.pc --------------------------------------------
# The prefix is only known for sure at install time (cmake --install --prefix
# overrides CMAKE_INSTALL_PREFIX), so configure_file fills everything else now
# and leaves @RTK_PC_PREFIX@, which the install step below fills in.
set(RTK_PC_PREFIX "@RTK_PC_PREFIX@")
foreach(_d LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_d}}")
    set(RTK_PC_${_d} "${CMAKE_INSTALL_${_d}}")
  else()
    set(RTK_PC_${_d} "\${prefix}/${CMAKE_INSTALL_${_d}}")
  endif()
endforeach()
set(_rtk_pcs rtk)
if(RTK_HAS_TP)
  list(APPEND _rtk_pcs rtk-tp)
endif()
foreach(_pc ${_rtk_pcs})
  configure_file("${_rtk_in}/${_pc}.pc.in" "${_rtk_gen}/${_pc}.pc.in" @ONLY)
  install(CODE "
    set(RTK_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
    configure_file(\"${_rtk_gen}/${_pc}.pc.in\" \"${_rtk_gen}/${_pc}.pc\" @ONLY)
    " COMPONENT devel)
  install(FILES "${_rtk_gen}/${_pc}.pc"
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT devel)
endforeach()
unset(_rtk_targets)
unset(_rtk_pcs)

# octavo_add_plugin(NAME SOURCES src... [LIBRARIES lib...])
#
# Builds one format plugin as a MODULE library named NAME.so into the build
# tree's plugin directory and installs it into the installed one. Only the
# entry function is exported (hidden visibility everywhere else).
function(octavo_add_plugin name)
  cmake_parse_arguments(P "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_library(octavo_plugin_${name} MODULE ${P_SOURCES})
  set_target_properties(octavo_plugin_${name} PROPERTIES
    OUTPUT_NAME "${name}"
    PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY "${OCTAVO_PLUGIN_BUILD_DIR}"
    C_VISIBILITY_PRESET hidden
    # No RUNPATH, built or installed: the liboctavo a plugin needs is the one
    # already loaded by the program opening it, and an installable target's
    # build RUNPATH would end in an empty entry, the working directory
    # (core/CMakeLists.txt, octavo_cli).
    BUILD_WITH_INSTALL_RPATH ON)
  target_link_libraries(octavo_plugin_${name} PRIVATE octavo ${P_LIBRARIES})
  # header-only helpers shared with liboctavo in this tree (bytewords.h)
  target_include_directories(octavo_plugin_${name} PRIVATE "${PROJECT_SOURCE_DIR}/core/shared")
  # clang's sanitizer runtimes live in the executable: no --no-undefined there.
  if(NOT OCTAVO_FUZZ)
    target_link_options(octavo_plugin_${name} PRIVATE "LINKER:--no-undefined")
  endif()
  install(TARGETS octavo_plugin_${name} LIBRARY DESTINATION "${OCTAVO_PLUGIN_SUBDIR}")
  set_property(GLOBAL APPEND PROPERTY OCTAVO_PLUGIN_TARGETS octavo_plugin_${name})
endfunction()

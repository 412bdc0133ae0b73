# Installation of the documentation files and the Debian package (CPack).

install(FILES "${PROJECT_SOURCE_DIR}/docs/octavo.1" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES "${PROJECT_SOURCE_DIR}/docs/completions/octavo.bash"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" RENAME octavo)
install(FILES "${PROJECT_SOURCE_DIR}/docs/completions/_octavo"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions")

set(CPACK_PACKAGE_NAME "octavo")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "octavo maintainers <octavo@localhost>")
set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_PACKAGE_SECTION "text")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Library dependencies come from the binaries themselves (dpkg-shlibdeps).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# ...except what is opened with dlopen, which dpkg-shlibdeps cannot see:
# libcurl, when liboctavo first fetches a URL (core/curl_load.h), and
# libuchardet, when the text reader first guesses an encoding
# (plugins/text/uchardet_load.h). libxml2, which the command line opens for
# a JUnit report, is linked by the HTML, EPUB and DOCX plugins.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4 (>= 7.85.0), libuchardet0")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
include(CPack)

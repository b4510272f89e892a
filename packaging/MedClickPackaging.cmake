# Installation layout and a Debian package (cpack -G DEB) of what is built.
include(GNUInstallDirs)
install(TARGETS medclick-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/samples DESTINATION ${CMAKE_INSTALL_DATADIR}/medclick)

set(CPACK_PACKAGE_NAME medclick)
set(CPACK_PACKAGE_VENDOR "MedClick")
set(CPACK_PACKAGE_CONTACT "MedClick developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)

# Installation layout and a Debian package (cpack -G DEB) of what is built.
include(GNUInstallDirs)
install(TARGETS medclick medclick-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The desktop entry and icon, where desktop environments look for them.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/medclick.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/medclick.png DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/256x256/apps)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/samples DESTINATION ${CMAKE_INSTALL_DATADIR}/medclick)

set(CPACK_PACKAGE_NAME medclick)
set(CPACK_PACKAGE_VENDOR "MedClick")
set(CPACK_PACKAGE_CONTACT "MedClick developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY medclick)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# dpkg-shlibdeps turns the linked libraries into Depends (Qt 6, LibTorch, ITK, VTK, OpenCV...);
# OpenBLAS is loaded by libblas.so.3's alternative, not linked, so it is named explicitly.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-openmp, qt6-qpa-plugins")
# The Chinese translation needs a CJK font to be readable.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-noto-cjk | fonts-wqy-microhei")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/models DESTINATION ${CMAKE_INSTALL_DATADIR}/medclick OPTIONAL)

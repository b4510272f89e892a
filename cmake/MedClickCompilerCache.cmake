# ccache, when present: a warm rebuild of the torch translation units then costs seconds.
# Precompiled headers are cacheable only when ccache is told to accept their time macros and defines.
find_program(MEDCLICK_CCACHE ccache)
if(MEDCLICK_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(_medclick_launcher ${CMAKE_COMMAND} -E env
      "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
      # Paths relative to the checkout: CI's fresh clone in another folder still hits the cache.
      "CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}"
      ${MEDCLICK_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${_medclick_launcher})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${_medclick_launcher})
endif()

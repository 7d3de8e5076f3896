# Locates the third-party sources that scripts/install-deps.sh put in the cache folder, outside
# the tree. The same tinyxml2 source serves the native and the Emscripten build. Where the cache
# is absent, the same pinned versions are fetched from git instead.
set(FINESSE_DEPS "$ENV{FINESSE_DEPS}" CACHE PATH "Folder holding third-party sources (see scripts/install-deps.sh)")
if(NOT FINESSE_DEPS)
  set(FINESSE_DEPS "$ENV{HOME}/.cache/finesse-inspector" CACHE PATH "" FORCE)
endif()

function(finesse_find_source out glob)
  file(GLOB found LIST_DIRECTORIES true "${FINESSE_DEPS}/${glob}")
  if(found)
    list(GET found 0 first)
    set(${out} "${first}" PARENT_SCOPE)
  endif()
endfunction()

finesse_find_source(TINYXML2_DIR "tinyxml2-9.0.0*")
if(NOT TINYXML2_DIR)
  include(FetchContent)
  FetchContent_Declare(tinyxml2_src GIT_REPOSITORY https://github.com/leethomason/tinyxml2.git GIT_TAG 9.0.0)
  FetchContent_Populate(tinyxml2_src)
  set(TINYXML2_DIR "${tinyxml2_src_SOURCE_DIR}")
endif()
add_library(tinyxml2 STATIC "${TINYXML2_DIR}/tinyxml2.cpp")
target_include_directories(tinyxml2 SYSTEM PUBLIC "${TINYXML2_DIR}")
set_target_properties(tinyxml2 PROPERTIES CXX_STANDARD 17)

# Header-only libraries come from a folder that holds only them, because em++ must never be
# given /usr/include.
set(FINESSE_HEADER_ONLY "${FINESSE_DEPS}/include")
if(NOT EXISTS "${FINESSE_HEADER_ONLY}/rapidjson/reader.h")
  message(FATAL_ERROR "RapidJSON not found in ${FINESSE_HEADER_ONLY}. Run scripts/install-deps.sh first.")
endif()
add_library(header_only INTERFACE)
target_include_directories(header_only SYSTEM INTERFACE "${FINESSE_HEADER_ONLY}")

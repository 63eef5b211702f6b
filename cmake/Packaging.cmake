# SPDX-License-Identifier: MIT
# Debian packages: cmake --build build --target package (CPack, DEB).
#
# Two packages, by install component:
#   mtcheck         (component 'mtcheck', the default of every install rule)
#                   the tools, the rules, the GCC plugin, mtcheck.h, the union
#                   sanitizer's run-time library, libmtcheck.so.0, the man pages;
#   libmtcheck-dev  (component 'dev') headers, libmtcheck.a, the .so link,
#                   mtcheck.pc and the CMake package files.
# libmtcheck.so.0 stays in 'mtcheck' instead of a libmtcheck0 of its own: it
# finds the rules in /usr/share/mtcheck, which the tool owns, and a library
# package plus a -common package for the rules is policy overhead for a 0.x
# API with no other user yet (lintian's package-name-doesnt-match-sonames is
# overridden for that reason).  The engine's reference maple tree is a test
# fixture (component maple_tree) and is not packaged.
#
# The package is meant to be built with -DCMAKE_INSTALL_PREFIX=/usr, so that
# GNUInstallDirs picks Debian's multiarch libdir; a build for /usr/local still
# packages a working tree under /usr, because every installed file finds the
# others by relative paths.
# scripts/test-package builds, lints, installs and runs the package.

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mtcheck)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The mtcheck authors")
set(MTCHECK_DEB_MAINTAINER "The mtcheck authors <mtcheck@example.org>"
    CACHE STRING "Maintainer field of the Debian packages")
set(CPACK_PACKAGE_CONTACT ${MTCHECK_DEB_MAINTAINER})
set(CPACK_PACKAGE_HOMEPAGE_URL "https://example.org/mtcheck")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL mtcheck dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# a shlibs file for libmtcheck.so.0, and the ldconfig trigger instead of
# the ldconfig calls CPack would write into postinst and postrm (lintian:
# lacks-ldconfig-trigger, maintscript-calls-ldconfig); a postinst and postrm
# of our own keep CPack from writing its ones
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY "=")
set(CPACK_DEBIAN_MTCHECK_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/cmake/deb/triggers ${PROJECT_SOURCE_DIR}/cmake/deb/postinst
    ${PROJECT_SOURCE_DIR}/cmake/deb/postrm)
set(CPACK_DEBIAN_MTCHECK_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# each component's description starts with its own synopsis line; an empty
# project-wide summary keeps CPack from putting the project's above it
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_DEBIAN_MTCHECK_PACKAGE_NAME mtcheck)
set(CPACK_DEBIAN_MTCHECK_PACKAGE_SECTION devel)
set(CPACK_COMPONENT_MTCHECK_DESCRIPTION
"find C unions whose value depends on byte order
mtcheck reports unions in which narrow members overlay a wider scalar
(a pointer, a long), so that what the wide member reads depends on the
machine's byte order, as in the Linux maple tree bug of 2022.  It reads
objects with DWARF, BTF, and C sources through libclang, runs as a GCC
plugin and as a kernel CHECK tool (mtcheck-sparse), and writes text,
JSON and SARIF reports.")
set(CPACK_DEBIAN_DEV_PACKAGE_NAME libmtcheck-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEV_DESCRIPTION
"mtcheck's layout and overlap analysis library: development files
Headers, the static library, pkg-config and CMake package files for
programs that use mtcheck's layout model, overlap analysis and reports,
and the CMake function that builds a target with the mtcheck GCC plugin.")

# ---- Depends beyond what dpkg-shlibdeps finds ------------------------------
# What mtcheck runs or loads at run time, by the Debian package that owns it
# on the build machine (so a later Debian that renames a package is followed):
#   pahole         turns DWARF into BTF (checker/frontends/frontend_btf.c)
#   c2xml          sparse's layout dump, run by mtcheck-sparse
#   libclang       dlopen()ed by its soname for C sources (clang_api.c), which
#                  dpkg-shlibdeps cannot see
#   the plugin's GCC: GCC loads a plugin only if its version and configure
#                  line, which holds Debian's revision, match the headers it
#                  was built with (plugin_default_version_check), hence '='.
find_program(MTCHECK_DPKG_QUERY dpkg-query)
# <out> = the package that owns <file> (empty when none does)
function(mtcheck_deb_owner file out)
  set(${out} "" PARENT_SCOPE)
  if(NOT MTCHECK_DPKG_QUERY OR NOT file)
    return()
  endif()
  get_filename_component(real "${file}" REALPATH)
  execute_process(COMMAND ${MTCHECK_DPKG_QUERY} -S "${real}"
                  OUTPUT_VARIABLE owner RESULT_VARIABLE rc ERROR_QUIET)
  if(rc EQUAL 0 AND owner MATCHES "^([^:, ]+)")
    set(${out} ${CMAKE_MATCH_1} PARENT_SCOPE)
  endif()
endfunction()

set(mtcheck_deps)
# mtcheck_deb_tool(PROGRAM FALLBACK): the owner of PROGRAM on PATH, or FALLBACK
function(mtcheck_deb_tool program fallback)
  find_program(MTCHECK_DEB_${program} ${program})
  mtcheck_deb_owner("${MTCHECK_DEB_${program}}" pkg)
  if(NOT pkg)
    set(pkg ${fallback})
  endif()
  set(mtcheck_deps ${mtcheck_deps} ${pkg} PARENT_SCOPE)
endfunction()
mtcheck_deb_tool(pahole pahole)
if(TARGET mtcheck-sparse)
  mtcheck_deb_tool(c2xml sparse)
endif()
if(MTCHECK_CLANG AND LIBCLANG_LIBRARY)
  mtcheck_deb_owner("${LIBCLANG_LIBRARY}" pkg)
  if(pkg)
    list(APPEND mtcheck_deps ${pkg})
  else()
    message(WARNING "packaging: no Debian package owns ${LIBCLANG_LIBRARY}; "
                    "the mtcheck package will not depend on libclang")
  endif()
endif()
if(TARGET mtcheck_plugin)
  mtcheck_deb_owner("${MAIN_GCC_PROGRAM}" gcc_pkg)
  if(gcc_pkg)
    execute_process(COMMAND ${MTCHECK_DPKG_QUERY} -W -f=\${Version} ${gcc_pkg}
                    OUTPUT_VARIABLE gcc_pkg_version OUTPUT_STRIP_TRAILING_WHITESPACE)
    list(APPEND mtcheck_deps "${gcc_pkg} (= ${gcc_pkg_version})")
  else()
    message(WARNING "packaging: no Debian package owns ${MAIN_GCC_PROGRAM}; "
                    "the mtcheck package will not depend on the GCC its plugin is for")
  endif()
endif()
list(JOIN mtcheck_deps ", " CPACK_DEBIAN_MTCHECK_PACKAGE_DEPENDS)
# the static library's own dependencies (mtcheck.pc's Requires.private)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "mtcheck (= ${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}), libbpf-dev, libelf-dev, libdw-dev, libyaml-dev, libjson-c-dev")

# ---- what Debian wants in every package -------------------------------------
# /usr/share/doc/PACKAGE/copyright and changelog.Debian.gz, and the lintian
# override said above.  The changelog's date is the last commit's (or
# SOURCE_DATE_EPOCH), so that the package is reproducible.
if(DEFINED ENV{SOURCE_DATE_EPOCH})
  set(deb_epoch $ENV{SOURCE_DATE_EPOCH})
else()
  execute_process(COMMAND git -C ${PROJECT_SOURCE_DIR} log -1 --format=%ct
                  OUTPUT_VARIABLE deb_epoch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
if(deb_epoch)
  set(saved_epoch "$ENV{SOURCE_DATE_EPOCH}")
  set(ENV{SOURCE_DATE_EPOCH} ${deb_epoch})
  string(TIMESTAMP deb_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
  set(ENV{SOURCE_DATE_EPOCH} "${saved_epoch}")
else()
  string(TIMESTAMP deb_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
endif()
find_program(MTCHECK_GZIP gzip)
set(deb_dir ${CMAKE_BINARY_DIR}/debian)
foreach(comp mtcheck dev)
  string(TOUPPER ${comp} COMP)
  set(pkg ${CPACK_DEBIAN_${COMP}_PACKAGE_NAME})
  file(WRITE ${deb_dir}/${pkg}/changelog.Debian
"${pkg} (${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}) unstable; urgency=medium

  * Built from the mtcheck source tree with CPack.

 -- ${MTCHECK_DEB_MAINTAINER}  ${deb_date}
")
  execute_process(COMMAND ${MTCHECK_GZIP} -9nf ${deb_dir}/${pkg}/changelog.Debian)
  install(FILES ${deb_dir}/${pkg}/changelog.Debian.gz
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${pkg} COMPONENT ${comp})
  install(FILES ${PROJECT_SOURCE_DIR}/LICENSE RENAME copyright
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${pkg} COMPONENT ${comp})
endforeach()
# lintian overrides, each with its reason
set(deb_override_mtcheck
"# libmtcheck.so.0 goes with the tool that owns its rules (cmake/Packaging.cmake)
mtcheck: package-name-doesnt-match-sonames libmtcheck0
# they exist only so that CPack does not write ldconfig calls; the ldconfig
# trigger does that job (cmake/deb/triggers)
mtcheck: maintainer-script-empty [postinst]
mtcheck: maintainer-script-empty [postrm]
")
foreach(comp mtcheck dev)
  string(TOUPPER ${comp} COMP)
  set(pkg ${CPACK_DEBIAN_${COMP}_PACKAGE_NAME})
  file(WRITE ${deb_dir}/${pkg}/lintian-override "${deb_override_${comp}}"
"# built from upstream's tree, not uploaded to Debian: there is no ITP to close
${pkg}: initial-upload-closes-no-bugs
")
  install(FILES ${deb_dir}/${pkg}/lintian-override RENAME ${pkg}
          DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides COMPONENT ${comp})
endforeach()

include(CPack)

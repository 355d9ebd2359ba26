# Shared by tools/test and tools/pack: the library projects are the ones whose csproj says IsLibrary true
# (build/Library.targets gives them XML docs, the AOT and trim analyzers, and a package).

# library_projects: prints each library's csproj path, relative to the repository root.
library_projects() {
  grep -l '<IsLibrary>true</IsLibrary>' src/*/*.csproj
}

# library_checks CONFIG: one line per check of each built library ("ok ..." or "FAILED ..."), then the counts
# as "N passed, N failed". Checks the build's output, not build/Library.targets, so a library that loses its
# docs or its analyzers by any route (an override, an import that moved) fails here.
library_checks() {
  local config=$1 project name assembly passed=0 failed=0
  for project in $(library_projects); do
    name=$(basename "$project" .csproj)
    assembly=$(sed -n 's:.*<AssemblyName>\(.*\)</AssemblyName>.*:\1:p' "$project")
    assembly=${assembly:-$name}
    if [[ -s artifacts/bin/$name/$config/$assembly.xml ]]; then
      echo "ok     $name: XML docs in artifacts/bin/$name/$config/$assembly.xml"; passed=$((passed + 1))
    else
      echo "FAILED $name: no XML docs at artifacts/bin/$name/$config/$assembly.xml"; failed=$((failed + 1))
    fi
    if grep -qx 'build_property.EnableAotAnalyzer = true' artifacts/obj/"$name"/"$config"/*.GeneratedMSBuildEditorConfig.editorconfig 2>/dev/null; then
      echo "ok     $name: AOT analyzer on"; passed=$((passed + 1))
    else
      echo "FAILED $name: AOT analyzer off (no EnableAotAnalyzer in its compilation's editorconfig)"; failed=$((failed + 1))
    fi
  done
  ((passed + failed > 0)) || { echo "FAILED no IsLibrary project found under src/"; failed=1; }
  echo "$passed passed, $failed failed"
}
